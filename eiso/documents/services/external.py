"""The external (legal) document register, the procedures citing each document, and the review
tasks that a change of a cited document opens (QĐ 19/2014/QĐ-TTg).

When a legal document is replaced, expires or is amended, every procedure citing it gets a
ReviewTask due 3 months after the new document takes effect (``periods.review_due_on``):
replaced → the replacement's effective date; expired → the expiry date; amended → the date the
amendment takes effect. One task per procedure, document and reason (a database constraint), so
repeating a change opens nothing new.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.search import search_index
from eiso.core.services import model_create, model_update
from eiso.documents.choices import (
    PROCEDURE_KINDS,
    ExternalDocumentStatus,
    ReviewReason,
    ReviewTaskStatus,
)
from eiso.documents.models import ExternalDocument, ReviewTask
from eiso.documents.periods import add_months, review_due_on

__all__ = [
    "add_months",
    "external_document_amend",
    "external_document_cite",
    "external_document_create",
    "external_document_expire",
    "external_document_replace",
    "external_document_update",
    "index_external_document",
    "review_task_complete",
    "review_tasks_open_for_changes",
]

EXTERNAL_FIELDS = [
    "number",
    "doc_type",
    "title",
    "issuer",
    "issued_on",
    "effective_on",
    "expires_on",
    "status",
    "replaced_by",
    "note",
]




def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _lock(document: ExternalDocument) -> ExternalDocument:
    return (
        ExternalDocument.objects.select_for_update(of=("self",))
        .select_related("agency", "replaced_by")
        .get(pk=document.pk)
    )


def index_external_document(document: ExternalDocument) -> None:
    body = "\n".join(
        str(part)
        for part in (
            document.get_doc_type_display(),
            document.issuer,
            document.get_status_display(),
            document.note,
        )
        if part
    )
    search_index(
        obj=document,
        agency_id=document.agency_id,
        kind="external",
        title=f"{document.number} — {document.title}",
        body=body,
        url=reverse("documents:externaldocument-detail", args=[document.pk]),
    )


def _check_other(document: ExternalDocument | None, agency_id: int, other, field: str) -> None:
    """``other`` (a replacing or amending document) is another document of the same agency, and
    following its replacements never comes back to ``document``."""
    if other is None:
        return
    if other.agency_id != agency_id:
        raise _invalid(field, _("That document belongs to another agency's register."))
    if document is not None and document.pk is not None:
        if other.pk == document.pk:
            raise _invalid(field, _("A document cannot replace or amend itself."))
        if field == "replaced_by":
            # follow the stored replacements of ``other``: reaching ``document`` would close a loop
            seen, step = set(), other.pk
            while step is not None and step not in seen:
                seen.add(step)
                step = ExternalDocument.objects.filter(pk=step).values_list("replaced_by_id", flat=True).first()
                if step == document.pk:
                    raise _invalid(
                        field, _("%(number)s is itself replaced by this document.") % {"number": other.number}
                    )


# --- review tasks ----------------------------------------------------------------------------------


def review_tasks_open_for_changes(
    *, actor, external: ExternalDocument, reason: str, takes_effect: datetime.date, documents=None
) -> list[ReviewTask]:
    """Open a review task, due 3 months after ``takes_effect``, for every procedure citing
    ``external`` (or only ``documents``). Internal: callers hold the external document's row lock.

    A task that exists for the same procedure, document and reason is left alone, unless it is
    done and this change takes effect later (a new amendment): then it is opened again."""
    due = review_due_on(takes_effect)
    targets = list(documents if documents is not None else external.cited_by.all())
    existing = {
        t.document_id: t
        for t in ReviewTask.objects.select_for_update().filter(
            external_document=external, reason=reason, document__in=[d.pk for d in targets]
        ).order_by("pk")
    }
    opened = []
    for document in targets:
        task = existing.get(document.pk)
        if task is None:
            task = ReviewTask.objects.create(
                agency_id=external.agency_id,
                document=document,
                external_document=external,
                reason=reason,
                trigger_date=takes_effect,
                due_on=due,
            )
            audit_record(
                actor=actor,
                action="review_open",
                obj=task,
                agency=external.agency_id,
                changes={
                    "reason": [None, reason],
                    "trigger_date": [None, takes_effect.isoformat()],
                    "due_on": [None, due.isoformat()],
                },
            )
            opened.append(task)
        elif task.status == ReviewTaskStatus.DONE and takes_effect > task.trigger_date:
            before = {
                "status": task.status,
                "trigger_date": task.trigger_date.isoformat(),
                "due_on": task.due_on.isoformat(),
            }
            task.status, task.trigger_date, task.due_on = ReviewTaskStatus.OPEN, takes_effect, due
            task.done_at, task.done_by, task.outcome = None, None, ""
            task.save(update_fields=["status", "trigger_date", "due_on", "done_at", "done_by", "outcome"])
            audit_record(
                actor=actor,
                action="review_reopen",
                obj=task,
                agency=external.agency_id,
                changes={
                    "status": [before["status"], task.status],
                    "trigger_date": [before["trigger_date"], takes_effect.isoformat()],
                    "due_on": [before["due_on"], due.isoformat()],
                },
            )
            opened.append(task)
    if opened:
        data_changed_announce(sender="documents", agency_id=external.agency_id, topic="legal_reviews")
    return opened


def _current_change(external: ExternalDocument, today: datetime.date) -> tuple[str, datetime.date] | None:
    """The change a procedure citing ``external`` must be reviewed for, and when it takes effect."""
    if external.status == ExternalDocumentStatus.EXPIRED:
        if external.replaced_by_id:
            return ReviewReason.REPLACED, external.replaced_by.effective_on or external.expires_on or today
        return ReviewReason.EXPIRED, external.expires_on or today
    if external.status == ExternalDocumentStatus.PARTLY_AMENDED:
        last = external.review_tasks.filter(reason=ReviewReason.AMENDED).order_by("-trigger_date").first()
        return ReviewReason.AMENDED, last.trigger_date if last else today
    return None


@transaction.atomic
def review_task_complete(*, actor, task: ReviewTask, outcome: str) -> ReviewTask:
    """Mark a review done, saying what came of it (e.g. "QT-05 revised, issue 3" or "no change needed")."""
    task = (
        ReviewTask.objects.select_for_update(of=("self",))
        .select_related("document", "external_document")
        .get(pk=task.pk)
    )
    require(actor, "documents.complete_reviewtask", task)
    outcome = (outcome or "").strip()
    if not outcome:
        raise _invalid("outcome", _("Say what the review found or changed."))
    if task.status == ReviewTaskStatus.DONE:
        raise Conflict(_("This review has already been marked done."))
    task.status = ReviewTaskStatus.DONE
    task.done_by = actor if getattr(actor, "pk", None) else None
    task.done_at = timezone.now()
    task.outcome = outcome
    task.save(update_fields=["status", "done_by", "done_at", "outcome"])
    audit_record(
        actor=actor,
        action="review_complete",
        obj=task,
        agency=task.agency_id,
        changes={"status": [ReviewTaskStatus.OPEN, ReviewTaskStatus.DONE], "outcome": [None, outcome]},
    )
    data_changed_announce(sender="documents", agency_id=task.agency_id, topic="legal_reviews")
    return task


# --- the register ----------------------------------------------------------------------------------


@transaction.atomic
def external_document_create(
    *,
    actor,
    agency,
    number,
    doc_type,
    title,
    issuer,
    issued_on=None,
    effective_on=None,
    expires_on=None,
    status="in_force",
    replaced_by=None,
    note="",
) -> ExternalDocument:
    require(actor, "documents.add_externaldocument", agency)
    _check_other(None, agency.pk, replaced_by, "replaced_by")
    if replaced_by is not None and status in (ExternalDocumentStatus.IN_FORCE, ""):
        status = ExternalDocumentStatus.EXPIRED
    document = model_create(
        model=ExternalDocument,
        actor=actor,
        data={
            "agency": agency,
            "number": (number or "").strip(),
            "doc_type": doc_type,
            "title": (title or "").strip(),
            "issuer": (issuer or "").strip(),
            "issued_on": issued_on,
            "effective_on": effective_on,
            "expires_on": expires_on,
            "status": status or ExternalDocumentStatus.IN_FORCE,
            "replaced_by": replaced_by,
            "note": note or "",
        },
    )
    index_external_document(document)
    return document


@transaction.atomic
def external_document_update(*, actor, document: ExternalDocument, **data) -> ExternalDocument:
    """Change fields of the register entry. Setting ``replaced_by`` (which makes the document
    expired unless a status is given) or moving the status to expired or partly amended opens
    the review tasks of the procedures citing it."""
    document = _lock(document)
    require(actor, "documents.change_externaldocument", document)
    for key in ("number", "title", "issuer"):
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()
    if data.get("replaced_by") is not None:
        _check_other(document, document.agency_id, data["replaced_by"], "replaced_by")
        data.setdefault("status", ExternalDocumentStatus.EXPIRED)
    document, changes = model_update(obj=document, data=data, fields=EXTERNAL_FIELDS, actor=actor)
    if changes:
        index_external_document(document)
        if ("status" in changes or "replaced_by" in changes) and document.cited_by.exists():
            change = _current_change(document, timezone.localdate())
            if change is not None:
                review_tasks_open_for_changes(actor=actor, external=document, reason=change[0], takes_effect=change[1])
    return document


@transaction.atomic
def external_document_replace(*, actor, document: ExternalDocument, replaced_by: ExternalDocument) -> ExternalDocument:
    """``replaced_by`` replaces ``document``: the old one expires (on the day the new one takes
    effect, unless its expiry date is known) and every procedure citing it is to be reviewed
    within 3 months of the replacement taking effect."""
    document = _lock(document)
    require(actor, "documents.change_externaldocument", document)
    if replaced_by is None:
        raise _invalid("replaced_by", _("Choose the document that replaces it."))
    _check_other(document, document.agency_id, replaced_by, "replaced_by")
    data = {"status": ExternalDocumentStatus.EXPIRED, "replaced_by": replaced_by}
    new_start = replaced_by.effective_on
    if (
        document.expires_on is None
        and new_start
        and (document.effective_on is None or new_start >= document.effective_on)
    ):
        data["expires_on"] = new_start
    document, changes = model_update(obj=document, data=data, fields=EXTERNAL_FIELDS, actor=actor, action="replace")
    if changes:
        index_external_document(document)
    review_tasks_open_for_changes(
        actor=actor,
        external=document,
        reason=ReviewReason.REPLACED,
        takes_effect=new_start or document.expires_on or timezone.localdate(),
    )
    return document


@transaction.atomic
def external_document_expire(*, actor, document: ExternalDocument, expires_on: datetime.date) -> ExternalDocument:
    """The document expires on ``expires_on`` without a replacement; citing procedures are to be
    reviewed within 3 months of that day."""
    document = _lock(document)
    require(actor, "documents.change_externaldocument", document)
    if expires_on is None:
        raise _invalid("expires_on", _("Give the expiry date."))
    document, changes = model_update(
        obj=document,
        data={"status": ExternalDocumentStatus.EXPIRED, "expires_on": expires_on},
        fields=EXTERNAL_FIELDS,
        actor=actor,
        action="expire",
    )
    if changes:
        index_external_document(document)
    review_tasks_open_for_changes(actor=actor, external=document, reason=ReviewReason.EXPIRED, takes_effect=expires_on)
    return document


@transaction.atomic
def external_document_amend(
    *, actor, document: ExternalDocument, amended_by: ExternalDocument, effective_on: datetime.date | None
) -> ExternalDocument:
    """``amended_by`` amends part of ``document`` from ``effective_on`` (by default the amending
    document's effective date); citing procedures are to be reviewed within 3 months of it."""
    document = _lock(document)
    require(actor, "documents.change_externaldocument", document)
    if amended_by is None:
        raise _invalid("amended_by", _("Choose the amending document."))
    _check_other(document, document.agency_id, amended_by, "amended_by")
    effective_on = effective_on or amended_by.effective_on
    if effective_on is None:
        raise _invalid("effective_on", _("Give the date the amendment takes effect."))
    if document.status == ExternalDocumentStatus.EXPIRED:
        raise Conflict(_("%(number)s is no longer in force: it cannot be amended.") % {"number": document.number})
    before = document.status
    document.status = ExternalDocumentStatus.PARTLY_AMENDED
    if before != document.status:
        document.save(update_fields=["status"])
        index_external_document(document)
    audit_record(
        actor=actor,
        action="amend",
        obj=document,
        changes={
            "status": [before, document.status],
            "amended_by": [None, amended_by.number],
            "effective_on": [None, effective_on.isoformat()],
        },
    )
    review_tasks_open_for_changes(
        actor=actor, external=document, reason=ReviewReason.AMENDED, takes_effect=effective_on
    )
    return document


@transaction.atomic
def external_document_cite(*, actor, external: ExternalDocument, documents) -> ExternalDocument:
    """Set the agency's procedures that cite ``external`` (their legal basis). A procedure newly
    citing a document no longer fully in force gets its review task at once."""
    external = _lock(external)
    require(actor, "documents.change_externaldocument", external)
    documents = list(documents)
    foreign = [d for d in documents if d.agency_id != external.agency_id]
    if foreign:
        raise _invalid(
            "documents",
            _("%(codes)s belong to another agency.") % {"codes": ", ".join(d.code for d in foreign)},
        )
    not_procedures = [d for d in documents if d.kind not in PROCEDURE_KINDS]
    if not_procedures:
        raise _invalid(
            "documents",
            _("Only procedures cite legal documents here: %(codes)s are not procedures.")
            % {"codes": ", ".join(d.code for d in not_procedures)},
        )
    current = {d.pk: d for d in external.cited_by.all()}
    wanted = {d.pk: d for d in documents}
    if set(current) == set(wanted):
        return external
    external.cited_by.set(list(wanted.values()))
    audit_record(
        actor=actor,
        action="cite",
        obj=external,
        changes={"cited_by": [sorted(d.code for d in current.values()), sorted(d.code for d in wanted.values())]},
    )
    added = [d for pk, d in wanted.items() if pk not in current]
    change = _current_change(external, timezone.localdate())
    if added and change is not None:
        review_tasks_open_for_changes(
            actor=actor, external=external, reason=change[0], takes_effect=change[1], documents=added
        )
    return external
