"""A real browser (the system Chromium through Playwright) takes a procedure through its revision
workflow: a unit head drafts issue 2 with a Word file and sends it for review, the ISO secretary
reviews it, the agency head approves it; it is in force and issue 1 is marked obsolete.
Assertions use data attributes and CSS classes, so they hold in Vietnamese and in English."""


import docx
import pytest
from playwright.sync_api import expect

from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.documents.services import revisions as svc
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    return root


def word_file(tmp_path) -> str:
    document = docx.Document()
    document.add_heading("QT-05 Quy trình đăng ký khai sinh — lần ban hành 2", level=1)
    document.add_paragraph("Thời hạn giải quyết: 3 ngày làm việc kể từ khi nhận đủ hồ sơ.")
    path = tmp_path / "QT-05 lần 2.docx"
    document.save(path)
    return str(path)


def test_revision_goes_from_draft_to_effective_and_the_old_one_is_obsolete(
        transactional_db, live_server, browser, media, tmp_path, agency_a, unit_a):
    drafter = make_user(agency_a, [Role.UNIT_HEAD], unit=unit_a, username="truongphong",
                        full_name="Phạm Thị Trưởng Phòng", password=PASSWORD)
    secretary = make_user(agency_a, [Role.QMS_SECRETARY], unit=unit_a, username="thuky",
                          full_name="Lê Văn Thư Ký", password=PASSWORD)
    head = make_user(agency_a, [Role.AGENCY_HEAD], username="giamdoc", full_name="Trần Thị Giám Đốc",
                     password=PASSWORD)
    document = svc.document_create(actor=secretary, agency=agency_a, code="QT-05",
                                   title="Quy trình đăng ký khai sinh",
                                   kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit_a)
    first = svc.revision_create(actor=drafter, document=document, change_summary="Ban hành lần đầu",
                                content="Thời hạn 5 ngày làm việc.")
    svc.revision_submit(actor=drafter, revision=first)
    svc.revision_review(actor=secretary, revision=first)
    svc.revision_approve(actor=head, revision=first)

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

    # The unit head opens the register, then the procedure, and drafts issue 2.
    page = login("truongphong")
    page.locator("#sidebar a[href='/documents/']").click()
    page.locator("#results").get_by_role("link", name="Quy trình đăng ký khai sinh").click()
    expect(page.locator(f"[data-current-revision='{first.pk}']").first).to_be_visible()
    page.locator(f"a[href='/documents/{document.pk}/revisions/new/']").click()
    page.fill("textarea[name=change_summary]", "Rút ngắn thời hạn giải quyết còn 3 ngày làm việc")
    page.locator("main form button[type=submit]").click()
    second = DocumentRevision.objects.get(document=document, issue_number=2)
    expect(page).to_have_url(f"{live_server.url}/revisions/{second.pk}/")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.DRAFT)

    # It attaches the Word file and sends the draft for review.
    page.set_input_files("input[name=file]", word_file(tmp_path))
    page.locator(f"form[action='/revisions/{second.pk}/files/'] button[type=submit]").click()
    expect(page.locator("#files a[data-file]")).to_have_text("QT-05 lần 2.docx")
    page.locator("button[data-action=submit]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.IN_REVIEW)
    expect(page.locator("button[data-action=review]")).to_have_count(0)  # never the drafter
    page.context.close()

    # The ISO secretary reviews it from the dashboard.
    page = login("thuky")
    page.locator(f"#documents-to-read a[href='/revisions/{second.pk}/']").click()
    page.locator("button[data-action=review]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.REVIEWED)  # awaiting approval
    expect(page.locator(".eiso-transitions")).to_contain_text("Lê Văn Thư Ký")
    expect(page.locator("button[data-action=approve]")).to_have_count(0)  # the agency head approves
    page.context.close()

    # The agency head approves: it takes effect today.
    page = login("giamdoc")
    page.goto(f"{live_server.url}/revisions/{second.pk}/")
    page.locator("button[data-action=approve]").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", RevisionStatus.EFFECTIVE)
    expect(page.locator(".eiso-obsolete-mark")).to_have_count(0)

    # Issue 1 is now marked obsolete, with the revision in force one click away.
    page.goto(f"{live_server.url}/revisions/{first.pk}/")
    mark = page.locator(".eiso-obsolete-mark[data-obsolete=true]")
    expect(mark).to_be_visible()
    mark.locator(f"a[data-current-revision='{second.pk}']").click()
    expect(page).to_have_url(f"{live_server.url}/revisions/{second.pk}/")
    # and in the revision history table of the document
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    expect(page.locator("tr.eiso-obsolete-row[data-obsolete=true]")).to_have_count(1)
    page.context.close()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RevisionStatus.SUPERSEDED, RevisionStatus.EFFECTIVE)
    assert second.files.get().original_name == "QT-05 lần 2.docx"
    assert problems == [], problems  # no script errors, no CSP violations
