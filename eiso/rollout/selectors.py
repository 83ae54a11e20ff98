"""Scoped reads of rollouts, their phases, procedure registry and gap surveys, and the progress
figures computed from them (``progress``).

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import fold
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import Document, DocumentRevision
from eiso.rollout import progress
from eiso.rollout.choices import GapResult, ItemStatus, PhaseStatus
from eiso.rollout.models import GapAssessment, GapSurvey, RegistryItem, Rollout, RolloutPhase
from eiso.rollout.permissions import policy
from eiso.rollout.services import PROCEDURE_KINDS

VIEW = "view_rollout"


def rollouts_for_user(user, *, agency: str = "", status: str = "", q: str = "",
                      today: datetime.date | None = None) -> QuerySet[Rollout]:
    """The rollouts ``user`` reads, each with its registry counts (``items``, ``issued``, ``overdue``)."""
    qs = policy.filter(user, VIEW, Rollout.objects).select_related("agency")
    qs = by_agency(qs, agency)
    if status:
        qs = qs.filter(status=status)
    if q:
        folded = fold(q.strip())
        qs = qs.filter(Q(agency__name_folded__contains=folded) | Q(title__icontains=q.strip()))
    day = today or timezone.localdate()
    return qs.annotate(
        items=Count("registry_items", distinct=True),
        issued=Count("registry_items", filter=Q(registry_items__status=ItemStatus.ISSUED), distinct=True),
        overdue=Count("registry_items", filter=Q(registry_items__deadline__lt=day)
                      & ~Q(registry_items__status=ItemStatus.ISSUED), distinct=True),
    ).order_by("agency__name", "-started_on")


def rollout_get_for_user(user, pk) -> Rollout:
    return get_or_404(rollouts_for_user(user), pk)


def phases_of(rollout: Rollout) -> list[RolloutPhase]:
    return list(RolloutPhase.objects.filter(rollout=rollout).order_by("number"))


def current_phase(phases: list[RolloutPhase]) -> RolloutPhase | None:
    """The phase under way (the first in progress), else the next one not started."""
    return (next((p for p in phases if p.status == PhaseStatus.IN_PROGRESS), None)
            or next((p for p in phases if p.status == PhaseStatus.PLANNED), None))


def phase_get_for_user(user, pk) -> RolloutPhase:
    return get_or_404(policy.filter(user, VIEW, RolloutPhase.objects).select_related("rollout__agency"), pk)


def registry_items_for_user(user, *, rollout: Rollout | None = None, q: str = "", status: str = "",
                            unit: str = "", overdue: bool = False,
                            today: datetime.date | None = None) -> QuerySet[RegistryItem]:
    """Procedures of the registries ``user`` reads; ``q`` matches the title and the TTHC code
    whatever the diacritics; ``unit``: a unit id, or ``none`` for those with no unit yet."""
    qs = policy.filter(user, VIEW, RegistryItem.objects).select_related(
        "rollout__agency", "drafting_unit", "admin_procedure", "document")
    if rollout is not None:
        qs = qs.filter(rollout=rollout)
    if q:
        qs = qs.filter(title_folded__contains=fold(q.strip()))
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    if unit == "none":
        qs = qs.filter(drafting_unit__isnull=True)
    elif unit.isascii() and unit.isdigit() and len(unit) < 12:
        qs = qs.filter(drafting_unit_id=int(unit))
    if overdue:
        qs = qs.filter(deadline__lt=today or timezone.localdate()).exclude(status=ItemStatus.ISSUED)
    return qs.order_by("rollout", "number")


def registry_item_get_for_user(user, pk) -> RegistryItem:
    return get_or_404(registry_items_for_user(user), pk)


def registry_progress(rollout: Rollout, day: datetime.date) -> tuple[progress.Tally, list[progress.Tally]]:
    """The registry's progress on ``day``, overall and per drafting unit (one query)."""
    rows = RegistryItem.objects.filter(rollout=rollout).values_list(
        "drafting_unit_id", "drafting_unit__name", "status", "deadline", "issued_on")
    return progress.tally((progress.ItemFacts(unit_id=u, unit_name=name or "", status=s, deadline=d, issued_on=i)
                           for u, name, s, d, i in rows), day)


def registry_units(rollout: Rollout) -> list[tuple[int, str]]:
    """The drafting units of the registry, for a filter."""
    return list(RegistryItem.objects.filter(rollout=rollout, drafting_unit__isnull=False)
                .values_list("drafting_unit_id", "drafting_unit__name").distinct().order_by("drafting_unit__name"))


def documents_to_issue(rollout: Rollout):
    """The agency's procedures that are in force, which an item of the registry may be issued as."""
    effective = DocumentRevision.objects.filter(document=OuterRef("pk"), status=RevisionStatus.EFFECTIVE)
    return (Document.objects.filter(agency_id=rollout.agency_id, kind__in=PROCEDURE_KINDS)
            .filter(Exists(effective)).order_by("code"))


def gap_surveys_of(rollout: Rollout) -> list[GapSurvey]:
    return list(GapSurvey.objects.filter(rollout=rollout).annotate(
        **{f"n_{r}": Count("assessments", filter=Q(assessments__result=r)) for r in GapResult.values})
        .order_by("-surveyed_on", "-id"))


def gap_survey_get_for_user(user, pk) -> GapSurvey:
    return get_or_404(policy.filter(user, VIEW, GapSurvey.objects).select_related("rollout__agency"), pk)


def gap_assessments_of(survey: GapSurvey, *, result: str = "") -> QuerySet[GapAssessment]:
    qs = GapAssessment.objects.filter(survey=survey).select_related("clause")
    if result in GapResult.values:
        qs = qs.filter(result=result)
    return qs.order_by("clause__sort_key", "clause__code")


def gap_summary(survey: GapSurvey) -> dict[str, int]:
    """``{result: count}`` over every result, and ``total``."""
    counts = dict(GapAssessment.objects.filter(survey=survey).order_by().values_list("result")
                  .annotate(n=Count("pk")))
    summary = {r: counts.get(r, 0) for r in GapResult.values}
    summary["total"] = sum(summary.values())
    return summary


def gap_assessment_get_for_user(user, pk) -> GapAssessment:
    return get_or_404(policy.filter(user, VIEW, GapAssessment.objects).select_related(
        "survey__rollout__agency", "clause"), pk)
