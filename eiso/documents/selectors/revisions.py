"""Scoped reads of documents, revisions, files, change requests, comments and distribution.

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
"""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When

from eiso.core.selectors import get_or_404
from eiso.core.text import fold, is_id
from eiso.documents.choices import OPEN_STATUSES, DocumentKind, RevisionStatus
from eiso.documents.models import (
    ChangeRequest,
    Comment,
    DistributionEntry,
    Document,
    DocumentRevision,
    RevisionFile,
    RevisionTransition,
)
from eiso.documents.permissions import policy


def kind_order():
    """The register's order of kinds (policy, objectives, manual, system procedures, operational
    procedures, forms, …: DocumentKind's order) as a sortable number; an unknown kind comes last."""
    return Case(*(When(kind=value, then=Value(i)) for i, value in enumerate(DocumentKind.values)),
                default=Value(len(DocumentKind.values)), output_field=IntegerField())


def _effective_prefetch():
    return Prefetch("revisions", queryset=DocumentRevision.objects.filter(status=RevisionStatus.EFFECTIVE),
                    to_attr="effective_revisions")


def documents_for_user(user, *, q: str = "", kind: str = "", unit: str = "", agency: str = "",
                       status: str = ""):
    """The document register, in its printed order (agency, then kind as ``kind_order``, then code).
    ``status``: effective (has an effective revision), draft (a revision in the works), withdrawn
    (nothing in force)."""
    qs = policy.filter(user, "view_document", Document.objects).select_related(
        "agency", "owner_unit")
    if q:
        qs = qs.filter(title_folded__contains=fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if unit and is_id(unit):
        qs = qs.filter(owner_unit_id=unit)
    if agency:
        qs = qs.filter(agency_id=agency) if is_id(agency) else qs.filter(agency__code=agency)
    effective = DocumentRevision.objects.filter(document=OuterRef("pk"), status=RevisionStatus.EFFECTIVE)
    open_ = DocumentRevision.objects.filter(document=OuterRef("pk"), status__in=OPEN_STATUSES)
    if status == "effective":
        qs = qs.filter(Exists(effective))
    elif status == "draft":
        qs = qs.filter(Exists(open_))
    elif status == "none":
        qs = qs.exclude(Exists(effective))
    return qs.annotate(has_open_revision=Exists(open_), kind_order=kind_order()).prefetch_related(
        _effective_prefetch()).order_by("agency__name", "kind_order", "code")


def document_get_for_user(user, pk) -> Document:
    return get_or_404(documents_for_user(user), pk)


def revisions_of(document: Document):
    """A document's revisions, newest first, with who did what (the revision history table)."""
    return document.revisions.select_related("drafted_by", "reviewed_by", "approved_by").annotate(
        file_count=Count("files")).order_by("-issue_number")


def comments_of(document: Document):
    """Comments on every revision of ``document``, newest first."""
    return (Comment.objects.filter(revision__document=document).select_related("author", "revision")
            .order_by("-created_at", "-id"))


def transitions_of(document: Document):
    """The workflow moves of every revision of ``document``, newest first."""
    return (RevisionTransition.objects.filter(revision__document=document).select_related("actor", "revision")
            .order_by("-at", "-id"))


def revisions_for_user(user, *, status: str = "", q: str = ""):
    qs = policy.filter(user, "view_document", DocumentRevision.objects).select_related(
        "document", "document__agency", "drafted_by")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(document__title_folded__contains=fold(q))
    return qs.order_by("-created_at", "-id")


def revision_get_for_user(user, pk) -> DocumentRevision:
    return get_or_404(revisions_for_user(user).select_related("reviewed_by", "approved_by", "document__owner_unit")
                .prefetch_related(
                    Prefetch("files", queryset=RevisionFile.objects.order_by("id")),
                    Prefetch("transitions", queryset=RevisionTransition.objects.select_related("actor")),
                    Prefetch("comments", queryset=Comment.objects.select_related("author")),
                ), pk)


def current_revision(document: Document) -> DocumentRevision | None:
    return document.revisions.filter(status=RevisionStatus.EFFECTIVE).first()


def revision_file_get_for_user(user, pk) -> RevisionFile:
    return get_or_404(policy.filter(user, "view_document", RevisionFile.objects).select_related(
        "revision", "revision__document"), pk)


def distribution_of(revision: DocumentRevision):
    return revision.distribution.select_related("user").order_by("acknowledged_at", "user__full_name")


def pending_acknowledgements(user):
    """Effective revisions this user must read and has not acknowledged."""
    return DistributionEntry.objects.filter(user=user, acknowledged_at__isnull=True,
                                            revision__status=RevisionStatus.EFFECTIVE).select_related(
        "revision", "revision__document").order_by("-notified_at")


def revisions_awaiting_user(user, *, limit: int = 50) -> list[DocumentRevision]:
    """Revisions of the user's agency in review that wait for this user: to review (not reviewed
    yet) or to approve (reviewed), oldest first."""
    agency = getattr(user, "agency", None) if user.is_authenticated else None
    if agency is None:
        return []
    review = policy.filter(user, "review_revision", DocumentRevision.objects.filter(
        document__agency=agency, status=RevisionStatus.IN_REVIEW))
    approve = policy.filter(user, "approve_revision", DocumentRevision.objects.filter(
        document__agency=agency, status=RevisionStatus.REVIEWED))
    return list(DocumentRevision.objects.filter(Q(pk__in=review.values("pk")) | Q(pk__in=approve.values("pk")))
                .select_related("document", "document__agency", "drafted_by").order_by("created_at", "id")[:limit])


def distribution_entry_get_for_user(user, pk) -> DistributionEntry:
    return get_or_404(policy.filter(user, "view_document", DistributionEntry.objects).select_related(
        "revision", "revision__document", "user"), pk)


def change_requests_for_user(user, *, status: str = "", kind: str = "", q: str = ""):
    qs = policy.filter(user, "view_document", ChangeRequest.objects).select_related(
        "agency", "document", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(reason__icontains=q) | Q(proposed_title__icontains=q) | Q(document__code__icontains=q))
    return qs.order_by("-requested_at", "-id")


def change_request_get_for_user(user, pk) -> ChangeRequest:
    return get_or_404(change_requests_for_user(user), pk)


def quality_policy_in_force(user, agency) -> DocumentRevision | None:
    """The agency's quality policy in force (the effective revision of its ``policy`` document),
    read through the user's scope; None when it has none yet."""
    if agency is None:
        return None
    return policy.filter(user, "view_document", DocumentRevision.objects).filter(
        document__agency=agency, document__kind=DocumentKind.POLICY, status=RevisionStatus.EFFECTIVE,
    ).select_related("document", "document__agency", "approved_by").first()


def acknowledgement_state(user, revision: DocumentRevision, *, limit: int = 30) -> dict:
    """Where ``user`` stands with ``revision`` (``mine``: their distribution entry or None) and, for
    who may see the distribution list, how many have read it and the first ``limit`` who have not
    (``readers``: None for the others)."""
    mine = revision.distribution.filter(user=user).first() if user.pk else None
    readers = None
    if user.has_perm("documents.view_distribution", revision):
        counts = revision.distribution.aggregate(total=Count("id"), done=Count("id", filter=Q(
            acknowledged_at__isnull=False)))
        pending = list(revision.distribution.filter(acknowledged_at__isnull=True).select_related("user")
                       .order_by("user__full_name", "user_id")[:limit])
        readers = {"total": counts["total"], "done": counts["done"], "pending_count": counts["total"] - counts["done"],
                   "pending": [entry.user for entry in pending]}
    return {"mine": mine, "readers": readers}
