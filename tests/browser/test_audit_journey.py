"""A real browser (the system Chromium through Playwright) takes an internal audit finding to a
closed corrective action: the lead auditor starts the audit, answers a checklist question as
nonconform and raises a finding from it; the ISO secretary turns the finding into a nonconformity
with one click; the unit head answers with a corrective action request and records its
implementation; the secretary verifies it effective and closes it. Each user switches the interface
to English, so the assertions read what an English-speaking user sees."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eiso.audits import services as audit_services
from eiso.audits.clauses import load_library
from eiso.audits.models import Clause, Finding
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user
from tests.browser.conftest import PASSWORD, sign_in_in_english

pytestmark = pytest.mark.browser


def test_audit_finding_to_verified_and_closed_corrective_action(transactional_db, live_server, browser, agency_a,
                                                               unit_a, one_stop_a):
    if not Clause.objects.exists():  # an earlier transactional test flushed the migration's rows
        load_library(Clause)
    office = UnitFactory(agency=agency_a, code="VP", name="Văn phòng Sở")
    auditor = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="danhgia",
                        full_name="Lý Thị Đánh Giá", password=PASSWORD)
    make_user(agency_a, [Role.QMS_SECRETARY], unit=office, username="thuky", full_name="Lê Văn Thư Ký",
              password=PASSWORD)
    make_user(agency_a, [Role.UNIT_HEAD], unit=unit_a, username="truongphong", full_name="Phạm Thị Trưởng Phòng",
              password=PASSWORD)
    today = timezone.localdate()
    programme = audit_services.programme_create(actor=None, agency=agency_a, year=today.year,
                                                title="Chương trình đánh giá nội bộ")
    audit = audit_services.audit_create(
        actor=None, programme=programme, title="Đánh giá Phòng Hành chính", start_date=today, end_date=today,
        lead_auditor=auditor, units=[unit_a], clauses=[Clause.objects.get(edition__code="2015", code="7.5")])
    base = live_server.url
    problems = []

    def login(username):
        return sign_in_in_english(browser, base, username, problems)

    # The lead auditor starts the audit: the checklist is built from clause 7.5.
    page = login("danhgia")
    page.goto(f"{base}/audits/{audit.pk}/")
    page.locator("button[name=action][value=start]").click()
    expect(page.locator(".alert-success")).to_contain_text("Start the audit")
    page.locator(f"a[href='/audits/{audit.pk}/checklist/']").click()
    expect(page.locator("main")).to_contain_text("0 of 3 questions answered")

    # On the first question: nonconform, with the evidence seen, then a finding from it.
    item = page.locator("main .card[id^=item-]").first
    item_id = item.get_attribute("id")
    item.locator("label.btn", has_text="Nonconform").click()
    item.locator("textarea[name=evidence]").fill("Mẫu BM-02 lần ban hành 1 còn dùng tại bàn tiếp nhận")
    item.locator("button[type=submit]", has_text="Save the answer").click()
    expect(page.locator(".alert-success")).to_contain_text("Answer saved.")
    expect(page.locator("main")).to_contain_text("1 of 3 questions answered")
    item = page.locator(f"#{item_id}")
    expect(item.locator("input[value=nonconform]")).to_be_checked()
    item.locator("summary", has_text="Raise a finding from this question").click()
    expect(item.locator("select[name=kind]")).to_have_value("minor_nc")
    item.locator("textarea[name=description]").fill("Biểu mẫu đang dùng là lần ban hành cũ, đã hết hiệu lực")
    item.locator("button[type=submit]", has_text="Record the finding").click()
    finding = Finding.objects.get(audit=audit)
    expect(page).to_have_url(f"{base}/audits/{audit.pk}/#findings")
    expect(page.locator(".alert-success")).to_contain_text(f"Finding {finding.code} was recorded.")
    row = page.locator("#findings tbody tr", has_text=finding.code)
    expect(row).to_contain_text("Minor nonconformity")
    expect(row).to_contain_text("No nonconformity recorded yet")
    page.context.close()

    # The ISO secretary sees the gap on the audit page and records the nonconformity in one click.
    page = login("thuky")
    page.goto(f"{base}/audits/{audit.pk}/")
    expect(page.locator("#findings .alert-warning")).to_contain_text(
        "1 nonconformity finding has no nonconformity recorded yet.")
    page.locator("#findings tbody tr", has_text=finding.code).get_by_role(
        "button", name="Record the nonconformity").click()
    nc = Nonconformity.objects.get(finding=finding)
    expect(page).to_have_url(f"{base}/nonconformities/{nc.pk}/")
    expect(page.locator(".alert-success")).to_contain_text(f"Nonconformity {nc.code} was recorded from finding")
    expect(page.locator("main")).to_contain_text("Open")
    # Back on the audit page: a link to it, and the warning that it has no corrective action yet.
    page.goto(f"{base}/audits/{audit.pk}/")
    row = page.locator("#findings tbody tr", has_text=finding.code)
    expect(row.get_by_role("link", name=nc.code)).to_be_visible()
    expect(row).to_contain_text("No corrective action yet")
    expect(row.get_by_role("button", name="Record the nonconformity")).to_have_count(0)
    page.context.close()

    # The unit head answers with a corrective action request (5 whys), then records what was done.
    page = login("truongphong")
    page.goto(f"{base}/nonconformities/{nc.pk}/")
    page.get_by_role("link", name="Issue a corrective action request").click()
    page.fill("input[name=why1]", "Biểu mẫu cũ không được thu hồi khi ban hành lần mới")
    page.fill("textarea[name=root_cause]", "Chưa phân công người thu hồi biểu mẫu hết hiệu lực")
    page.fill("textarea[name=action_plan]", "Thu hồi biểu mẫu cũ, phân công văn thư rà soát mỗi tháng")
    page.select_option("select[name=owner]", label="Phạm Thị Trưởng Phòng")
    page.fill("input[name=due_on]", (today + datetime.timedelta(days=14)).isoformat())
    page.select_option("select[name=verifier]", label="Lê Văn Thư Ký")
    page.fill("input[name=verification_due_on]", (today + datetime.timedelta(days=30)).isoformat())
    page.locator("main form button[type=submit]").click()
    action = CorrectiveAction.objects.get(nonconformity=nc)
    expect(page).to_have_url(f"{base}/corrective-actions/{action.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("The corrective action request was issued.")
    expect(page.locator("main")).to_contain_text("Action planned")
    page.get_by_role("link", name="Record the implementation").click()
    page.fill("textarea[name=evidence]", "Đã thu hồi 12 biểu mẫu cũ; quyết định phân công số 15/QĐ")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("waits for verification")
    expect(page.locator("main")).to_contain_text("Implemented")
    expect(page.get_by_role("button", name="Record the verification")).to_have_count(0)  # not the unit head's
    page.context.close()

    # The secretary verifies it effective; only then can the action be closed.
    page = login("thuky")
    page.goto(f"{base}/corrective-actions/{action.pk}/")
    expect(page.locator(f"form[action='/corrective-actions/{action.pk}/close/']")).to_have_count(0)
    page.locator("input[name=effective][value='1']").check()
    page.fill("textarea[name=note]", "Kiểm tra bàn tiếp nhận: chỉ còn biểu mẫu lần ban hành 2")
    page.get_by_role("button", name="Record the verification").click()
    expect(page.locator(".alert-success")).to_contain_text("Verified effective: the action can be closed.")
    expect(page.locator("main")).to_contain_text("Verified effective")
    page.once("dialog", lambda dialog: dialog.accept())  # "Close this corrective action and its nonconformity?"
    page.locator(f"form[action='/corrective-actions/{action.pk}/close/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("The corrective action and its nonconformity were closed.")
    expect(page.locator("main")).to_contain_text("Closed")
    # The audit page shows the finding's nonconformity closed, with nothing left to warn about.
    page.goto(f"{base}/audits/{audit.pk}/")
    row = page.locator("#findings tbody tr", has_text=finding.code)
    expect(row).to_contain_text("Closed")
    expect(page.locator("#findings .alert-warning")).to_have_count(0)
    page.context.close()

    nc.refresh_from_db()
    assert nc.status == "closed"
    assert problems == [], "\n".join(problems)
