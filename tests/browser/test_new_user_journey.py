"""The new user's path in a real browser (the system Chromium through Playwright), in a commune
whose office has no head: the ISO secretary uploads the one-stop export and sees it finish, drafts
a procedure and sends it for review; the chairman finds it in "Việc của tôi", reviews it (it then
reads "awaiting approval") and approves it; a civil servant finds the new procedure in her own
"Việc của tôi", reads it and says so, and the task leaves her list. No dead end on the way.

The upload runs on the tests' task backend (immediate, as in the other import tests), so the
import has finished when the progress page opens. Assertions use data attributes, so they hold in
Vietnamese and in English."""

import pytest
from playwright.sync_api import expect

from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.documents.services import revisions as svc
from eiso.dossiers.models import Dossier, DossierImport
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import AgencyFactory, UnitFactory, make_user
from eiso.procedures.tests.factories import procedure_with_process
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

EXPORT = (
    "dossier_code,agency_code,procedure_code,channel,event,at,step,note\n"
    "KL-260302-0001,X-KIMLIEN,1.004227,online,received,2026-03-02 08:00,,\n"
    "KL-260302-0001,,,,step_done,2026-03-02 10:00,1,\n"
    "KL-260302-0001,,,,step_done,2026-03-04 09:00,2,\n"
    "KL-260302-0001,,,,returned,2026-03-04 15:00,,\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def test_a_new_commune_imports_drafts_reviews_approves_and_answers_from_my_tasks(
        transactional_db, live_server, browser, media, tmp_path, province):
    commune = AgencyFactory(code="X-KIMLIEN", name="Ủy ban nhân dân xã Kim Liên", province=province)
    leaders = UnitFactory(agency=commune, code="LD", name="Lãnh đạo UBND xã")
    office = UnitFactory(agency=commune, code="VP", name="Văn phòng HĐND và UBND xã")  # no head
    one_stop = UnitFactory(agency=commune, code="PVHCC", name="Trung tâm Phục vụ hành chính công xã")
    make_user(commune, [Role.AGENCY_HEAD], unit=leaders, username="chutich", full_name="Nguyễn Văn Chủ Tịch",
              password=PASSWORD)
    make_user(commune, [Role.QMS_SECRETARY, Role.STAFF], unit=office, username="thuky",
              full_name="Lê Thị Thư Ký", password=PASSWORD)
    make_user(commune, [Role.STAFF], unit=one_stop, username="motcua", full_name="Trần Thị Một Cửa",
              password=PASSWORD)
    procedure_with_process(commune, one_stop=one_stop, unit=office)
    document = svc.document_create(actor=None, agency=commune, code="QT-VP-01", title="Quy trình quản lý văn bản đến",
                                   kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=office)
    export = tmp_path / "mot-cua-thang-3.csv"
    export.write_text(EXPORT, encoding="utf-8")

    problems = []

    def login(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/")
        return page

    # The secretary uploads the one-stop export from the menu and sees the import finish.
    page = login("thuky")
    page.locator("#sidebar a[href='/dossiers/imports/']").click()
    page.locator("a[href='/dossiers/imports/new/']").first.click()
    page.set_input_files("input[name=file]", str(export))
    page.locator("main form button[type=submit]").click()
    record = DossierImport.objects.get()
    expect(page).to_have_url(f"{live_server.url}/dossiers/imports/{record.pk}/")
    expect(page.locator("#import-progress [data-percent]")).to_have_attribute("data-percent", "100")
    expect(page.locator("#import-progress[hx-trigger]")).to_have_count(0)  # finished: no more polling
    dossier = Dossier.objects.get(code="KL-260302-0001")
    assert dossier.status == "returned" and dossier.steps[-1]["finished_at"]  # the return closed step 3

    # She drafts the office's procedure (the office has no head) and sends it for review.
    page.goto(f"{live_server.url}/documents/{document.pk}/revisions/new/")
    page.fill("textarea[name=change_summary]", "Ban hành lần đầu")
    page.fill("textarea[name=content]", "Văn bản đến được vào sổ trong ngày và chuyển lãnh đạo cho ý kiến.")
    page.locator("main form button[type=submit]").click()
    revision = DocumentRevision.objects.get(document=document)
    expect(page).to_have_url(f"{live_server.url}/revisions/{revision.pk}/")
    page.locator("button[data-action=submit]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.IN_REVIEW)
    expect(page.locator("button[data-action=review]")).to_have_count(0)  # never the drafter
    page.context.close()

    # The chairman finds it in "Việc của tôi" (the header shows the count), reviews and approves it.
    page = login("chutich")
    expect(page.locator("#inbox-link [data-inbox-count]")).to_have_attribute("data-inbox-count", "1")
    page.locator("#inbox-link").click()
    page.locator(f"#inbox-review a[href='/revisions/{revision.pk}/']").click()
    page.locator("button[data-action=review]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.REVIEWED)
    expect(page.locator(".eiso-transitions")).to_contain_text("Chờ phê duyệt")
    page.locator("#inbox-link").click()
    page.locator(f"#inbox-approve a[href='/revisions/{revision.pk}/']").click()
    page.locator("button[data-action=approve]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.EFFECTIVE)
    page.context.close()

    # The one-stop civil servant has the new procedure to read in her list; she reads it and says so.
    page = login("motcua")
    page.locator("#inbox-link").click()
    page.locator(f"#inbox-read a[href='/revisions/{revision.pk}/']").click()
    page.locator("button[data-action=acknowledge]").click()
    page.locator("#inbox-link").click()
    expect(page.locator("#inbox-read")).to_have_count(0)
    expect(page.locator("#inbox-empty")).to_be_visible()
    expect(page.locator("#inbox-link [data-inbox-count]")).to_have_count(0)
    page.context.close()

    revision.refresh_from_db()
    assert revision.status == RevisionStatus.EFFECTIVE
    assert revision.distribution.get(user__username="motcua").acknowledged_at is not None
    assert problems == [], problems  # no script errors, no CSP violations
