"""On-time statistics, read from ``DossierRollup`` only (never a scan of dossiers or events).

Every read starts at ``rollups_for_user``, which keeps the agencies ``user`` may read (their own,
or the province for overseers). ``StatsQuery`` is the parsed filter: a month range (the month a
dossier or step finished in), and optionally one agency, one procedure, one field. Each
``by_*`` function is one GROUP BY over the rollups (plus at most one query for labels), so a
page costs the same few queries whatever the number of procedures, months or dossiers.

Rates are computed by the pure functions of ``eiso.dossiers.rates``. The only reads of dossier
rows are the "open now" / "overdue now" counts, which use the (agency, status, due_at) index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, Sum, Window
from django.db.models.functions import Cast, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.charts import percent_axis_min
from eiso.core.errors import NotFound, ValidationFailed
from eiso.core.text import is_id
from eiso.dossiers.choices import OPEN_STATUSES_SORTED
from eiso.dossiers.models import Dossier, DossierRollup
from eiso.dossiers.permissions import policy
from eiso.dossiers.rates import (
    Counts,
    default_period,
    months_between,
    parse_month,
    period_errors,
    rank,
)
from eiso.dossiers.selectors.lists import RUNNING_STATUSES
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Unit
from eiso.organizations.permissions import policy as organizations_policy
from eiso.organizations.selectors import visible_agencies
from eiso.procedures.models import AdminProcedure, ProcessStep
from eiso.procedures.permissions import policy as procedures_policy

GROUPS = ("agency", "procedure", "step", "unit", "month", "procedure_month")
SORTS = ("late", "rate", "total", "name")
SUMS = {"early": Sum("early"), "on_time": Sum("on_time"), "late": Sum("late")}


@dataclass(frozen=True)
class StatsQuery:
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month
    agency_id: int | None = None
    procedure_id: int | None = None
    field: str = ""

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)


@dataclass(slots=True)
class StatRow:
    """One line of a statistics table: what it is about, and its counts and rates."""

    key: object
    label: str
    counts: Counts
    code: str = ""
    agency: str = ""
    procedure_id: int | None = None
    step: int | None = None
    month: dt.date | None = None
    unit: str = ""
    rank: int | None = None
    extra: dict = field(default_factory=dict)

    early = property(lambda self: self.counts.early)
    on_time = property(lambda self: self.counts.on_time)
    late = property(lambda self: self.counts.late)
    total = property(lambda self: self.counts.total)
    on_time_rate = property(lambda self: self.counts.on_time_rate)
    late_rate = property(lambda self: self.counts.late_rate)

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "code": self.code, "agency": self.agency,
                "procedure_id": self.procedure_id, "step": self.step,
                "month": self.month.strftime("%Y-%m") if self.month else None, "unit": self.unit,
                "early": self.early, "on_time": self.on_time, "late": self.late, "total": self.total,
                "on_time_rate": self.on_time_rate, "late_rate": self.late_rate, "rank": self.rank}


def _counts(row: dict) -> Counts:
    return Counts(row["early"] or 0, row["on_time"] or 0, row["late"] or 0)


# --- the filter ------------------------------------------------------------------------------------

def statistics_query(user, *, start: str = "", end: str = "", agency: str = "", procedure: str = "",
                     field: str = "", today: dt.date | None = None) -> StatsQuery:
    """Parse the filters (months as ``YYYY-MM``; empty: the last 12 months to ``today``).

    Raises ``ValidationFailed`` (errors on ``from``/``to``) for a bad period and ``NotFound`` for an
    agency or procedure ``user`` may not read, exactly as for one that does not exist."""
    today = today or timezone.localdate()
    default_start, default_end = default_period(today)
    first = parse_month(start) if start else default_start
    last = parse_month(end) if end else default_end
    if start and not end and first is not None and first > last:
        last = first
    problems = period_errors(first, last)
    if problems:
        messages = {
            "from": _("Enter the first month as YYYY-MM."),
            "to": _("Enter the last month as YYYY-MM."),
            "order": _("The first month is after the last month."),
            "length": _("Choose a period of at most ten years."),
        }
        errors = {("to" if p in ("to", "order", "length") else "from"): [str(messages[p])] for p in problems}
        raise ValidationFailed(_("The period is not valid."), errors=errors)
    agency_id = procedure_id = None
    if agency:
        if not is_id(agency):
            raise NotFound()
        agency_id = visible_agencies(user).filter(pk=int(agency)).values_list("pk", flat=True).first()
        if agency_id is None:
            raise NotFound()
    if procedure:
        if not is_id(procedure):
            raise NotFound()
        procedure_id = procedures_policy.filter(user, "view_adminprocedure", AdminProcedure.objects).filter(
            pk=int(procedure)).values_list("pk", flat=True).first()
        if procedure_id is None:
            raise NotFound()
    return StatsQuery(start=first, end=last, agency_id=agency_id, procedure_id=procedure_id,
                      field=(field or "").strip()[:200])


def rollups_for_user(user, query: StatsQuery):
    qs = policy.filter(user, "view_dossierrollup", DossierRollup.objects).filter(
        month__gte=query.start, month__lte=query.end)
    if query.agency_id:
        qs = qs.filter(agency_id=query.agency_id)
    if query.procedure_id:
        qs = qs.filter(admin_procedure_id=query.procedure_id)
    if query.field:
        qs = qs.filter(admin_procedure__field=query.field)
    return qs


def _dossiers(user, query: StatsQuery):
    qs = policy.filter(user, "view_dossier", Dossier.objects)
    if query.agency_id:
        qs = qs.filter(agency_id=query.agency_id)
    if query.procedure_id:
        qs = qs.filter(admin_procedure_id=query.procedure_id)
    if query.field:
        qs = qs.filter(admin_procedure__field=query.field)
    return qs


# --- figures ---------------------------------------------------------------------------------------

def totals(user, query: StatsQuery) -> Counts:
    """Dossiers finished in the period: early, on time, late."""
    return _counts(rollups_for_user(user, query).filter(step=0).aggregate(**SUMS))


def open_now(user, query: StatsQuery, *, now: dt.datetime | None = None) -> dict:
    """``{"open", "overdue"}``: dossiers not finished yet, and those of them past their due
    instant with the clock running (a dossier waiting for a supplement or a payment is not). The open
    statuses as the open dossiers' partial index (dossier_open_due_idx) is written (sorted): SQLite
    reads it only for its condition word for word."""
    return _dossiers(user, query).filter(status__in=OPEN_STATUSES_SORTED).aggregate(**_open_counts(now))


def _open_counts(now: dt.datetime | None) -> dict:
    now = now or timezone.now()
    running = Q(status__in=RUNNING_STATUSES)
    # Count("status") (never null), not Count("pk"): every column it reads is in the open dossiers'
    # index (agency, due_at, status), so PostgreSQL counts from the index alone.
    return {"open": Count("status"), "overdue": Count("status", filter=running & Q(due_at__lt=now))}


def open_now_by_agency(user, query: StatsQuery, agency_ids, *, now: dt.datetime | None = None) -> dict[int, dict]:
    """``open_now`` of each of the given agencies that has open dossiers (one query)."""
    return {r.pop("agency_id"): r for r in _dossiers(user, query).filter(
        status__in=OPEN_STATUSES_SORTED, agency_id__in=list(agency_ids)).values("agency_id").annotate(
        **_open_counts(now)).order_by()}


def by_month(user, query: StatsQuery) -> list[StatRow]:
    """One row per month of the period, months without dossiers included (zero counts)."""
    found = {r["month"]: _counts(r) for r in rollups_for_user(user, query).filter(step=0).values("month")
             .annotate(**SUMS).order_by()}
    return month_rows(query, found)


def month_rows(query: StatsQuery, found: dict[dt.date, Counts]) -> list[StatRow]:
    """``by_month``'s rows from the counts of the months that have some (``found``)."""
    return [StatRow(key=m.strftime("%Y-%m"), label=m.strftime("%m/%Y"), month=m, counts=found.get(m, Counts()))
            for m in query.months]


def by_agency_and_month(user, query: StatsQuery, agency_ids) -> dict[int, dict[dt.date, Counts]]:
    """``{agency id: {month: counts}}`` of the given agencies, the months of the period that have
    rollups only (one query): ``by_month`` and ``by_agency`` of those agencies, summed."""
    found: dict[int, dict[dt.date, Counts]] = {}
    for r in (rollups_for_user(user, query).filter(step=0, agency_id__in=list(agency_ids))
              .values("agency_id", "month").annotate(**SUMS).order_by()):
        found.setdefault(r["agency_id"], {})[r["month"]] = _counts(r)
    return found


def by_agency(user, query: StatsQuery) -> list[StatRow]:
    """One row per agency that has procedures, ranked by on-time rate (agencies without
    finished dossiers in the period come last, unranked)."""
    found = {r["agency_id"]: _counts(r) for r in rollups_for_user(user, query).filter(step=0)
             .values("agency_id").annotate(**SUMS).order_by()}
    agencies = organizations_policy.filter(user, "view_agency", Agency.objects)
    if query.agency_id:
        agencies = agencies.filter(pk=query.agency_id)
    agencies = (agencies.annotate(catalogued=Exists(AdminProcedure.objects.filter(agency=OuterRef("pk"))))
                .only("pk", "name", "code", "short_name", "valid_from", "valid_to").order_by("name"))
    return agency_rows([a for a in agencies if agency_listed(a, found, catalogued=a.catalogued)], found)


def agency_listed(agency, found: dict[int, Counts], *, catalogued: bool) -> bool:
    """Whether ``by_agency`` lists the agency: it has data (``found``), or it is active and has a TTHC
    catalogue (``catalogued``: any TTHC, abolished ones too), so that "no data" shows."""
    return agency.pk in found or (bool(catalogued) and agency.is_active)


def agency_rows(agencies, found: dict[int, Counts]) -> list[StatRow]:
    """``by_agency``'s rows, ranked, from the agencies (in the order of their names) and the counts of
    those that have some (``found``)."""
    rows = [StatRow(key=a.pk, label=a.name, code=a.code, agency=a.short_name or a.name,
                    counts=found.get(a.pk, Counts()))
            for a in agencies]
    ranks = rank([r.on_time_rate for r in rows])
    for row, r in zip(rows, ranks, strict=True):
        row.rank = r
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.label))


def procedure_labels(user, query: StatsQuery) -> dict[int, tuple[str, str, str, str]]:
    """Procedure id → (code, name, field, agency code) for the labels of the rows. Rollups are
    grouped on ids alone and labelled afterwards: grouping on names makes the sort wide."""
    qs = procedures_policy.filter(user, "view_adminprocedure", AdminProcedure.objects)
    if query.agency_id:
        qs = qs.filter(agency_id=query.agency_id)
    if query.procedure_id:
        qs = qs.filter(pk=query.procedure_id)
    if query.field:
        qs = qs.filter(field=query.field)
    return {pk: rest for pk, *rest in qs.values_list("pk", "code", "name", "field", "agency__code")}


NO_PROCEDURE = ("", "", "", "")


def _grouped(qs, sort: str | None, limit: int | None):
    """Grouped rollups, ordered and cut in the database when ``limit`` is given (a page shows
    the worst few of thousands of rows without building them all)."""
    if limit is None or sort not in ("late", "rate", "total"):
        return list(qs.order_by())
    qs = qs.annotate(n=F("early") + F("on_time") + F("late"), groups=Window(Count("*")))
    if sort == "total":
        qs = qs.order_by("-n", *qs.query.values_select)
    else:
        part = F("late") if sort == "late" else F("early") + F("on_time")
        qs = qs.annotate(r=Cast(part, FloatField()) / NullIf(F("n"), 0)).order_by(
            F("r").desc(nulls_last=True), "-n" if sort == "rate" else "-late", *qs.query.values_select)
    return list(qs[:limit])


def by_procedure(user, query: StatsQuery, *, sort: str | None = None, limit: int | None = None,
                 labels: dict | None = None) -> list[StatRow]:
    """One row per procedure (``labels``: ``procedure_labels`` when the caller has read them)."""
    rows = _grouped(rollups_for_user(user, query).filter(step=0).values("admin_procedure_id").annotate(**SUMS),
                    sort, limit)
    labels = procedure_labels(user, query) if labels is None else labels
    out = []
    for r in rows:
        code, name, field_name, agency = labels.get(r["admin_procedure_id"], NO_PROCEDURE)
        out.append(StatRow(key=r["admin_procedure_id"], label=name, code=code, agency=agency,
                           procedure_id=r["admin_procedure_id"], counts=_counts(r),
                           extra={"field": field_name, "groups": r.get("groups")}))
    return out


def step_names(procedure_ids) -> dict[tuple[int, int], tuple[str, str]]:
    """(procedure id, step number) → (step name, unit name) from the current process definition
    of each procedure's operational procedure."""
    ids = list(procedure_ids)
    if not ids:
        return {}
    names = {}
    for procedure_id, number, name, unit in ProcessStep.objects.filter(
            definition__is_current=True, definition__document__admin_procedures__in=ids).values_list(
            "definition__document__admin_procedures", "number", "name", "unit__name"):
        names[(procedure_id, number)] = (name, unit or "")
    return names


def by_step(user, query: StatsQuery, *, sort: str | None = None, limit: int | None = None,
            labels: dict | None = None) -> list[StatRow]:
    """One row per step of each procedure: which steps run late (``labels`` as for ``by_procedure``)."""
    rows = _grouped(rollups_for_user(user, query).filter(step__gt=0).values("admin_procedure_id", "step")
                    .annotate(**SUMS), sort, limit)
    labels = procedure_labels(user, query) if labels is None else labels
    names = step_names({r["admin_procedure_id"] for r in rows})
    out = []
    for r in rows:
        code, procedure, _field, agency = labels.get(r["admin_procedure_id"], NO_PROCEDURE)
        name, unit = names.get((r["admin_procedure_id"], r["step"]), ("", ""))
        out.append(StatRow(key=f"{r['admin_procedure_id']}-{r['step']}",
                           label=name or _("Step %(n)s") % {"n": r["step"]}, code=code, agency=agency,
                           procedure_id=r["admin_procedure_id"], step=r["step"], unit=unit, counts=_counts(r),
                           extra={"procedure": procedure, "groups": r.get("groups")}))
    return out


def by_unit(user, query: StatsQuery, *, sort: str | None = None, limit: int | None = None) -> list[StatRow]:
    """One row per unit answering for steps (the steps it handled, early/on time/late)."""
    rows = _grouped(rollups_for_user(user, query).filter(step__gt=0).values("unit_id", "agency_id")
                    .annotate(**SUMS), sort, limit)
    agencies = dict(visible_agencies(user).values_list("pk", "code"))
    units = dict(Unit.objects.filter(pk__in={r["unit_id"] for r in rows if r["unit_id"]}).values_list("pk", "name"))
    return [StatRow(key=r["unit_id"], label=units.get(r["unit_id"]) or _("(no unit)"),
                    agency=agencies.get(r["agency_id"], ""), counts=_counts(r), extra={"groups": r.get("groups")})
            for r in rows]


def by_procedure_month(user, query: StatsQuery) -> list[StatRow]:
    rows = rollups_for_user(user, query).filter(step=0).values("admin_procedure_id", "month").annotate(
        **SUMS).order_by()
    labels = procedure_labels(user, query)
    out = []
    for r in rows:
        code, name, _field, agency = labels.get(r["admin_procedure_id"], NO_PROCEDURE)
        out.append(StatRow(key=f"{r['admin_procedure_id']}-{r['month']:%Y-%m}", label=name, code=code,
                           agency=agency, procedure_id=r["admin_procedure_id"], month=r["month"], counts=_counts(r)))
    out.sort(key=lambda row: (row.code, row.procedure_id, row.month))
    return out


def top_rows(user, query: StatsQuery, group: str, sort: str, limit: int, *,
             labels: dict | None = None) -> tuple[list[StatRow], int]:
    """The first ``limit`` rows of a table in ``sort`` order, and how many there are in all
    (``labels``: the procedures' labels, for the procedure and step tables, read once per page)."""
    reader = GROUP_READERS[group]
    extra = {"labels": labels} if labels is not None and group in ("procedure", "step") else {}
    if sort not in ("late", "rate", "total"):
        rows = sort_rows(reader(user, query, **extra), sort)
        return rows[:limit], len(rows)
    rows = reader(user, query, sort=sort, limit=limit, **extra)
    count = rows[0].extra["groups"] if rows else 0  # COUNT(*) OVER (): no second query
    return sort_rows(rows, sort), count  # the same order; ties by code


GROUP_READERS = {"agency": by_agency, "procedure": by_procedure, "step": by_step, "unit": by_unit,
                 "month": by_month, "procedure_month": by_procedure_month}


def statistics_rows(user, query: StatsQuery, group: str) -> list[StatRow]:
    if group not in GROUP_READERS:
        raise ValidationFailed(_("Group by one of: %(groups)s.") % {"groups": ", ".join(GROUPS)},
                               errors={"group": [_("Unknown grouping.")]})
    return GROUP_READERS[group](user, query)


def sort_rows(rows: list[StatRow], how: str = "late") -> list[StatRow]:
    """``late``: late rate, worst first; ``rate``: on-time rate, best first; ``total``: most
    dossiers first; ``name``: by code and name. Rows without dossiers go last."""
    if how == "rate":
        key = lambda r: (r.on_time_rate is None, -(r.on_time_rate or 0), -r.total, r.code, r.label)  # noqa: E731
    elif how == "total":
        key = lambda r: (-r.total, r.code, r.label, r.step or 0)  # noqa: E731
    elif how == "name":
        key = lambda r: (r.agency, r.code, r.step or 0, r.label)  # noqa: E731
    else:
        key = lambda r: (r.late_rate is None, -(r.late_rate or 0), -r.late, r.code, r.step or 0, r.label)  # noqa: E731
    return sorted(rows, key=key)


# --- the dashboards' card --------------------------------------------------------------------------

@dataclass
class AgencySummary:
    counts: Counts
    open: int
    overdue: int
    months: list[StatRow]
    start: dt.date
    end: dt.date
    province: bool = False
    chart: dict = field(default_factory=dict)


def agency_summary(user, agency, *, months: int = 12, today: dt.date | None = None,
                   now: dt.datetime | None = None) -> AgencySummary | None:
    """The on-time figures of ``agency`` over the last ``months`` months, for a dashboard card;
    None when ``user`` may not read the agency."""
    if agency is None or not visible_agencies(user).filter(pk=agency.pk).exists():
        return None
    return _summary(user, agency.pk, months=months, today=today, now=now)


def dashboard_summary(user, *, months: int = 12, today: dt.date | None = None,
                      now: dt.datetime | None = None) -> AgencySummary | None:
    """The card of the dashboards: the province for overseers, their agency for its head and
    ISO secretary; None for everyone else."""
    if not user.is_authenticated or user.agency is None:
        return None
    if user.has_role(Role.OVERSEER):
        return _summary(user, None, months=months, today=today, now=now)
    if user.has_role(Role.AGENCY_HEAD, Role.QMS_SECRETARY):
        return agency_summary(user, user.agency, months=months, today=today, now=now)
    return None


def _summary(user, agency_id, *, months, today, now) -> AgencySummary:
    start, end = default_period(today or timezone.localdate(), months)
    query = StatsQuery(start=start, end=end, agency_id=agency_id)
    return summary_of(query, by_month(user, query), open_now(user, query, now=now))


def summary_of(query: StatsQuery, month_rows: list[StatRow], now_counts: dict) -> AgencySummary:
    """The card's summary from its months' rows and its ``open_now`` counts (the province's when
    ``query`` names no agency)."""
    start, end, agency_id = query.start, query.end, query.agency_id
    total = sum((r.counts for r in month_rows), Counts())
    chart = {"labels": [r.label for r in month_rows], "stacked": True, "horizontal": False, "percent": False,
             "rateMin": percent_axis_min(r.on_time_rate for r in month_rows),
             "datasets": [
                 {"label": _("Early"), "data": [r.early for r in month_rows], "color": "#198754"},
                 {"label": _("On time"), "data": [r.on_time for r in month_rows], "color": "#0d6efd"},
                 {"label": _("Late"), "data": [r.late for r in month_rows], "color": "#dc3545"},
                 {"label": _("On-time rate (%)"), "data": [r.on_time_rate for r in month_rows], "color": "#fd7e14",
                  "type": "line", "axis": "rate"}]}
    return AgencySummary(counts=total, open=now_counts["open"], overdue=now_counts["overdue"], months=month_rows,
                         start=start, end=end, province=agency_id is None, chart=chart)


def field_choices(user, query_agency: int | None = None) -> list[str]:
    qs = procedures_policy.filter(user, "view_adminprocedure", AdminProcedure.objects).exclude(field="")
    if query_agency:
        qs = qs.filter(agency_id=query_agency)
    return list(qs.order_by("field").values_list("field", flat=True).distinct())


def procedure_choices(user, agency_id: int | None, *, only: int | None = None) -> list[tuple[int, str]]:
    """The procedures ``user`` may read (of one agency, or just ``only``), for the filter."""
    qs = procedures_policy.filter(user, "view_adminprocedure", AdminProcedure.objects)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if only is not None:
        qs = qs.filter(pk=only)
    return [(pk, f"{code} — {name}"[:150]) for pk, code, name in qs.order_by("code", "pk").values_list(
        "pk", "code", "name")]
