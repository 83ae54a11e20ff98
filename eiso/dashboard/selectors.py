"""The figures of the dashboards' cards, each read through the areas' scoped selectors.

Dashboards are benchmarked: every figure here is a fixed number of queries whatever the number of
agencies, dossiers or events. On-time rates come from the monthly rollups only; the only reads of
dossier rows are the running ones near or past their due instant, which the (agency, status,
due_at) index answers (the list's tab counts also count every dossier ever received, which a
dashboard does not need).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext as _

from eiso.core.charts import percent_axis
from eiso.dossiers.choices import OPEN_STATUSES_SORTED
from eiso.dossiers.rates import Counts, month_start
from eiso.dossiers.selectors import dossiers_for_user
from eiso.dossiers.selectors import statistics as statistics_selectors
from eiso.dossiers.selectors.lists import (
    RUNNING_STATUSES,
    due_soon_cutoffs,
    due_soon_q,
    overdue_q,
)
from eiso.feedback import selectors as feedback_selectors
from eiso.improvements import selectors as improvement_selectors
from eiso.organizations.selectors import agencies_with_counts_for_user, visible_agencies
from eiso.procedures import selectors as procedure_selectors

PRESSING = 5  # dossiers named on the deadlines card, per list
CHART_TOP = 15


def deadlines(user, *, now: dt.datetime, limit: int = PRESSING) -> dict:
    """Running dossiers due soon and overdue (same definitions as the dossier list's tabs): counts
    and the ``limit`` most pressing of each, due first."""
    agency_ids = list(visible_agencies(user).values_list("pk", flat=True))
    card = {"due_soon": 0, "overdue": 0, "due_soon_list": [], "overdue_list": []}
    if not agency_ids:
        return card
    cutoffs = due_soon_cutoffs(agency_ids, now, user)
    # Running dossiers are open ones: the open statuses as the open dossiers' partial index is written
    # (sorted, as the list's tabs filter them), which SQLite reads only for its condition word for word.
    running = dossiers_for_user(user).filter(status__in=OPEN_STATUSES_SORTED).filter(
        status__in=RUNNING_STATUSES, due_at__isnull=False, due_at__lte=max([now, *cutoffs]))
    # Count("status"), not Count("pk"): read from the open dossiers' index (agency, due_at, status) alone.
    card.update(running.aggregate(due_soon=Count("status", filter=due_soon_q(now, cutoffs)),
                                  overdue=Count("status", filter=overdue_q(now))))
    for tab, condition in (("overdue", overdue_q(now)), ("due_soon", due_soon_q(now, cutoffs))):
        if card[tab]:
            card[f"{tab}_list"] = list(running.filter(condition).select_related("admin_procedure")
                                       .order_by("due_at", "code")[:limit])
    return card


def year_ontime(user, agency, *, today: dt.date, summary=None) -> dict:
    """This year's on-time rate of ``agency`` (January to this month) and a sparkline of the
    monthly rate; the months come from ``summary`` (the 12-month card) when it already holds them."""
    start, end = dt.date(today.year, 1, 1), month_start(today)
    if summary is not None and summary.start <= start and summary.end == end:
        rows = [r for r in summary.months if r.month >= start]
    else:
        query = statistics_selectors.StatsQuery(start=start, end=end, agency_id=agency.pk)
        rows = statistics_selectors.by_month(user, query)
    counts = sum((r.counts for r in rows), Counts())
    return {
        "year": today.year, "counts": counts,
        "chart": {"type": "bar", "labels": [r.label for r in rows], "percent": True,
                  **percent_axis(r.on_time_rate for r in rows),
                  "datasets": [{"label": _("On-time rate (%)"), "data": [r.on_time_rate for r in rows]}]},
    }


def coverage(user, agency) -> dict:
    return procedure_selectors.coverage_summary(user, agency=str(agency.pk))


def attention(user, agency, *, today: dt.date) -> dict:
    """The improvement warnings of the agency, and its complaints past their answer date."""
    row = dict(improvement_selectors.agency_attention(user, agency, today=today))
    row["complaints_overdue"] = feedback_selectors.overdue_by_agency(user, today=today).get(agency.pk, 0)
    return row


def province_parts(user, agency_ids, *, query: statistics_selectors.StatsQuery | None, today: dt.date,
                   now: dt.datetime | None = None) -> dict[int, dict]:
    """What the province's dashboard shows of each of the given agencies, in a fixed number of queries
    whatever their number: active units, people and whether an active steering committee; with
    ``query`` (an overseer's period) also its on-time counts per month of the period, its open
    dossiers now, its TTHC coverage, and its corrective actions open and past due. Each agency's
    figures are computed from its own data alone (the dashboard keeps them per agency)."""
    ids = list(agency_ids)
    # Every id gets its figures (an agency deleted since the caller read it: none of its own).
    parts = {pk: {"unit_count": 0, "people_count": 0, "has_committee": False} for pk in ids}
    parts.update({pk: {"unit_count": units, "people_count": people, "has_committee": committee}
                  for pk, units, people, committee in agencies_with_counts_for_user(user).filter(pk__in=ids)
                  .values_list("pk", "unit_count", "people_count", "has_committee")})
    if query is None:
        return parts
    months = statistics_selectors.by_agency_and_month(user, query, ids)
    now_counts = statistics_selectors.open_now_by_agency(user, query, ids, now=now)
    coverage = procedure_selectors.coverage_counts_by_agency(user, ids)
    actions = improvement_selectors.actions_by_agency(user, ids, today=today)
    for pk, part in parts.items():
        part.update(months=months.get(pk, {}), now=now_counts.get(pk, {"open": 0, "overdue": 0}),
                    coverage=coverage.get(pk), actions=actions.get(pk, {"open": 0, "overdue": 0}))
    return parts


def province_summary(query: statistics_selectors.StatsQuery, parts: dict[int, dict]):
    """The province's on-time card (``statistics.dashboard_summary`` of an overseer) from the parts
    of every agency the overseer reads."""
    found: dict[dt.date, Counts] = {}
    for part in parts.values():
        for month, counts in part["months"].items():
            found[month] = found.get(month, Counts()) + counts
    now_counts = {key: sum(part["now"][key] for part in parts.values()) for key in ("open", "overdue")}
    return statistics_selectors.summary_of(query, statistics_selectors.month_rows(query, found), now_counts)


def province_rows(agencies, visible, parts: dict[int, dict]) -> dict:
    """Per agency of the overseer's table (``agencies``, the active ones): on-time rate over the
    parts' period, TTHC coverage, open corrective actions (and those past due); a chart of the lowest
    on-time rates. ``visible``: every agency the overseer reads (ended ones too), whose parts count in
    the totals."""
    found = {pk: sum(part["months"].values(), Counts()) for pk, part in parts.items() if part["months"]}
    # statistics.by_agency's rows.
    ontime = {r.key: r for r in statistics_selectors.agency_rows(
        sorted((a for a in visible if statistics_selectors.agency_listed(
            a, found, catalogued=(parts[a.pk]["coverage"] or {}).get("catalogued"))), key=lambda a: a.name), found)}
    # procedures.coverage_by_agency's rows: agencies with published TTHC.
    covered = {a.pk: procedure_selectors.coverage_row(a.pk, a.name, a.short_name, c["total"], c["covered"])
               for a in visible if (c := parts[a.pk]["coverage"]) and c["total"]}
    open_actions = {pk: part["actions"]["open"] for pk, part in parts.items() if part["actions"]["open"]}
    overdue = {pk: part["actions"]["overdue"] for pk, part in parts.items()}
    for a in agencies:
        a.ontime = ontime.get(a.pk)
        a.coverage = covered.get(a.pk)
        a.open_actions = open_actions.get(a.pk, 0)
        a.actions_overdue = overdue.get(a.pk, 0)
    rated = sorted((a for a in agencies if a.ontime is not None and a.ontime.on_time_rate is not None),
                   key=lambda a: (a.ontime.on_time_rate, a.name))[:CHART_TOP]
    totals = {
        "open_actions": sum(open_actions.values()),
        "actions_overdue": sum(overdue.values()),
        "covered": sum(r["covered"] for r in covered.values()),
        "tthc": sum(r["total"] for r in covered.values()),
    }
    chart = {
        "type": "bar", "horizontal": True, "percent": True, **percent_axis(a.ontime.on_time_rate for a in rated),
        "labels": [a.short_name or a.name for a in rated],
        "datasets": [{"label": _("On-time rate (%)"), "data": [a.ontime.on_time_rate for a in rated]}],
    }
    return {"province_totals": totals, "chart_ontime_agencies": chart}
