"""Scoped reads of the external document register, review tasks and outdated procedures.

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
"""

import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils import timezone

from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import fold, is_id
from eiso.documents.choices import NO_LONGER_IN_FORCE, PROCEDURE_KINDS, ReviewTaskStatus
from eiso.documents.models import Document, ExternalDocument, ReviewTask
from eiso.documents.permissions import policy

# --- the register ----------------------------------------------------------------------------------


def external_documents_for_user(user, *, q: str = "", doc_type: str = "", status: str = "", agency: str = ""):
    """The external document register: ``q`` matches the number, title and issuer whatever the
    diacritics and case (``118/2025/nd-cp`` finds ``118/2025/NĐ-CP``)."""
    qs = policy.filter(user, "view_externaldocument", ExternalDocument.objects).select_related(
        "agency", "replaced_by"
    )
    if q:
        qs = qs.filter(number_folded__contains=fold(q.strip()))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if status:
        qs = qs.filter(status=status)
    qs = by_agency(qs, agency)
    open_tasks = ReviewTask.objects.filter(external_document=OuterRef("pk"), status=ReviewTaskStatus.OPEN)
    return qs.annotate(cited_count=Count("cited_by", distinct=True), has_open_tasks=Exists(open_tasks)).order_by(
        "agency__name", "-issued_on", "number"
    )


def external_document_get_for_user(user, pk) -> ExternalDocument:
    return get_or_404(external_documents_for_user(user), pk)


def citing_documents(external: ExternalDocument):
    """The procedures citing ``external``, by code."""
    return external.cited_by.select_related("owner_unit").order_by("code")


def replaced_documents(external: ExternalDocument):
    """The documents ``external`` replaces."""
    return external.replaces.order_by("-issued_on", "number")


def replacement_candidates(user, external: ExternalDocument):
    """Other documents of the same register that may replace or amend ``external``."""
    return external_documents_for_user(user, agency=str(external.agency_id)).exclude(pk=external.pk)


def procedures_to_cite(user, agency_id: int):
    """The procedures of one agency that may cite a legal document (the cite form's choices)."""
    return (
        policy.filter(user, "view_document", Document.objects).filter(agency_id=agency_id)
        .filter(kind__in=PROCEDURE_KINDS)
        .select_related("owner_unit")
        .order_by("code")
    )


# --- review tasks ----------------------------------------------------------------------------------


def review_tasks_for_user(
    user,
    *,
    status: str = "",
    overdue: str = "",
    q: str = "",
    agency: str = "",
    external: str = "",
    today: datetime.date | None = None,
):
    """Review tasks; ``overdue`` ("1") keeps the open ones past their due date."""
    today = today or timezone.localdate()
    qs = policy.filter(user, "view_externaldocument", ReviewTask.objects).select_related(
        "agency",
        "document",
        "document__owner_unit",
        "external_document",
        "external_document__replaced_by",
        "done_by",
    )
    if status:
        qs = qs.filter(status=status)
    if overdue in ("1", True):
        qs = qs.filter(status=ReviewTaskStatus.OPEN, due_on__lt=today)
    if q:
        folded = fold(q.strip())
        qs = qs.filter(
            Q(document__title_folded__contains=folded) | Q(external_document__number_folded__contains=folded)
        )
    if external and is_id(external):
        qs = qs.filter(external_document_id=int(external))
    qs = by_agency(qs, agency)
    overdue_now = ExpressionWrapper(Q(status=ReviewTaskStatus.OPEN, due_on__lt=today), output_field=BooleanField())
    return qs.annotate(is_overdue=overdue_now).order_by("status", "due_on", "id")


def review_task_get_for_user(user, pk) -> ReviewTask:
    return get_or_404(review_tasks_for_user(user), pk)


def review_task_counts(user, today: datetime.date | None = None) -> dict:
    """``{"open": n, "overdue": n}`` of the tasks the user sees."""
    today = today or timezone.localdate()
    qs = policy.filter(user, "view_externaldocument", ReviewTask.objects).filter(status=ReviewTaskStatus.OPEN)
    return qs.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


# --- procedures citing documents no longer in force -------------------------------------------------


def procedures_citing_no_longer_in_force(user, *, q: str = "", agency: str = ""):
    """Documents (procedures) whose legal basis includes an expired document, each with
    ``outdated_basis``: those documents and what replaced them."""
    outdated = ExternalDocument.objects.filter(status__in=NO_LONGER_IN_FORCE)
    qs = policy.filter(user, "view_document", Document.objects).filter(
        Exists(outdated.filter(cited_by=OuterRef("pk")))
    )
    if q:
        qs = qs.filter(title_folded__contains=fold(q.strip()))
    qs = by_agency(qs, agency)
    return (
        qs.select_related("agency", "owner_unit")
        .annotate(open_review_count=Count("review_tasks", filter=Q(review_tasks__status=ReviewTaskStatus.OPEN)))
        .prefetch_related(
            Prefetch(
                "legal_basis",
                queryset=outdated.select_related("replaced_by").order_by("number"),
                to_attr="outdated_basis",
            )
        )
        .order_by("agency__name", "code")
    )
