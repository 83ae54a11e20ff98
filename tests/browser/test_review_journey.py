"""A real browser (the system Chromium through Playwright) goes from a quality objective to a
management review's output: the ISO secretary sets an objective measured from the dossiers and sees
its measurement; prepares the year's management review, whose live inputs show the objective and
the dossiers; starts the meeting (the inputs are frozen), records an output with its owner and due
date and closes the meeting; the agency head approves the minutes. Both switch the interface to
English, so the assertions read what an English-speaking user sees."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eiso.feedback.tests.factories import make_dossiers
from eiso.objectives.models import Measurement, QualityObjective
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user
from eiso.reviews.models import ManagementReview
from tests.browser.conftest import PASSWORD, sign_in_in_english

pytestmark = pytest.mark.browser


def test_objective_measurement_review_output(transactional_db, live_server, browser, agency_a, unit_a, one_stop_a):
    office = UnitFactory(agency=agency_a, code="VP", name="Văn phòng Sở")
    secretary = make_user(agency_a, [Role.QMS_SECRETARY], unit=office, username="thuky", full_name="Lê Văn Thư Ký",
                          password=PASSWORD)
    make_user(agency_a, [Role.AGENCY_HEAD], username="giamdoc", full_name="Trần Thị Giám Đốc", password=PASSWORD)
    # Three dossiers received three weeks ago and returned two days later, all on time.
    received = timezone.now() - datetime.timedelta(days=21)
    make_dossiers(agency_a, unit=unit_a, count=3, received=received)
    year = timezone.localtime(received).year
    today = timezone.localdate()
    base = live_server.url
    problems = []

    def login(username):
        return sign_in_in_english(browser, base, username, problems)

    # The secretary sets an objective measured from the dossiers: its measurement shows 3 of 3.
    page = login("thuky")
    page.goto(f"{base}/objectives/new/")
    page.fill("input[name=year]", str(year))
    page.fill("input[name=title]", "Hồ sơ giải quyết đúng hạn từ 95% trở lên")
    page.select_option("select[name=indicator]", "dossier_on_time_rate")
    page.select_option("select[name=comparator]", "gte")
    page.fill("input[name=target]", "95")
    page.select_option("select[name=frequency]", "year")
    page.select_option("select[name=owner]", str(secretary.pk))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("The objective was drafted")
    objective = QualityObjective.objects.get(agency=agency_a)
    expect(page).to_have_url(f"{base}/objectives/{objective.pk}/")
    measurement = Measurement.objects.get(objective=objective)
    assert (measurement.numerator, measurement.denominator, measurement.met) == (3, 3, True)
    expect(page.locator("main table")).to_contain_text("100")

    # The year's management review: its live inputs show the dossiers and the objective.
    page.locator("#sidebar a[href='/reviews/'], nav a[href='/reviews/']").first.click()
    expect(page).to_have_url(f"{base}/reviews/")
    page.locator("main a[href='/reviews/new/']").click()
    page.fill("input[name=meeting_on]", today.strftime("%d/%m/%Y"))
    page.fill("input[name=location]", "Phòng họp tầng 2")
    page.fill("textarea[name=participants]", "Trần Thị Giám Đốc\nLê Văn Thư Ký")
    page.fill("textarea[name=resources_note]", "Đủ nhân lực cho Bộ phận Một cửa")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("The review was prepared")
    review = ManagementReview.objects.get(agency=agency_a)
    expect(page.locator("main")).to_contain_text("Live preview")
    expect(page.locator("#input-c2").locator("xpath=../..")).to_contain_text("Hồ sơ giải quyết đúng hạn từ 95% trở lên")
    expect(page.locator("#input-c3").locator("xpath=../..")).to_contain_text("3 (")

    # The meeting starts: the inputs are frozen; an output is recorded; the meeting closes.
    page.locator("main button", has_text="Start the meeting").click()
    expect(page.locator(".alert-success")).to_contain_text("its inputs are frozen")
    expect(page.locator("main")).to_contain_text("Inputs frozen when the meeting started")
    page.locator("main a", has_text="Record an output").click()
    page.select_option("select[name=kind]", "resources")
    page.fill("textarea[name=description]", "Bổ sung 01 máy quét tài liệu")
    page.select_option("select[name=owner]", str(secretary.pk))
    page.fill("input[name=due_on]", (today + datetime.timedelta(days=60)).strftime("%d/%m/%Y"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("The output was recorded")
    expect(page.locator("main")).to_contain_text("Bổ sung 01 máy quét tài liệu")
    page.locator("main a", has_text="Close the meeting").click()
    page.fill("textarea[name=conclusions]", "Hệ thống phù hợp và có hiệu lực")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("the agency head approves the minutes")
    assert not page.locator("main button", has_text="Approve the minutes").count()  # not the secretary's to do

    # The head approves the minutes.
    page = login("giamdoc")
    page.goto(f"{base}/reviews/{review.pk}/")
    page.locator("main button", has_text="Approve the minutes").click()
    expect(page.locator(".alert-success")).to_contain_text("The minutes were approved")
    review.refresh_from_db()
    assert review.status == "approved" and review.inputs["c3_process"]["total"] == 3
    assert review.outputs.get().owner == secretary
    assert problems == [], problems
