"""Scoped reads of quality objectives and their measurements."""

from django.db.models import Count, Prefetch, Q, QuerySet

from eiso.core.selectors import by_agency, get_or_404
from eiso.objectives.models import Measurement, QualityObjective
from eiso.objectives.permissions import policy


def objectives_for_user(user, *, year: int | None = None, agency: str = "", indicator: str = "",
                        q: str = "") -> QuerySet[QualityObjective]:
    qs = policy.filter(user, "view_objective", QualityObjective.objects).select_related(
        "agency", "unit", "owner", "admin_procedure")
    if year:
        qs = qs.filter(year=year)
    if indicator:
        qs = qs.filter(indicator=indicator)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    qs = qs.annotate(measured=Count("measurements"), met_count=Count("measurements", filter=Q(measurements__met=True)))
    return by_agency(qs, agency).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("period_start"))).order_by("agency__name", "id")


def objective_get_for_user(user, pk) -> QualityObjective:
    return get_or_404(objectives_for_user(user), pk)


def measurements_for_user(user, objective) -> QuerySet[Measurement]:
    return policy.filter(user, "view_objective", Measurement.objects).filter(objective=objective).order_by(
        "period_start")


def measurement_get_for_user(user, pk) -> Measurement:
    return get_or_404(policy.filter(user, "view_objective", Measurement.objects).select_related(
        "objective", "objective__agency", "objective__unit", "objective__admin_procedure", "nonconformity"), pk)
