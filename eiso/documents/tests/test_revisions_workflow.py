"""The revision workflow through the pages: draft → submit → review (secretary or unit head, never
the drafter) → approve (agency head) → effective, the old one superseded and marked obsolete;
return with a mandatory comment; withdrawal; uploads that are refused store nothing; downloads
served only in scope, and stamped when the revision is obsolete."""

# ruff: noqa: F811  (the fixtures imported from revision_helpers are used as parameters)

import io
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from eiso.documents.choices import RevisionStatus
from eiso.documents.models import DocumentRevision, RevisionFile
from eiso.documents.services import revisions as svc
from eiso.documents.tests.factories.revisions import (  # noqa: F401
    docx_bytes,
    media,
    pdf_bytes,
    procedure,
    publish,
    stored_files,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db
def en(client):
    """The client after switching to English (messages are asserted in English)."""
    client.cookies["django_language"] = "en"
    return client


def u(name, *args):
    return reverse(f"documents:{name}", args=args)


def act(client, revision, action, comment="", **extra):
    return client.post(u("revision-transition", revision.pk), {"action": action, "comment": comment}, **extra)


def status_of(revision):
    return DocumentRevision.objects.get(pk=revision.pk).status


def test_the_whole_workflow_through_the_pages(client_for, procedure, a_unit_head, a_secretary, a_head,
                                              a_staff, media):
    old = publish(procedure, a_unit_head, a_secretary, a_head, summary="Ban hành lần đầu")
    drafter, secretary, head = client_for(a_unit_head), client_for(a_secretary), client_for(a_head)

    # The unit head drafts issue 2 and attaches the Word file.
    response = drafter.post(u("document-revise", procedure.pk), {"change_summary": "Rút ngắn thời hạn còn 3 ngày"})
    new = DocumentRevision.objects.get(document=procedure, issue_number=2)
    assert response.url == u("revision-detail", new.pk)
    response = drafter.post(u("revision-upload", new.pk), {"file": upload("QT-05 lần 2.docx")})
    assert response.status_code == 302 and new.files.count() == 1
    assert act(drafter, new, "submit").status_code == 302
    assert status_of(new) == RevisionStatus.IN_REVIEW

    # The drafter cannot review their own revision; the head cannot approve before the review.
    page = drafter.get(u("revision-detail", new.pk)).content.decode()
    assert 'data-action="review"' not in page
    assert act(drafter, new, "review").status_code == 403
    assert 'data-action="approve"' not in head.get(u("revision-detail", new.pk)).content.decode()

    # The secretary reviews, the agency head approves: it takes effect today.
    assert 'data-action="review"' in secretary.get(u("revision-detail", new.pk)).content.decode()
    assert act(secretary, new, "review", "Đã rà soát").status_code == 302
    # Reviewed, it waits for the approval in a status of its own (it once read "In review → In review").
    assert status_of(new) == RevisionStatus.REVIEWED
    page = head.get(u("revision-detail", new.pk)).content.decode()
    assert 'data-action="approve"' in page
    assert "Đang xem xét → Chờ phê duyệt" in page and "Đang xem xét → Đang xem xét" not in page
    assert "chỉ sửa được sau khi được" in page  # editable again once returned, not "make a new revision"
    assert act(head, new, "approve").status_code == 302
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == RevisionStatus.EFFECTIVE
    assert (new.reviewed_by, new.approved_by) == (a_secretary, a_head)
    assert old.status == RevisionStatus.SUPERSEDED and old.obsolete_at is not None
    assert DocumentRevision.objects.filter(document=procedure, status=RevisionStatus.EFFECTIVE).count() == 1

    # The old issue is marked obsolete with the current one a click away; the history says who did what.
    staff = client_for(a_staff)
    page = staff.get(u("revision-detail", old.pk)).content.decode()
    assert 'class="eiso-obsolete-mark' in page and f'data-current-revision="{new.pk}"' in page
    page = staff.get(u("revision-detail", new.pk)).content.decode()
    assert "eiso-obsolete-mark" not in page
    assert "Đã rà soát" in page and "Lê Văn Thư Ký" in page and "Trần Thị Giám Đốc" in page
    page = staff.get(u("document-detail", procedure.pk)).content.decode()
    assert page.count('class="eiso-obsolete-row"') == 1 and f'data-current-revision="{new.pk}"' in page
    # only the issue in force waits to be read
    assert [e.revision_id for e in staff.get(u("reading-list")).context["page"].object_list] == [new.pk]


def test_the_owning_units_head_reviews_what_the_secretary_drafted(client_for, procedure, a_secretary,
                                                                  a_unit_head, a_head):
    revision = svc.revision_create(actor=a_secretary, document=procedure, content="Nội dung")
    secretary = client_for(a_secretary)
    act(secretary, revision, "submit")
    assert act(secretary, revision, "review").status_code == 403  # never the drafter
    assert status_of(revision) == RevisionStatus.IN_REVIEW and DocumentRevision.objects.get(
        pk=revision.pk).reviewed_by is None
    assert act(client_for(a_unit_head), revision, "review").status_code == 302
    assert act(client_for(a_head), revision, "approve").status_code == 302
    assert status_of(revision) == RevisionStatus.EFFECTIVE


def test_return_needs_a_comment_and_goes_back_to_draft(client_for, procedure, a_unit_head, a_secretary):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="Nội dung")
    svc.revision_submit(actor=a_unit_head, revision=revision)
    secretary = client_for(a_secretary)
    response = act(en(secretary), revision, "return", "   ")
    assert response.status_code == 200
    assert response.context["transition_form"].errors["comment"]
    assert "Say what must change when returning a revision." in response.content.decode()
    assert status_of(revision) == RevisionStatus.IN_REVIEW and revision.transitions.count() == 2
    response = act(secretary, revision, "return", "Bổ sung căn cứ pháp lý")
    assert response.status_code == 302 and status_of(revision) == RevisionStatus.DRAFT
    page = client_for(a_unit_head).get(u("revision-detail", revision.pk)).content.decode()
    assert "Bổ sung căn cứ pháp lý" in page and 'data-action="submit"' in page


def test_a_move_not_allowed_now_shows_the_message(client_for, procedure, a_unit_head, a_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="Nội dung")
    response = act(en(client_for(a_head)), revision, "approve")  # a draft cannot be approved
    assert response.status_code == 200 and "cannot be approved" in response.content.decode()
    assert status_of(revision) == RevisionStatus.DRAFT
    response = act(client_for(a_head), revision, "nonsense")
    assert response.status_code == 200 and response.context["transition_form"].errors["action"]


def test_submit_without_content_or_file_is_refused(client_for, procedure, a_unit_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    response = act(en(client_for(a_unit_head)), revision, "submit")
    assert response.status_code == 200 and "at least one file" in response.content.decode()
    assert status_of(revision) == RevisionStatus.DRAFT


def test_withdrawing_the_effective_revision_leaves_nothing_in_force(client_for, procedure, a_unit_head,
                                                                   a_secretary, a_head, a_staff):
    effective = publish(procedure, a_unit_head, a_secretary, a_head)
    head = client_for(a_head)
    response = act(en(head), effective, "withdraw", "")
    assert response.status_code == 200 and "Give the reason for withdrawing." in response.content.decode()
    assert status_of(effective) == RevisionStatus.EFFECTIVE
    assert act(head, effective, "withdraw", "Thủ tục bị bãi bỏ").status_code == 302
    assert status_of(effective) == RevisionStatus.WITHDRAWN
    page = client_for(a_staff).get(u("revision-detail", effective.pk)).content.decode()
    assert 'data-obsolete="true"' in page and "data-current-revision" not in page
    assert u("revision-comment", effective.pk) not in page  # no comments on an obsolete revision


def test_staff_comment_on_drafts_and_effective_revisions(client_for, procedure, a_unit_head, a_secretary,
                                                         a_head, a_staff):
    effective = publish(procedure, a_unit_head, a_secretary, a_head)
    draft = svc.revision_create(actor=a_unit_head, document=procedure, content="Dự thảo")
    staff = client_for(a_staff)
    for revision in (draft, effective):
        response = staff.post(u("revision-comment", revision.pk), {"body": f"Góp ý cho lần {revision.issue_number}"})
        assert response.status_code == 302
        assert f"Góp ý cho lần {revision.issue_number}" in staff.get(u("revision-detail", revision.pk)).content.decode()
    response = staff.post(u("revision-comment", draft.pk), {"body": ""})
    assert response.status_code == 200 and response.context["comment_form"].errors["body"]
    assert draft.comments.count() == 1


# --- uploads ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), [
    ("virus.docx", b"MZ\x90\x00 not a document", "is not a valid"),
    ("bang.xlsx", docx_bytes(), "is not a valid"),
    ("rong.pdf", b"", "is empty"),
])
def test_a_bad_file_shows_the_message_and_stores_nothing(client_for, procedure, a_unit_head, media,
                                                        name, data, message):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = en(client_for(a_unit_head)).post(u("revision-upload", revision.pk),
                                                {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode() and 'data-upload-error="true"' in response.content.decode()
    assert RevisionFile.objects.count() == 0 and stored_files(media) == []


def test_an_oversized_file_shows_the_limit_and_stores_nothing(client_for, procedure, a_unit_head, media,
                                                             settings):
    settings.EISO_MAX_UPLOAD_BYTES = 1024
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    response = en(client_for(a_unit_head)).post(u("revision-upload", revision.pk),
                                                {"file": upload("Lớn.docx", docx_bytes("x" * 50_000))})
    assert response.status_code == 200 and "the limit is 1.0" in response.content.decode()
    assert RevisionFile.objects.count() == 0 and stored_files(media) == []


def test_a_good_file_is_stored_under_a_generated_name_and_can_be_removed_from_a_draft(
        client_for, procedure, a_unit_head, media, django_capture_on_commit_callbacks):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    client = client_for(a_unit_head)
    client.post(u("revision-upload", revision.pk), {"file": upload("Quy trình đăng ký.docx")})
    attached = revision.files.get()
    assert [p.name for p in stored_files(media)] == [attached.file.name.rsplit("/", 1)[-1]]
    assert "đăng ký" not in attached.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(u("revision-file-remove", attached.pk))
    assert response.status_code == 302
    assert RevisionFile.objects.count() == 0 and stored_files(media) == []


def test_files_of_an_effective_revision_cannot_be_removed(client_for, procedure, a_unit_head, a_secretary,
                                                          a_head, media):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    attached = svc.revision_file_add(actor=a_unit_head, revision=revision, uploaded=upload())
    svc.revision_submit(actor=a_unit_head, revision=revision)
    svc.revision_approve(actor=a_secretary, revision=revision)
    svc.revision_approve(actor=a_head, revision=revision)
    client = client_for(a_head)
    response = en(client).post(u("revision-file-remove", attached.pk), follow=True)
    assert "can no longer change" in response.content.decode()
    assert RevisionFile.objects.filter(pk=attached.pk).exists() and len(stored_files(media)) == 1


# --- downloads ----------------------------------------------------------------------------------------


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_serves_the_file_with_its_original_name_in_scope_only(client_for, procedure, a_unit_head,
                                                                       a_staff, b_staff, b_head, media):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    data = docx_bytes("Nội dung gốc")
    attached = svc.revision_file_add(actor=a_unit_head, revision=revision, uploaded=upload("Tờ khai.docx", data))
    response = client_for(a_staff).get(u("revision-file-download", attached.pk))
    assert response.status_code == 200 and _content(response) == data
    assert quote("Tờ khai.docx") in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "no-store" in response["Cache-Control"]
    for intruder in (b_staff, b_head):
        assert client_for(intruder).get(u("revision-file-download", attached.pk)).status_code == 404


@pytest.mark.parametrize(("name", "data", "file_type"), [
    ("QT-05.docx", docx_bytes("Quy trình cũ"), "docx"),
    ("QT-05.pdf", pdf_bytes(), "pdf"),
    ("BM-01.xlsx", xlsx_bytes(), "xlsx"),
])
def test_an_obsolete_revisions_file_is_stamped(client_for, procedure, a_unit_head, a_secretary, a_head,
                                               a_staff, media, name, data, file_type):
    old = svc.revision_create(actor=a_unit_head, document=procedure)
    attached = svc.revision_file_add(actor=a_unit_head, revision=old, uploaded=upload(name, data))
    svc.revision_submit(actor=a_unit_head, revision=old)
    svc.revision_approve(actor=a_secretary, revision=old)
    svc.revision_approve(actor=a_head, revision=old)
    client = client_for(a_staff)
    # in force: the file as uploaded
    assert _content(en(client).get(u("revision-file-download", attached.pk))) == data
    publish(procedure, a_unit_head, a_secretary, a_head, summary="Lần 2")
    response = en(client).get(u("revision-file-download", attached.pk))
    assert response.status_code == 200
    assert quote(f"HET-HIEU-LUC_{name}") in response["Content-Disposition"] or \
        f"HET-HIEU-LUC_{name}" in response["Content-Disposition"]
    stamped = _content(response)
    assert stamped != data
    if file_type == "pdf":
        reader = PdfReader(io.BytesIO(stamped))
        assert all("NO LONGER IN FORCE" in page.extract_text() for page in reader.pages)
    elif file_type == "docx":
        document = docx.Document(io.BytesIO(stamped))
        assert document.paragraphs[0].text == "NO LONGER IN FORCE"
        assert "Quy trình cũ" in [p.text for p in document.paragraphs]
    else:
        workbook = load_workbook(io.BytesIO(stamped))
        assert workbook.worksheets[0]["A1"].value == "NO LONGER IN FORCE"
        assert workbook.worksheets[1]["A1"].value == "Mã hồ sơ"
    # the stored file itself never changes
    with RevisionFile.objects.get(pk=attached.pk).file.open("rb") as handle:
        assert handle.read() == data
