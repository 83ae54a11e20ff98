"""Documents, revisions and their workflow, files, distribution, comments and change requests.

``revision_transition`` is the one place a revision's status changes: it checks the move against
``REVISION_TRANSITIONS``, the actor's permission for that action, locks the rows it changes,
writes the RevisionTransition and the audit event, and keeps "exactly one effective revision"
(also a database constraint).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.policy import require
from eiso.core.search import search_index
from eiso.core.services import full_clean, model_create, model_update
from eiso.core.uploads import UploadInfo, inspect_upload
from eiso.documents.choices import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    PROCEDURE_KINDS,
    REVISION_TRANSITIONS,
    ChangeRequestKind,
    ChangeRequestStatus,
    RevisionAction,
    RevisionStatus,
)
from eiso.documents.extract import extract_text
from eiso.documents.models import (
    ChangeRequest,
    Comment,
    DistributionEntry,
    Document,
    DocumentRevision,
    RevisionFile,
    RevisionTransition,
)
from eiso.organizations.models import Membership, User

DOCUMENT_FIELDS = ["code", "title", "kind", "owner_unit", "parent"]
REVISION_FIELDS = ["change_summary", "content", "sections", "effective_date"]
SECTION_KEYS = ("purpose", "scope", "definitions", "content")

# action → the permission the actor needs (None: system only, e.g. activation on the effective date)
ACTION_PERMISSIONS = {
    RevisionAction.SUBMIT: "documents.submit_revision",
    RevisionAction.REVIEW: "documents.review_revision",
    RevisionAction.APPROVE: "documents.approve_revision",
    RevisionAction.RETURN: None,  # the reviewer or the approver, checked below
    RevisionAction.ACTIVATE: "documents.approve_revision",
    RevisionAction.WITHDRAW: "documents.withdraw_revision",
}




def _check_unit(agency, unit) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationFailed(_("The unit does not belong to the agency."),
                               errors={"owner_unit": [_("The unit does not belong to the agency.")]})


# --- search ---------------------------------------------------------------------------------------

def index_document(document: Document) -> None:
    search_index(obj=document, agency_id=document.agency_id, kind="document", title=str(document),
                 body=document.get_kind_display(), url=reverse("documents:document-detail", args=[document.pk]))


def index_revision(revision: DocumentRevision) -> None:
    texts = [revision.change_summary, revision.content,
             *(str(v) for v in (revision.sections or {}).values())] + [f.text for f in revision.files.all()]
    document = revision.document
    with translation.override(settings.LANGUAGE_CODE):  # stored once, in the agencies' language
        title = _("%(code)s %(title)s — issue %(number)s") % {
            "code": document.code, "title": document.title, "number": revision.issue_number}
    search_index(obj=revision, agency_id=document.agency_id, kind="revision", title=title,
                 body="\n".join(t for t in texts if t),
                 url=reverse("documents:revision-detail", args=[revision.pk]))


# --- documents ----------------------------------------------------------------------------------

@transaction.atomic
def document_create(*, actor, agency, code: str, title: str, kind: str, owner_unit=None, parent=None) -> Document:
    require(actor, "documents.add_document", Document(agency=agency, owner_unit=owner_unit))
    _check_unit(agency, owner_unit)
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationFailed(_("The parent document belongs to another agency."),
                               errors={"parent": [_("The parent document belongs to another agency.")]})
    document = model_create(model=Document, actor=actor, data={
        "agency": agency, "code": code.strip(), "title": title.strip(), "kind": kind, "owner_unit": owner_unit,
        "parent": parent})
    index_document(document)
    return document


@transaction.atomic
def document_update(*, actor, document: Document, **data) -> Document:
    require(actor, "documents.change_document", document)
    if "owner_unit" in data:
        _check_unit(document.agency, data["owner_unit"])
    document, changes = model_update(obj=document, data=data, fields=DOCUMENT_FIELDS, actor=actor)
    if changes:
        index_document(document)
    return document


# --- revisions ----------------------------------------------------------------------------------

# Locking, in one order everywhere: the document row first, then the revision rows meant, and only
# those (``of=("self",)``: a join must not lock the document or the agency row too, which made the
# order differ between moves and deadlocked them). ``no_key=True`` (FOR NO KEY UPDATE on PostgreSQL)
# lets rows that point at the locked ones (comments, files, audit events) be inserted meanwhile.


def _lock_document(document_id: int) -> None:
    """Serialise every move of the document's revisions (two moves of one document queue up)."""
    list(Document.objects.select_for_update(of=("self",), no_key=True).filter(pk=document_id).values_list("pk"))


def _lock(revision: DocumentRevision) -> DocumentRevision:
    """The revision re-read under a row lock, its document locked first, so two people acting at
    once are serialised."""
    document_id = revision.document_id or DocumentRevision.objects.values_list("document_id", flat=True).get(
        pk=revision.pk)
    _lock_document(document_id)
    return DocumentRevision.objects.select_for_update(of=("self",), no_key=True).select_related(
        "document", "document__agency").get(pk=revision.pk)


@transaction.atomic
def revision_create(*, actor, document: Document, change_summary: str = "", content: str = "",
                    effective_date: datetime.date | None = None, change_request=None) -> DocumentRevision:
    """A new draft revision (the next issue number). One revision is in the works at a time."""
    require(actor, "documents.add_revision", document)
    _lock_document(document.pk)
    if document.revisions.filter(status__in=OPEN_STATUSES).exists():
        raise Conflict(_("This document already has a revision being drafted or reviewed; finish it first."))
    number = (document.revisions.aggregate(n=Max("issue_number"))["n"] or 0) + 1
    revision = DocumentRevision(document=document, issue_number=number, change_summary=change_summary,
                                content=content, effective_date=effective_date,
                                drafted_by=actor if getattr(actor, "pk", None) else None,
                                change_request=change_request)
    full_clean(revision)
    revision.save()
    RevisionTransition.objects.create(revision=revision, action=RevisionAction.CREATE, from_status="",
                                      to_status=RevisionStatus.DRAFT, actor=revision.drafted_by)
    audit_record(actor=actor, action="revision_create", obj=revision, agency=document.agency_id,
                 changes={"issue_number": [None, number], "change_summary": [None, change_summary]})
    index_revision(revision)
    return revision


def _require_editable(revision: DocumentRevision) -> None:
    if revision.status in EDITABLE_STATUSES:
        return
    values = {"n": revision.issue_number, "status": revision.get_status_display().lower()}
    if revision.status in OPEN_STATUSES:
        raise Conflict(_("Issue %(n)s is %(status)s: it can be edited again once it is returned for changes.")
                       % values)
    raise Conflict(_("Issue %(n)s is %(status)s: its content and files can no longer change. "
                     "Make a new revision instead.") % values)


@transaction.atomic
def revision_update(*, actor, revision: DocumentRevision, **data) -> DocumentRevision:
    revision = _lock(revision)
    require(actor, "documents.change_revision", revision)
    _require_editable(revision)
    revision, changes = model_update(obj=revision, data=data, fields=REVISION_FIELDS, actor=actor,
                                     action="revision_update")
    if changes:
        index_revision(revision)
    return revision


@dataclass(frozen=True)
class PreparedFile:
    """An upload checked (type by content, size, unpacking limits, checksum) and its text extracted."""

    uploaded: object
    info: UploadInfo
    text: str


def revision_file_prepare(uploaded) -> PreparedFile:
    """Check an upload and extract its text, outside any write transaction: parsing a large file
    takes seconds, and no database lock may wait for it. Raises ValidationFailed for a bad file."""
    info = inspect_upload(uploaded)
    return PreparedFile(uploaded=uploaded, info=info, text=extract_text(uploaded, info.file_type))


def revision_file_add(*, actor, revision: DocumentRevision, uploaded=None,
                      prepared: PreparedFile | None = None) -> RevisionFile:
    """Attach an uploaded .docx/.pdf/.xlsx to a draft: type checked by content, size limited,
    stored under a generated name with its SHA-256, text extracted for search.

    The file is checked and read before the transaction opens (or was, by ``revision_file_prepare``,
    when the caller holds a transaction of its own)."""
    require(actor, "documents.change_revision", revision)  # no file is read for someone who may not
    _require_editable(revision)  # nor for a revision that cannot take it (both checked again under the lock)
    if prepared is None:
        prepared = revision_file_prepare(uploaded)
    info = prepared.info
    with transaction.atomic():
        revision = _lock(revision)
        require(actor, "documents.change_revision", revision)
        _require_editable(revision)
        attached = RevisionFile(revision=revision, original_name=info.original_name, file_type=info.file_type,
                                size=info.size, sha256=info.sha256, text=prepared.text,
                                uploaded_by=actor if getattr(actor, "pk", None) else None)
        attached.file.save(info.original_name, prepared.uploaded, save=False)  # only after every check passed
        attached.save()
        audit_record(actor=actor, action="file_add", obj=revision, agency=revision.document.agency_id,
                     changes={"file": [None, f"{info.original_name} ({info.file_type}, {info.size} B, "
                                             f"sha256 {info.sha256[:12]}…)"]})
        index_revision(revision)
    return attached


@transaction.atomic
def revision_file_remove(*, actor, attached: RevisionFile) -> None:
    revision = _lock(attached.revision)
    require(actor, "documents.change_revision", revision)
    _require_editable(revision)
    name, storage = attached.file.name, attached.file.storage
    audit_record(actor=actor, action="file_remove", obj=revision, agency=revision.document.agency_id,
                 changes={"file": [attached.original_name, None]})
    attached.delete()
    transaction.on_commit(lambda: storage.delete(name))
    index_revision(revision)


def _distribute(revision: DocumentRevision) -> int:
    """Everyone who must read the new effective revision: the document's distribution units, or
    the whole agency when none are set."""
    document = revision.document
    memberships = Membership.objects.filter(agency_id=document.agency_id, valid_to__isnull=True,
                                            user__is_active=True)
    units = list(document.distribution_units.values_list("pk", flat=True))
    if units:
        memberships = memberships.filter(unit_id__in=units)
    now = timezone.now()
    entries = [DistributionEntry(revision=revision, user_id=uid, notified_at=now)
               for uid in memberships.values_list("user_id", flat=True).distinct()]
    DistributionEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)


def _move(revision: DocumentRevision, action: str, actor, comment: str) -> str:
    """Check and apply the status move of ``action``; returns the previous status."""
    allowed_from, to_status = REVISION_TRANSITIONS[action]
    if revision.status not in allowed_from:
        raise Conflict(_("Issue %(n)s is %(status)s and cannot be %(action)s.") % {
            "n": revision.issue_number, "status": revision.get_status_display().lower(),
            "action": RevisionAction(action).label})
    before = revision.status
    revision.status = to_status
    return before


def _record(revision, action, before, actor, comment, extra_changes=None):
    RevisionTransition.objects.create(revision=revision, action=action, from_status=before,
                                      to_status=revision.status, actor=actor if getattr(actor, "pk", None) else None,
                                      comment=comment)
    changes = {"status": [before, revision.status]} if before != revision.status else {}
    changes.update(extra_changes or {})
    audit_record(actor=actor, action=f"revision_{action}", obj=revision, agency=revision.document.agency_id,
                 changes=changes, note=comment)


def _activate(revision: DocumentRevision, actor, today: datetime.date) -> None:
    """Make an approved revision the effective one; the previous effective one is superseded."""
    document = revision.document
    _lock_document(document.pk)  # held already (by _lock): the order stays document, then revisions
    now = timezone.now()
    for old in DocumentRevision.objects.select_for_update(of=("self",), no_key=True).filter(
            document=document, status=RevisionStatus.EFFECTIVE).order_by("pk"):
        before = _move(old, RevisionAction.SUPERSEDE, actor, "")
        old.obsolete_at = now
        old.save(update_fields=["status", "obsolete_at"])
        _record(old, RevisionAction.SUPERSEDE, before, actor,
                _("Replaced by issue %(n)s") % {"n": revision.issue_number})
    before = _move(revision, RevisionAction.ACTIVATE, actor, "")
    revision.save(update_fields=["status"])
    readers = _distribute(revision)
    _record(revision, RevisionAction.ACTIVATE, before, actor, "",
            {"distribution": [None, readers]})
    index_revision(revision)
    if document.kind in PROCEDURE_KINDS:  # the TTHC it covers now have a procedure in force
        data_changed_announce(sender="documents", agency_id=document.agency_id, topic="procedures")


@transaction.atomic
def revision_transition(*, actor, revision: DocumentRevision, action: str, comment: str = "",
                        today: datetime.date | None = None) -> DocumentRevision:
    """Submit, review, approve, return, activate or withdraw a revision."""
    if action not in REVISION_TRANSITIONS or action == RevisionAction.SUPERSEDE:
        raise ValidationFailed(_("Unknown action."), errors={"action": [_("Unknown action.")]})
    today = today or timezone.localdate()
    revision = _lock(revision)
    perm = ACTION_PERMISSIONS[action]
    if action == RevisionAction.RETURN:
        if actor is not None and not (actor.has_perm("documents.review_revision", revision)
                                      or actor.has_perm("documents.approve_revision", revision)):
            raise Forbidden()
    elif perm:
        require(actor, perm, revision)
    comment = (comment or "").strip()
    extra = {}
    if action == RevisionAction.SUBMIT:
        if not revision.content.strip() and not revision.files.exists():
            raise ValidationFailed(_("Add the content or at least one file before sending for review."),
                                   errors={"content": [_("Add the content or at least one file before sending "
                                                         "for review.")]})
    elif action == RevisionAction.REVIEW:
        if revision.reviewed_by_id:
            raise Conflict(_("Issue %(n)s has already been reviewed.") % {"n": revision.issue_number})
        revision.reviewed_by = actor if getattr(actor, "pk", None) else None
        revision.reviewed_at = timezone.now()
        extra = {"reviewed_by": [None, str(actor) if actor else None]}
    elif action == RevisionAction.APPROVE:
        if revision.effective_date is not None and revision.effective_date < today and not comment:
            message = _("The effective date %(date)s is in the past: give the reason for backdating in the "
                        "comment.") % {"date": revision.effective_date.strftime("%d/%m/%Y")}
            raise ValidationFailed(message, errors={"comment": [message]})
        revision.approved_by = actor if getattr(actor, "pk", None) else None
        revision.approved_at = timezone.now()
        if revision.effective_date is None:
            revision.effective_date = today
        extra = {"effective_date": [None, revision.effective_date.isoformat()]}
    elif action == RevisionAction.RETURN:
        if not comment:
            raise ValidationFailed(_("Say what must change when returning a revision."),
                                   errors={"comment": [_("Say what must change when returning a revision.")]})
        revision.reviewed_by = revision.approved_by = None
        revision.reviewed_at = revision.approved_at = None
    elif action == RevisionAction.ACTIVATE:
        if revision.effective_date is None or revision.effective_date > today:
            raise Conflict(_("Issue %(n)s takes effect on %(date)s.") % {
                "n": revision.issue_number,
                "date": revision.effective_date.strftime("%d/%m/%Y") if revision.effective_date else "—"})
        _activate(revision, actor, today)
        return revision
    elif action == RevisionAction.WITHDRAW and not comment:
        raise ValidationFailed(_("Give the reason for withdrawing."),
                               errors={"comment": [_("Give the reason for withdrawing.")]})
    before = _move(revision, action, actor, comment)
    if action == RevisionAction.WITHDRAW and before == RevisionStatus.EFFECTIVE:
        revision.obsolete_at = timezone.now()
    revision.save()
    _record(revision, action, before, actor, comment, extra)
    if action == RevisionAction.APPROVE and revision.effective_date <= today:
        _activate(revision, actor, today)
    elif action == RevisionAction.WITHDRAW:
        index_revision(revision)
        if before == RevisionStatus.EFFECTIVE and revision.document.kind in PROCEDURE_KINDS:
            data_changed_announce(sender="documents", agency_id=revision.document.agency_id, topic="procedures")
    return revision


def revision_submit(*, actor, revision, comment=""):
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.SUBMIT, comment=comment)


def revision_review(*, actor, revision, comment=""):
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.REVIEW, comment=comment)


def revision_approve(*, actor, revision, comment="", today=None):
    """The reviewer's approval records the review; the agency head's approval approves (and the
    revision takes effect at once when its effective date has come)."""
    revision = DocumentRevision.objects.get(pk=revision.pk)
    if revision.status == RevisionStatus.IN_REVIEW:
        return revision_transition(actor=actor, revision=revision, action=RevisionAction.REVIEW, comment=comment)
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.APPROVE, comment=comment,
                               today=today)


def revision_return(*, actor, revision, comment):
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.RETURN, comment=comment)


def revision_withdraw(*, actor, revision, comment):
    return revision_transition(actor=actor, revision=revision, action=RevisionAction.WITHDRAW, comment=comment)


def revisions_activate_due(*, today: datetime.date | None = None) -> int:
    """Approved revisions whose effective date has come take effect (run daily by cron)."""
    today = today or timezone.localdate()
    count = 0
    for pk in DocumentRevision.objects.filter(status=RevisionStatus.APPROVED, effective_date__lte=today) \
            .values_list("pk", flat=True):
        try:
            revision_transition(actor=None, revision=DocumentRevision(pk=pk), action=RevisionAction.ACTIVATE,
                                today=today)
        except Conflict:  # moved meanwhile (activated by a person or another run, returned, withdrawn)
            continue
        count += 1
    return count


# --- distribution and comments ------------------------------------------------------------------

@transaction.atomic
def distribution_acknowledge(*, actor, entry: DistributionEntry) -> DistributionEntry:
    require(actor, "documents.acknowledge_revision", entry)
    entry = DistributionEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.acknowledged_at:
        return entry
    entry.acknowledged_at = timezone.now()
    entry.save(update_fields=["acknowledged_at"])
    audit_record(actor=actor, action="acknowledge", obj=entry.revision, agency=entry.revision.document.agency_id,
                 changes={"acknowledged_by": [None, str(actor)]})
    return entry


@transaction.atomic
def distribution_add(*, actor, revision: DocumentRevision, users) -> int:
    """Put people on the reading list of a revision (a newcomer's onboarding, a briefing's
    invitees): each must read it and acknowledge it. People already on it stay as they are;
    people of another agency are refused. Returns how many were added. The caller (a later app's
    service) has checked that ``actor`` may ask it."""
    agency_id = revision.document.agency_id
    users = list(users)
    strangers = [u for u in users if getattr(u.membership, "agency_id", None) != agency_id]
    if strangers:
        raise ValidationFailed(_("%(person)s does not work in the agency of the document.")
                               % {"person": strangers[0].get_full_name() or strangers[0].get_username()})
    existing = set(revision.distribution.filter(user__in=users).values_list("user_id", flat=True))
    now = timezone.now()
    added = [DistributionEntry(revision=revision, user=u, notified_at=now) for u in users if u.pk not in existing]
    DistributionEntry.objects.bulk_create(added, ignore_conflicts=True)
    if added:
        audit_record(actor=actor, action="distribute", obj=revision, agency=agency_id,
                     changes={"readers": [None, sorted(str(e.user) for e in added)]})
    return len(added)


@transaction.atomic
def distribution_acknowledge_for(*, actor, revision: DocumentRevision, users, note: str) -> int:
    """Record that people have taken in a revision without clicking "read" themselves: attending
    its briefing counts as their acknowledgement. ``note`` says how (the briefing session). The
    caller (a later app's service) has checked that ``actor`` may record it. Returns how many
    acknowledgements were recorded."""
    agency_id = revision.document.agency_id
    users = [u for u in users if getattr(u.membership, "agency_id", None) == agency_id]
    distribution_add(actor=actor, revision=revision, users=users)
    entries = list(DistributionEntry.objects.select_for_update().filter(
        revision=revision, user__in=users, acknowledged_at__isnull=True).select_related("user"))
    now = timezone.now()
    for entry in entries:
        entry.acknowledged_at = now
    DistributionEntry.objects.bulk_update(entries, ["acknowledged_at"])
    if entries:
        audit_record(actor=actor, action="acknowledge", obj=revision, agency=agency_id, note=note,
                     changes={"acknowledged_by": [None, sorted(str(e.user) for e in entries)]})
    return len(entries)


@transaction.atomic
def comment_add(*, actor, revision: DocumentRevision, body: str) -> Comment:
    require(actor, "documents.comment_revision", revision)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write a comment."), errors={"body": [_("Write a comment.")]})
    if revision.is_obsolete:
        raise Conflict(_("This revision is no longer in force; comment on the current one."))
    comment = Comment.objects.create(revision=revision, author=actor, body=body)
    audit_record(actor=actor, action="comment", obj=revision, agency=revision.document.agency_id,
                 changes={"comment": [None, body[:200]]})
    return comment


# --- change requests ------------------------------------------------------------------------------

@transaction.atomic
def change_request_create(*, actor, agency, kind: str, reason: str, document: Document | None = None,
                          proposal: str = "", proposed_code: str = "", proposed_title: str = "",
                          proposed_kind: str = "", proposed_unit=None) -> ChangeRequest:
    require(actor, "documents.add_changerequest", agency)
    errors = {}
    if kind in (ChangeRequestKind.AMEND, ChangeRequestKind.WITHDRAW):
        if document is None:
            errors["document"] = [_("Choose the document.")]
        elif document.agency_id != agency.pk:
            errors["document"] = [_("The document belongs to another agency.")]
    elif kind == ChangeRequestKind.ISSUE:
        for field, value in (("proposed_code", proposed_code), ("proposed_title", proposed_title),
                             ("proposed_kind", proposed_kind)):
            if not value:
                errors[field] = [_("This field is required for a new document.")]
        if proposed_unit is not None and proposed_unit.agency_id != agency.pk:
            errors["proposed_unit"] = [_("The unit does not belong to the agency.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    return model_create(model=ChangeRequest, actor=actor, data={
        "agency": agency, "kind": kind, "document": document, "reason": reason, "proposal": proposal,
        "proposed_code": proposed_code, "proposed_title": proposed_title, "proposed_kind": proposed_kind,
        "proposed_unit": proposed_unit, "requested_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def change_request_decide(*, actor, request: ChangeRequest, approve: bool, note: str = "") -> ChangeRequest:
    """Approve or refuse. An approved issue/amend request opens a draft revision (creating the
    document for an issue request); an approved withdraw request withdraws the effective revision."""
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, "documents.decide_changerequest", request)
    if request.status != ChangeRequestStatus.SUBMITTED:
        raise Conflict(_("This request has already been decided."))
    if not approve and not (note or "").strip():
        raise ValidationFailed(_("Give the reason for refusing."),
                               errors={"decision_note": [_("Give the reason for refusing.")]})
    before = request.status
    request.status = ChangeRequestStatus.APPROVED if approve else ChangeRequestStatus.REFUSED
    request.decided_by = actor if getattr(actor, "pk", None) else None
    request.decided_at = timezone.now()
    request.decision_note = note or ""
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="decide", obj=request, changes={"status": [before, request.status]}, note=note)
    if approve:
        if request.kind == ChangeRequestKind.ISSUE:
            document = document_create(actor=actor, agency=request.agency, code=request.proposed_code,
                                       title=request.proposed_title, kind=request.proposed_kind,
                                       owner_unit=request.proposed_unit)
            request.document = document
            request.save(update_fields=["document"])
            revision_create(actor=actor, document=document, change_summary=request.reason, change_request=request)
        elif request.kind == ChangeRequestKind.AMEND:
            revision_create(actor=actor, document=request.document,
                            change_summary=request.proposal or request.reason, change_request=request)
        elif request.kind == ChangeRequestKind.WITHDRAW:
            for revision in request.document.revisions.exclude(
                    status__in=[RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN]):
                revision_transition(actor=actor, revision=revision, action=RevisionAction.WITHDRAW,
                                    comment=request.reason)
    return request


def people_to_notify(revision: DocumentRevision):
    """Readers who have not acknowledged the revision yet."""
    return User.objects.filter(document_distribution__revision=revision,
                               document_distribution__acknowledged_at__isnull=True)


@transaction.atomic
def revision_issue_imported(*, actor, document: Document, on: datetime.date, summary: str,
                            note: str = "") -> DocumentRevision | None:
    """Put a document that came in through an import (e.g. an operational procedure created by the
    TTHC import) in force as its next issue on ``on``, recorded as an import in its status history
    and the audit trail. Nothing when a revision is already in force or in the works: then the
    normal workflow decides."""
    require(actor, "documents.add_revision", document)
    if document.revisions.exclude(status__in=[RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN]).exists():
        return None
    number = (document.revisions.order_by("-issue_number").values_list("issue_number", flat=True).first() or 0) + 1
    person = actor if getattr(actor, "pk", None) else None
    revision = DocumentRevision(document=document, issue_number=number, status=RevisionStatus.EFFECTIVE,
                                change_summary=summary, effective_date=on, drafted_by=person,
                                approved_by=person, approved_at=timezone.now())
    full_clean(revision)
    revision.save()
    RevisionTransition.objects.create(revision=revision, action=RevisionAction.ACTIVATE, from_status="",
                                      to_status=RevisionStatus.EFFECTIVE, actor=person, comment=summary)
    audit_record(actor=actor, action="import", obj=revision, agency=document.agency_id, note=note,
                 changes={"status": [None, RevisionStatus.EFFECTIVE.value], "effective_date": [None, on.isoformat()]})
    index_revision(revision)
    return revision
