"""The revision workflow: who may move a revision where, and what each move does."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.core.search import search_query
from eiso.documents.choices import DocumentKind, RevisionAction, RevisionStatus
from eiso.documents.models import DistributionEntry, DocumentRevision, RevisionFile
from eiso.documents.services import revisions as svc

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def docx_upload(text="Thủ tục đăng ký khai sinh cho trẻ em", name="QT-05.docx"):
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    return tmp_path / "media"


@pytest.fixture
def procedure(a_secretary, agency_a, unit_a):
    return svc.document_create(actor=a_secretary, agency=agency_a, code="QT-05", title="Quy trình đăng ký khai sinh",
                               kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit_a)


def publish(document, drafter, reviewer, approver, text="Nội dung", today=TODAY):
    revision = svc.revision_create(actor=drafter, document=document, change_summary="Ban hành", content=text)
    svc.revision_submit(actor=drafter, revision=revision)
    svc.revision_approve(actor=reviewer, revision=revision)
    return svc.revision_approve(actor=approver, revision=revision, today=today)


def test_full_workflow_makes_one_effective_and_supersedes_the_old(procedure, a_unit_head, a_secretary, a_head,
                                                                  a_staff):
    first = publish(procedure, a_unit_head, a_secretary, a_head)
    first.refresh_from_db()
    assert first.status == RevisionStatus.EFFECTIVE and first.effective_date == TODAY
    assert first.reviewed_by == a_secretary and first.approved_by == a_head
    # Everyone of the agency must read it.
    assert set(DistributionEntry.objects.filter(revision=first).values_list("user__username", flat=True)) >= {
        "a_staff", "a_unit_head"}
    second = publish(procedure, a_unit_head, a_secretary, a_head, text="Sửa đổi thời hạn")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED and first.obsolete_at is not None
    assert second.status == RevisionStatus.EFFECTIVE and second.issue_number == 2
    assert DocumentRevision.objects.filter(document=procedure, status=RevisionStatus.EFFECTIVE).count() == 1
    actions = list(second.transitions.values_list("action", flat=True))
    assert actions == ["create", "submit", "review", "approve", "activate"]
    assert list(first.transitions.values_list("action", flat=True))[-1] == "supersede"
    assert AuditEvent.objects.filter(action="revision_activate", object_id=str(second.pk)).exists()


def test_future_effective_date_waits_for_the_daily_activation(procedure, a_unit_head, a_secretary, a_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="x",
                                   effective_date=datetime.date(2026, 12, 1))
    svc.revision_submit(actor=a_unit_head, revision=revision)
    svc.revision_approve(actor=a_secretary, revision=revision)
    svc.revision_approve(actor=a_head, revision=revision, today=TODAY)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED
    assert svc.revisions_activate_due(today=TODAY) == 0
    with pytest.raises(Conflict):
        svc.revision_transition(actor=None, revision=revision, action=RevisionAction.ACTIVATE, today=TODAY)
    assert svc.revisions_activate_due(today=datetime.date(2026, 12, 1)) == 1
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.EFFECTIVE


def test_who_may_do_what(procedure, a_unit_head, a_secretary, a_head, a_staff, b_head, overseer):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="x")
    for intruder in (a_staff, b_head, overseer):
        with pytest.raises(Forbidden):
            svc.revision_submit(actor=intruder, revision=revision)
    svc.revision_submit(actor=a_unit_head, revision=revision)
    with pytest.raises(Forbidden):  # the drafter never reviews their own revision
        svc.revision_approve(actor=a_unit_head, revision=revision)
    with pytest.raises(Forbidden):
        svc.revision_transition(actor=a_secretary, revision=revision, action=RevisionAction.APPROVE)
    with pytest.raises(Conflict):  # the head cannot approve before the review
        svc.revision_transition(actor=a_head, revision=revision, action=RevisionAction.APPROVE)
    svc.revision_approve(actor=a_secretary, revision=revision)
    with pytest.raises(Forbidden):
        svc.revision_transition(actor=a_secretary, revision=revision, action=RevisionAction.APPROVE)
    svc.revision_approve(actor=a_head, revision=revision, today=TODAY)


def test_bad_moves_are_conflicts_and_change_nothing(procedure, a_unit_head, a_secretary, a_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="x")
    count = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        svc.revision_transition(actor=a_head, revision=revision, action=RevisionAction.APPROVE)
    with pytest.raises(Conflict):
        svc.revision_transition(actor=None, revision=revision, action=RevisionAction.ACTIVATE, today=TODAY)
    with pytest.raises(ValidationFailed):
        svc.revision_transition(actor=a_head, revision=revision, action="explode")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT and AuditEvent.objects.count() == count


def test_return_needs_a_comment_and_resets_the_review(procedure, a_unit_head, a_secretary):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="x")
    svc.revision_submit(actor=a_unit_head, revision=revision)
    svc.revision_approve(actor=a_secretary, revision=revision)
    with pytest.raises(ValidationFailed):
        svc.revision_return(actor=a_secretary, revision=revision, comment="  ")
    svc.revision_return(actor=a_secretary, revision=revision, comment="Bổ sung căn cứ pháp lý")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT and revision.reviewed_by is None
    assert revision.transitions.last().comment == "Bổ sung căn cứ pháp lý"


def test_submit_needs_content_or_a_file(procedure, a_unit_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    with pytest.raises(ValidationFailed):
        svc.revision_submit(actor=a_unit_head, revision=revision)
    svc.revision_file_add(actor=a_unit_head, revision=revision, uploaded=docx_upload())
    svc.revision_submit(actor=a_unit_head, revision=revision)


def test_effective_revision_never_changes(procedure, a_unit_head, a_secretary, a_head):
    revision = svc.revision_create(actor=a_unit_head, document=procedure, content="x")
    attached = svc.revision_file_add(actor=a_unit_head, revision=revision, uploaded=docx_upload())
    svc.revision_submit(actor=a_unit_head, revision=revision)
    with pytest.raises(Conflict):  # in review: frozen already
        svc.revision_update(actor=a_unit_head, revision=revision, content="y")
    svc.revision_approve(actor=a_secretary, revision=revision)
    svc.revision_approve(actor=a_head, revision=revision, today=TODAY)
    for attempt in (
        lambda: svc.revision_update(actor=a_head, revision=revision, content="sửa lén"),
        lambda: svc.revision_file_add(actor=a_head, revision=revision, uploaded=docx_upload()),
        lambda: svc.revision_file_remove(actor=a_head, attached=attached),
    ):
        with pytest.raises(Conflict):
            attempt()
    revision.refresh_from_db()
    assert revision.content == "x" and revision.files.count() == 1


def test_one_revision_in_the_works(procedure, a_unit_head):
    svc.revision_create(actor=a_unit_head, document=procedure, content="x")
    with pytest.raises(Conflict):
        svc.revision_create(actor=a_unit_head, document=procedure, content="y")


def test_database_allows_only_one_effective_revision(procedure):
    DocumentRevision.objects.create(document=procedure, issue_number=1, status=RevisionStatus.EFFECTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentRevision.objects.create(document=procedure, issue_number=2, status=RevisionStatus.EFFECTIVE)


def test_uploaded_file_is_checked_stored_under_a_generated_name_and_searchable(procedure, a_unit_head, media,
                                                                                agency_a):
    revision = svc.revision_create(actor=a_unit_head, document=procedure)
    attached = svc.revision_file_add(actor=a_unit_head, revision=revision,
                                     uploaded=docx_upload("Hồ sơ gồm tờ khai đăng ký khai sinh", "Tờ khai.docx"))
    assert attached.original_name == "Tờ khai.docx" and attached.file_type == "docx"
    assert "Tờ khai" not in attached.file.name and attached.file.name.endswith(".docx")
    assert len(attached.sha256) == 64 and "đăng ký khai sinh" in attached.text
    hits, _ = search_query("to khai dang ky", agency_ids=[agency_a.pk])
    assert [h.object_id for h in hits] == [str(revision.pk)]
    stored = list(media.rglob("*.docx"))
    with pytest.raises(ValidationFailed):
        svc.revision_file_add(actor=a_unit_head, revision=revision,
                              uploaded=SimpleUploadedFile("fake.docx", b"not a docx at all"))
    assert list(media.rglob("*")) and len(list(media.rglob("*.docx"))) == len(stored)
    assert RevisionFile.objects.count() == 1


def test_withdraw_effective_needs_reason_and_leaves_nothing_in_force(procedure, a_unit_head, a_secretary, a_head):
    revision = publish(procedure, a_unit_head, a_secretary, a_head)
    with pytest.raises(ValidationFailed):
        svc.revision_withdraw(actor=a_head, revision=revision, comment="")
    with pytest.raises(Forbidden):
        svc.revision_withdraw(actor=a_secretary, revision=revision, comment="x")
    svc.revision_withdraw(actor=a_head, revision=revision, comment="Thủ tục bị bãi bỏ")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.WITHDRAWN and revision.is_obsolete


def test_acknowledge_and_comment(procedure, a_unit_head, a_secretary, a_head, a_staff, b_staff):
    revision = publish(procedure, a_unit_head, a_secretary, a_head)
    entry = DistributionEntry.objects.get(revision=revision, user=a_staff)
    with pytest.raises(Forbidden):
        svc.distribution_acknowledge(actor=a_head, entry=entry)
    svc.distribution_acknowledge(actor=a_staff, entry=entry)
    entry.refresh_from_db()
    assert entry.acknowledged_at is not None
    assert a_staff not in svc.people_to_notify(revision)
    comment = svc.comment_add(actor=a_staff, revision=revision, body="Đề nghị rút ngắn thời hạn bước 2")
    assert comment.author == a_staff
    with pytest.raises(Forbidden):
        svc.comment_add(actor=b_staff, revision=revision, body="x")
    with pytest.raises(ValidationFailed):
        svc.comment_add(actor=a_staff, revision=revision, body="   ")


def test_change_requests(procedure, a_staff, a_head, a_unit_head, a_secretary, unit_a, agency_a, b_staff):
    issue = svc.change_request_create(actor=a_staff, agency=agency_a, kind="issue", reason="Thủ tục mới",
                                      proposed_code="QT-09", proposed_title="Quy trình cấp bản sao trích lục",
                                      proposed_kind=DocumentKind.OPERATIONAL_PROCEDURE, proposed_unit=unit_a)
    with pytest.raises(Forbidden):
        svc.change_request_decide(actor=a_staff, request=issue, approve=True)
    with pytest.raises(ValidationFailed):
        svc.change_request_decide(actor=a_head, request=issue, approve=False, note="")
    svc.change_request_decide(actor=a_head, request=issue, approve=True, note="Đồng ý")
    issue.refresh_from_db()
    assert issue.document.code == "QT-09"
    assert issue.document.revisions.get().status == RevisionStatus.DRAFT
    with pytest.raises(Conflict):
        svc.change_request_decide(actor=a_head, request=issue, approve=True)
    publish(procedure, a_unit_head, a_secretary, a_head)
    withdraw = svc.change_request_create(actor=a_staff, agency=agency_a, kind="withdraw", document=procedure,
                                         reason="TTHC bị bãi bỏ")
    svc.change_request_decide(actor=a_head, request=withdraw, approve=True)
    assert not procedure.revisions.filter(status=RevisionStatus.EFFECTIVE).exists()
    with pytest.raises(ValidationFailed):
        svc.change_request_create(actor=a_staff, agency=agency_a, kind="amend", reason="x")
    with pytest.raises(Forbidden):
        svc.change_request_create(actor=b_staff, agency=agency_a, kind="amend", document=procedure, reason="x")


def test_an_imported_document_is_put_in_force_once_by_someone_who_manages_it(procedure, a_secretary, a_staff,
                                                                              b_head):
    on = datetime.date(2026, 3, 2)
    for intruder in (a_staff, b_head):
        with pytest.raises(Forbidden):
            svc.revision_issue_imported(actor=intruder, document=procedure, on=on, summary="Nhập")
    assert not procedure.revisions.exists()
    revision = svc.revision_issue_imported(actor=a_secretary, document=procedure, on=on, summary="Nhập")
    assert (revision.status, revision.effective_date, revision.issue_number) == (RevisionStatus.EFFECTIVE, on, 1)
    assert revision.transitions.get().action == RevisionAction.ACTIVATE
    assert AuditEvent.objects.filter(action="import", object_id=str(revision.pk)).exists()
    assert svc.revision_issue_imported(actor=a_secretary, document=procedure, on=on, summary="Nhập") is None
