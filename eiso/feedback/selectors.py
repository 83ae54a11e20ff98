"""Scoped reads of citizen satisfaction and complaints.

Satisfaction figures are computed in the database as sums and counts of each indicator's scores
(per month, per procedure, per unit or per agency) and turned into means, totals and grades by
the pure functions of ``calculations``. Every query starts from the app's scope policy;
``*_get_for_user`` raise NotFound outside it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import is_id
from eiso.feedback.calculations import Period, grade, indicator_means, periods_of_year, total_score
from eiso.feedback.choices import INDICATORS, MAX_TOTAL, OPEN, ComplaintStatus
from eiso.feedback.models import Complaint, FeedbackSettings, SatisfactionBenchmark, SatisfactionEvaluation
from eiso.feedback.permissions import policy
from eiso.organizations.selectors import visible_agencies


def _aggregates() -> dict:
    parts = {"n": Count("id")}
    for i in INDICATORS:
        parts[f"s{i}"] = Sum(f"score_{i}")
        parts[f"c{i}"] = Count(f"score_{i}")
    return parts


@dataclass
class Figures:
    """The satisfaction of one group (an agency, a procedure, a unit) over one period."""

    evaluations: int = 0
    indicators: dict = field(default_factory=dict)  # indicator → mean score (None: not scored)
    label: str = ""
    key: object = None

    @property
    def score(self) -> Decimal | None:
        return total_score(self.indicators)

    @property
    def grade(self) -> str | None:
        return grade(self.score)

    @property
    def percent(self) -> Decimal | None:
        """The score as a share of 18, to set beside the SIPAS index (a percentage)."""
        return None if self.score is None else (self.score * 100 / MAX_TOTAL).quantize(Decimal("0.1"))


def _figures(row: dict, **extra) -> Figures:
    sums = {i: row.get(f"s{i}") or 0 for i in INDICATORS}
    counts = {i: row.get(f"c{i}") or 0 for i in INDICATORS}
    return Figures(evaluations=row.get("n") or 0, indicators=indicator_means(sums, counts), **extra)


def evaluations_for_user(user, *, agency: str = "", period: Period | None = None, admin_procedure: str = "",
                         unit: str = "") -> QuerySet[SatisfactionEvaluation]:
    qs = policy.filter(user, "view_satisfaction", SatisfactionEvaluation.objects)
    if period is not None:
        qs = qs.filter(evaluated_on__gte=period.start, evaluated_on__lte=period.end)
    if admin_procedure and is_id(admin_procedure):
        qs = qs.filter(admin_procedure_id=int(admin_procedure))
    if unit and is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    return by_agency(qs, agency)


def satisfaction_figures(user, *, period: Period, agency: str = "", admin_procedure: str = "",
                         unit: str = "") -> Figures:
    """The figures of everything ``user`` reads (narrowed by the filters) over ``period``."""
    row = evaluations_for_user(user, agency=agency, period=period, admin_procedure=admin_procedure,
                               unit=unit).order_by().aggregate(**_aggregates())
    return _figures(row, label=period.label, key=period.key)


GROUPS = {
    "agency": ("agency", "agency__name"),
    "procedure": ("admin_procedure", "admin_procedure__name"),
    "unit": ("unit", "unit__name"),
}


def satisfaction_by(user, group: str, *, period: Period, agency: str = "", admin_procedure: str = "",
                    unit: str = "") -> list[Figures]:
    """The figures per agency, procedure or unit (one query), best score first."""
    key, name = GROUPS[group]
    rows = (evaluations_for_user(user, agency=agency, period=period, admin_procedure=admin_procedure, unit=unit)
            .order_by().values(key, name).annotate(**_aggregates()))
    figures = [_figures(r, key=r[key], label=r[name] or "—") for r in rows]
    return sorted(figures, key=lambda f: (f.score is None, -(f.score or 0), f.label))


def satisfaction_series(user, *, year: int, kind: str, agency: str = "", admin_procedure: str = "",
                        unit: str = "") -> list[Figures]:
    """The figures of each month or quarter of ``year`` (one query by month, added up)."""
    whole = periods_of_year(year, "year")[0]
    rows = (evaluations_for_user(user, agency=agency, period=whole, admin_procedure=admin_procedure, unit=unit)
            .order_by().annotate(month=ExtractMonth("evaluated_on")).values("month").annotate(**_aggregates()))
    by_month = {r["month"]: r for r in rows}
    series = []
    for period in periods_of_year(year, kind):
        total: dict = {}
        for month in range(period.start.month, period.end.month + 1):
            for k, v in by_month.get(month, {}).items():
                if k != "month":
                    total[k] = (total.get(k) or 0) + (v or 0)
        series.append(_figures(total, label=period.label, key=period.key))
    return series


def benchmarks_for_user(user, *, agency: str = "", year: int | None = None) -> QuerySet[SatisfactionBenchmark]:
    qs = policy.filter(user, "view_satisfaction", SatisfactionBenchmark.objects).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    return by_agency(qs, agency).order_by("-year", "agency__name")


def latest_benchmarks(user, *, agency: str = "", year: int) -> list[SatisfactionBenchmark]:
    """Each agency's SIPAS figure of ``year``, or of the latest year before it (SIPAS of a year is
    published the next year, so beside this year's score stands last year's index)."""
    latest: dict[int, SatisfactionBenchmark] = {}
    for benchmark in benchmarks_for_user(user, agency=agency).filter(year__lte=year):
        latest.setdefault(benchmark.agency_id, benchmark)
    return sorted(latest.values(), key=lambda b: b.agency.name)


# --- complaints -----------------------------------------------------------------------------------


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN, due_on__lt=today)


COMPLAINT_STATES = ("open", "overdue", "answered", "rejected", "justified", "without_nonconformity")


def _state_q(state: str, today: datetime.date) -> Q:
    return {
        "open": Q(status__in=OPEN),
        "overdue": overdue_q(today),
        "answered": Q(status=ComplaintStatus.ANSWERED),
        "rejected": Q(status=ComplaintStatus.REJECTED),
        "justified": Q(justified=True),
        "without_nonconformity": Q(justified=True, nonconformity__isnull=True),
    }[state]


def complaints_for_user(user, *, q: str = "", state: str = "", status: str = "", channel: str = "",
                        unit: str = "", admin_procedure: str = "", agency: str = "",
                        today: datetime.date | None = None) -> QuerySet[Complaint]:
    today = today or timezone.localdate()
    qs = policy.filter(user, "view_complaint", Complaint.objects).select_related(
        "agency", "unit", "admin_procedure", "dossier", "nonconformity")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(person__icontains=q) | Q(content__icontains=q)
                       | Q(dossier__code__icontains=q) | Q(admin_procedure__code__icontains=q))
    if state in COMPLAINT_STATES:
        qs = qs.filter(_state_q(state, today))
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if unit and is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if admin_procedure and is_id(admin_procedure):
        qs = qs.filter(admin_procedure_id=int(admin_procedure))
    return by_agency(qs, agency).order_by("-received_on", "-id")


def complaint_get_for_user(user, pk) -> Complaint:
    return get_or_404(complaints_for_user(user).select_related("created_by", "nonconformity"), pk)


def complaint_counts(user, *, agency: str = "", today: datetime.date | None = None) -> dict:
    """Open, overdue, answered on time and answered late, over everything ``user`` reads (one query)."""
    today = today or timezone.localdate()
    qs = by_agency(policy.filter(user, "view_complaint", Complaint.objects), agency).order_by()
    return qs.aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN)), overdue=Count("id", filter=overdue_q(today)),
        on_time=Count("id", filter=Q(answered_on__isnull=False, answered_on__lte=F("due_on"))),
        late=Count("id", filter=Q(answered_on__isnull=False, answered_on__gt=F("due_on"))))


def overdue_by_agency(user, *, today: datetime.date | None = None) -> dict[int, int]:
    """Complaints past their answer date, per agency ``user`` reads (one query)."""
    today = today or timezone.localdate()
    agency_ids = visible_agencies(user).values("pk")
    rows = (Complaint.objects.filter(agency_id__in=agency_ids).filter(overdue_q(today))
            .order_by().values_list("agency_id").annotate(n=Count("id")))
    return dict(rows)


def settings_of(agency) -> FeedbackSettings:
    """The agency's settings (unsaved defaults when it has none)."""
    return FeedbackSettings.objects.filter(agency=agency).first() or FeedbackSettings(agency=agency)
