"""Scoped reads of the TTHC catalogue and process definitions.

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
"""

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When

from eiso.core.selectors import get_or_404
from eiso.core.text import fold, is_id
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import Document, DocumentRevision, ExternalDocument
from eiso.organizations.models import Unit
from eiso.procedures.choices import GAP_STATUSES, Coverage
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep
from eiso.procedures.permissions import policy


def with_coverage(qs):
    """Annotate TTHC with ``coverage`` (a ``Coverage`` value): is there an operational procedure,
    is one of its revisions in force, does it have a current process?"""
    effective = DocumentRevision.objects.filter(document=OuterRef("process_document"),
                                                status=RevisionStatus.EFFECTIVE)
    current = ProcessDefinition.objects.filter(document=OuterRef("process_document"), is_current=True)
    return qs.annotate(
        has_effective=Exists(effective), has_process=Exists(current),
    ).annotate(coverage=Case(
        When(process_document__isnull=True, then=Value(Coverage.NO_PROCEDURE.value)),
        When(has_effective=False, then=Value(Coverage.NOT_EFFECTIVE.value)),
        When(has_process=False, then=Value(Coverage.NO_PROCESS.value)),
        default=Value(Coverage.COVERED.value),
    ))


def admin_procedure_options_for_user(user) -> list[tuple[int, str, str, str]]:
    """``(pk, code, name, agency short name or name)`` of the TTHC ``user`` may read, in the
    catalogue's order: the choices of a filter, without the coverage the catalogue computes."""
    qs = policy.filter(user, "view_adminprocedure", AdminProcedure.objects).order_by("agency__name", "field", "code")
    return [(pk, code, name, short or agency)
            for pk, code, name, short, agency in qs.values_list("pk", "code", "name", "agency__short_name",
                                                                 "agency__name")]


def admin_procedures_for_user(user, *, q: str = "", field: str = "", agency: str = "", level: str = "",
                              online_level: str = "", coverage: str = "", active: str = ""):
    """The TTHC catalogue ``user`` may read; ``q`` matches code and name whatever the diacritics.
    ``coverage``: a ``Coverage`` value, or ``gap`` for any of the uncovered ones; ``active``:
    ``1`` published only, ``0`` abolished only. Each row carries ``coverage``."""
    qs = policy.filter(user, "view_adminprocedure", AdminProcedure.objects).select_related(
        "agency", "process_document")
    if q:
        qs = qs.filter(name_folded__contains=fold(q.strip()))
    if field:
        qs = qs.filter(field=field)
    if agency:
        qs = qs.filter(agency_id=int(agency)) if is_id(agency) else qs.filter(agency__code=agency)
    if level:
        qs = qs.filter(level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if active in ("0", "1"):
        qs = qs.filter(is_active=active == "1")
    qs = with_coverage(qs)
    if coverage == "gap":
        qs = qs.filter(coverage__in=[c.value for c in GAP_STATUSES])
    elif coverage in Coverage.values:
        qs = qs.filter(coverage=coverage)
    return qs.order_by("agency__name", "field", "code")


def admin_procedure_get_for_user(user, pk) -> AdminProcedure:
    return get_or_404(admin_procedures_for_user(user), pk)


def current_definition(document) -> ProcessDefinition | None:
    """The current process of an operational procedure, with its steps and their units."""
    if document is None:
        return None
    return (ProcessDefinition.objects.filter(document=document, is_current=True)
            .prefetch_related(Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")))
            .first())


def admin_procedure_fields(user) -> list[str]:
    """The fields (lĩnh vực) of the catalogue the user reads, for a filter."""
    return list(admin_procedures_for_user(user).exclude(field="").order_by("field")
                .values_list("field", flat=True).distinct())


def definitions_of(document):
    """Every version of the process of an operational procedure, newest first, with steps."""
    if document is None:
        return ProcessDefinition.objects.none()
    return (ProcessDefinition.objects.filter(document=document).select_related("created_by")
            .prefetch_related(Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")))
            .order_by("-version"))


def procedures_covered_by(document):
    """The TTHC an operational procedure resolves (it may cover several)."""
    return AdminProcedure.objects.filter(process_document=document).order_by("code")


def coverage_summary(user, *, agency: str = "") -> dict:
    """Published TTHC per coverage status (``{"total", "covered", "no_procedure", …, "percent"}``)."""
    qs = admin_procedures_for_user(user, agency=agency, active="1")
    counts = dict(qs.order_by().values_list("coverage").annotate(n=Count("pk")))
    summary = {c.value: counts.get(c.value, 0) for c in Coverage}
    total = sum(summary.values())
    summary["total"] = total
    summary["gap"] = total - summary[Coverage.COVERED]
    summary["percent"] = round(100 * summary[Coverage.COVERED] / total) if total else 0
    return summary


def coverage_by_agency(user) -> list[dict]:
    """Per agency the user reads: published TTHC and how many are covered (for overseers)."""
    qs = admin_procedures_for_user(user, active="1").order_by()
    rows = (qs.values("agency_id", "agency__name", "agency__short_name")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(coverage=Coverage.COVERED.value)))
            .order_by("agency__name"))
    return [coverage_row(r["agency_id"], r["agency__name"], r["agency__short_name"], r["total"], r["covered"])
            for r in rows]


def coverage_row(agency_id: int, name: str, short_name: str, total: int, covered: int) -> dict:
    """A row of ``coverage_by_agency``: an agency's published TTHC (``total``), how many are covered,
    the gap and the percent covered (labelled by the agency's short name, else its name)."""
    return {"agency_id": agency_id, "name": short_name or name, "total": total, "covered": covered,
            "gap": total - covered, "percent": round(100 * covered / total) if total else 0}


def coverage_counts_by_agency(user, agency_ids) -> dict[int, dict]:
    """Per given agency that has TTHC the user reads (one query): the published ones (``total``),
    those of them covered (``covered``, as in ``coverage_by_agency``) and every one, abolished ones
    too (``catalogued``)."""
    published = Q(is_active=True)
    rows = (admin_procedures_for_user(user).filter(agency_id__in=list(agency_ids)).order_by()
            .values("agency_id")
            .annotate(total=Count("pk", filter=published),
                      covered=Count("pk", filter=published & Q(coverage=Coverage.COVERED.value)),
                      catalogued=Count("pk")))
    return {r.pop("agency_id"): r for r in rows}


def operational_procedures_for(agency_ids):
    """Operational procedures of the given agencies (choices of a TTHC's procedure)."""
    return (Document.objects.filter(agency_id__in=list(agency_ids), kind=DocumentKind.OPERATIONAL_PROCEDURE)
            .select_related("agency").order_by("agency__name", "code"))


def legal_documents_for(agency_ids):
    """External documents of the given agencies' registers (choices of a TTHC's legal basis)."""
    return ExternalDocument.objects.filter(agency_id__in=list(agency_ids)).order_by("number")


def units_of(agency_id):
    return Unit.objects.filter(agency_id=agency_id).order_by("name")
