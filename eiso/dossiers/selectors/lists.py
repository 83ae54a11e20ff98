"""The dossier list, its quick tabs and the "due soon / overdue" figures.

Everything is read through ``dossiers_for_user`` and takes ``now`` as a parameter, so pages pass
the clock and tests pass a fixed instant.

- Open: a status where the clock may still run (``OPEN_STATUSES``).
- Overdue: open, not waiting for the applicant (supplement or payment requested stop the clock),
  and past its due instant.
- Due soon: the same, not yet due, and due within the agency's ``DossierSettings.due_soon_hours``
  working hours (8 by default) on the agency's own calendar: a dossier due Monday 09:00 is due
  soon on Friday afternoon.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from eiso.core import freshness
from eiso.core.text import is_id
from eiso.core.workcalendar import WorkCalendar
from eiso.dossiers.choices import OPEN_STATUSES, OPEN_STATUSES_SORTED, PAUSED_STATUSES, Result
from eiso.dossiers.models import Dossier, DossierSettings
from eiso.dossiers.selectors import dossiers_for_user
from eiso.organizations.permissions import agencies_read_by
from eiso.organizations.selectors import visible_agencies, work_calendars_for
from eiso.procedures.models import ProcessStep

TABS = ("all", "open", "due_soon", "overdue")
RUNNING_STATUSES = sorted(OPEN_STATUSES - PAUSED_STATUSES)
OPEN = "open"  # the "result" filter value of dossiers without a result yet
DEFAULT_DUE_SOON_HOURS = 8


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def due_soon_calendars(agency_ids: list[int], user=None) -> dict[int, WorkCalendar]:
    """``{agency id: WorkCalendar}``: the agencies' office hours and exceptions change only with the
    data, so they are read and built once per data generation and process (two queries), not on
    every list page (``user``: the request's user, see ``freshness.kept_in_process``); another
    agency's writes leave them."""
    return freshness.kept_in_process("dossiers.due-soon-calendars", tuple(sorted(agency_ids)),
                                     lambda: work_calendars_for(agency_ids), user, agencies=agency_ids)


def due_soon_cutoffs(agency_ids, now: dt.datetime, user=None) -> dict[dt.datetime, list[int]]:
    """``{cutoff: [agency ids]}``: a running dossier of those agencies due in (now, cutoff] is
    due soon. Agencies sharing a calendar and a setting share a cutoff, so the filter stays short.
    ``user``: the request's user, when there is one (spares a query, see ``due_soon_calendars``)."""
    agency_ids = list(agency_ids)
    hours = dict(DossierSettings.objects.filter(agency_id__in=agency_ids).values_list("agency_id", "due_soon_hours"))
    calendars = due_soon_calendars(agency_ids, user)
    groups: dict[dt.datetime, list[int]] = defaultdict(list)
    for pk in agency_ids:
        h = hours.get(pk, DEFAULT_DUE_SOON_HOURS)
        cutoff = calendars[pk].add_working_time(now, h) if h else now
        groups[cutoff].append(pk)
    return dict(groups)


def _running():
    return Q(status__in=RUNNING_STATUSES, due_at__isnull=False)


def overdue_q(now: dt.datetime) -> Q:
    return _running() & Q(due_at__lt=now)


def due_soon_q(now: dt.datetime, cutoffs: dict[dt.datetime, list[int]]) -> Q:
    within = Q(pk__in=[])
    for cutoff, agency_ids in cutoffs.items():
        within |= Q(agency_id__in=agency_ids, due_at__lte=cutoff)
    return _running() & Q(due_at__gte=now) & within


def _agency_ids(user, agency: str = "") -> list[int]:
    qs = visible_agencies(user)
    if agency:
        qs = qs.filter(pk=int(agency)) if is_id(agency) else qs.filter(code=agency)
    return list(qs.values_list("pk", flat=True))


def _filtered(user, *, q="", procedure="", unit="", status="", result="", period="received", date_from=None,
              date_to=None, agency="") -> QuerySet[Dossier]:
    qs = dossiers_for_user(user)
    if agency:
        qs = qs.filter(agency_id=int(agency)) if is_id(agency) else qs.filter(agency__code=agency)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(applicant__icontains=q))
    if procedure:
        qs = qs.filter(admin_procedure_id=int(procedure)) if is_id(procedure) else qs.none()
    if unit:
        if not is_id(unit):
            return qs.none()
        in_a_step = ProcessStep.objects.filter(definition_id=OuterRef("definition_id"), unit_id=int(unit))
        qs = qs.filter(Q(current_unit_id=int(unit)) | Exists(in_a_step))
    if status:
        qs = qs.filter(status=status)
    if result == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif result in Result.values:
        qs = qs.filter(result=result)
    field = "finished_at" if period == "finished" else "received_at"
    if date_from:
        qs = qs.filter(**{f"{field}__gte": _day_start(date_from)})
    if date_to:
        qs = qs.filter(**{f"{field}__lt": _day_start(date_to + dt.timedelta(days=1))})
    return qs


def dossier_list_for_user(user, *, now: dt.datetime, tab: str = "all", cutoffs=None, **filters) -> QuerySet[Dossier]:
    """The dossiers of the list page: ``filters`` (q, procedure, unit, status, result, period,
    date_from, date_to, agency) then the quick ``tab``; newest receipt first (due first in the
    due soon and overdue tabs). ``cutoffs``: ``due_soon_cutoffs`` of the agencies in view, when
    the caller has them already (the page computes them once for the list and the counts)."""
    qs = _filtered(user, **filters)
    if tab == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif tab == "overdue":  # (running dossiers are open ones: read from the open dossiers' index)
        qs = qs.filter(Q(status__in=OPEN_STATUSES_SORTED) & overdue_q(now)).order_by("due_at", "code")
    elif tab == "due_soon":
        if cutoffs is None:
            cutoffs = due_soon_cutoffs(_agency_ids(user, filters.get("agency", "")), now, user)
        qs = qs.filter(Q(status__in=OPEN_STATUSES_SORTED) & due_soon_q(now, cutoffs)).order_by("due_at", "code")
    if tab not in ("overdue", "due_soon"):
        qs = qs.order_by("-received_at", "code")
    # The stored steps (a JSON list per dossier) are not shown in the list: not read nor decoded.
    return qs.select_related("agency", "admin_procedure", "current_unit").defer("steps")


def dossier_tab_counts(user, *, now: dt.datetime, cutoffs=None, **filters) -> dict[str, int]:
    """How many dossiers each quick tab holds under the same filters (``cutoffs`` as for
    ``dossier_list_for_user``)."""
    if cutoffs is None:
        cutoffs = due_soon_cutoffs(_agency_ids(user, filters.get("agency", "")), now, user)
    dossiers = _filtered(user, **filters)
    # "All" and "open" change only with the data: kept until they change (eiso.core.freshness, per
    # reader and filters). "Due soon" and "overdue" follow the clock: counted on every request among
    # the open dossiers alone, from their partial index, not among all the dossiers in view.
    # Count("status") (never null), not Count("pk"): the columns read are all in the indexes, so
    # the counts are read from the indexes alone.
    key = hashlib.sha256(repr(sorted(filters.items())).encode()).hexdigest()[:32]
    counts = dict(freshness.cached(f"dossiers.tab-counts.{key}", user, lambda: dossiers.aggregate(
        all=Count("status"),
        open=Count("status", filter=Q(status__in=OPEN_STATUSES_SORTED)),
    ), agencies_read_by(user)))  # an agency's people: kept through other agencies' writes
    counts.update(dossiers.filter(status__in=OPEN_STATUSES_SORTED).aggregate(
        due_soon=Count("status", filter=due_soon_q(now, cutoffs)),
        overdue=Count("status", filter=overdue_q(now)),
    ))
    return counts


def is_overdue(dossier: Dossier, now: dt.datetime) -> bool:
    return dossier.status in RUNNING_STATUSES and dossier.due_at is not None and dossier.due_at < now


def is_running(dossier: Dossier) -> bool:
    """Open and its clock running (not waiting for a supplement or a payment)."""
    return dossier.status in RUNNING_STATUSES
