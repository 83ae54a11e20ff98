"""A real browser (the system Chromium through Playwright) on a phone-sized screen: the inspector
opens the 5S inspection planned for today from "my inspections", marks each item passed with the
big toggles, fails one and takes its photo (the photo input appears only then), records the
sheet, and the unit moves to the top of the quarter's ranking."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eiso.fives import selectors, services
from eiso.fives.tests.factories import make_area, make_inspection
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

def test_an_inspector_fills_the_sheet_on_a_phone_and_the_ranking_moves(transactional_db, live_server, browser,
                                                                        agency_a, unit_a, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    services.checklist_default_ensure()  # an earlier transactional test flushed the migration's rows
    today = timezone.localdate()
    services.programme_create(actor=None, agency=agency_a, year=today.year)
    inspector = make_user(agency_a, [Role.STAFF], unit=unit_a, username="kiemtra", full_name="Đỗ Thị Kiểm Tra",
                          password=PASSWORD)
    office = UnitFactory(agency=agency_a, name="Văn phòng Sở")
    make_inspection(agency_a, make_area(agency_a, office, name="Phòng văn thư"), inspector, day=today, failed=2)  # 92 %
    area = make_area(agency_a, unit_a, name="Phòng tiếp dân")
    inspection = services.inspection_plan(actor=None, agency=agency_a, area=area, planned_on=today, inspector=inspector)
    items = selectors.checklist_of(agency_a.pk)
    base = live_server.url
    problems = []
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "kiemtra")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/fives/")
    expect(page.locator("main table tbody tr")).to_have_count(1)  # only the office so far
    page.goto(f"{base}/fives/inspections/")
    page.get_by_role("link", name="Phòng tiếp dân").first.click()
    expect(page).to_have_url(f"{base}/fives/inspections/{inspection.pk}/fill/")
    first = items[0].pk
    expect(page.locator(f"#p_{first}")).to_be_hidden()  # the camera shows for a failed item only
    for item in items[1:]:
        page.locator(f"label[for=a_{item.pk}_1]").click()
    page.locator(f"label[for=a_{first}_0]").click()
    page.locator(f"#p_{first}").set_input_files({"name": "ban.png", "mimeType": "image/png", "buffer": PNG})
    page.fill(f"#r_{first}", "Hồ sơ cũ trên bàn")
    page.get_by_role("button", name="Ghi nhận kết quả đánh giá").click()
    expect(page).to_have_url(f"{base}/fives/inspections/{inspection.pk}/")
    expect(page.locator("main")).to_contain_text("96,0 %")
    expect(page.locator(f"img[src='/fives/answers/{inspection.answers.get(item_id=first).pk}/photo/']")).to_be_visible()

    page.goto(f"{base}/fives/")
    first_row = page.locator("main table tbody tr").first
    expect(first_row).to_contain_text(unit_a.name)
    expect(first_row).to_contain_text("96,0 %")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    assert problems == []
    context.close()
