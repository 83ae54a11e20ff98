"""Scoped reads of 5S: programmes, areas, the checklist in use, inspections, rewards, and the
ranking of an agency's units for a quarter (with its trend over the year)."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import is_id
from eiso.fives import scoring
from eiso.fives.choices import S_ORDER, InspectionStatus
from eiso.fives.models import Answer, FivesArea, FivesItem, FivesProgramme, Inspection, Reward
from eiso.fives.permissions import policy


def _view(user, model) -> QuerySet:
    return policy.filter(user, "view_fives", model.objects)


def programmes_for_user(user, *, agency="") -> QuerySet[FivesProgramme]:
    return by_agency(_view(user, FivesProgramme).select_related("agency"), agency).order_by("-year", "agency__name")


def programme_get_for_user(user, pk) -> FivesProgramme:
    return get_or_404(programmes_for_user(user), pk)


def areas_for_user(user, *, agency="", unit="", active="", q="") -> QuerySet[FivesArea]:
    qs = by_agency(_view(user, FivesArea).select_related("agency", "unit"), agency)
    if is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(location__icontains=q.strip()))
    return qs.order_by("unit__name", "name")


def area_get_for_user(user, pk) -> FivesArea:
    return get_or_404(areas_for_user(user), pk)


def items_for_user(user) -> QuerySet[FivesItem]:
    """The items a user may read: their agency's own and the shipped default set."""
    return (_view(user, FivesItem) | FivesItem.objects.filter(agency__isnull=True)).distinct()


def item_get_for_user(user, pk) -> FivesItem:
    return get_or_404(items_for_user(user), pk)


def agency_has_own_checklist(agency_id) -> bool:
    return FivesItem.objects.filter(agency_id=agency_id).exists()


def checklist_of(agency_id, *, include_inactive: bool = False) -> list[FivesItem]:
    """The checklist an agency uses: its own copy once it has edited one, else the default set,
    in the S order then the item order."""
    own = agency_id is not None and agency_has_own_checklist(agency_id)
    qs = FivesItem.objects.filter(agency_id=agency_id) if own else FivesItem.objects.filter(agency__isnull=True)
    if not include_inactive:
        qs = qs.filter(active=True)
    return sorted(qs, key=lambda item: (S_ORDER.get(item.s, 9), item.position, item.pk))


def inspections_for_user(user, *, agency="", unit="", status="", period: scoring.Period | None = None,
                         inspector="", q="") -> QuerySet[Inspection]:
    qs = by_agency(_view(user, Inspection).select_related("agency", "unit", "area", "inspector", "programme"),
                   agency)
    if is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if status in InspectionStatus.values:
        qs = qs.filter(status=status)
    if is_id(inspector):
        qs = qs.filter(inspector_id=int(inspector))
    if period is not None:
        qs = qs.filter(Q(done_on__range=(period.start, period.end))
                       | Q(done_on__isnull=True, planned_on__range=(period.start, period.end)))
    if q:
        term = q.strip()
        qs = qs.filter(Q(area__name__icontains=term) | Q(unit__name__icontains=term) | Q(note__icontains=term))
    return qs.order_by("-planned_on", "-id")


def inspection_get_for_user(user, pk) -> Inspection:
    return get_or_404(inspections_for_user(user), pk)


def answers_of(inspection: Inspection) -> QuerySet[Answer]:
    return inspection.answers.select_related("nonconformity").order_by("position", "id")


def answer_get_for_user(user, pk) -> Answer:
    return get_or_404(_view(user, Answer).select_related("inspection", "inspection__agency", "inspection__unit",
                                                         "nonconformity"), pk)


def rewards_for_user(user, *, agency="", year: int | None = None, quarter: int | None = None) -> QuerySet[Reward]:
    qs = by_agency(_view(user, Reward).select_related("agency", "unit"), agency)
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    return qs.order_by("-year", "-quarter", "unit__name", "id")


def reward_get_for_user(user, pk) -> Reward:
    return get_or_404(rewards_for_user(user), pk)


def _done(user, agency_id, start, end) -> QuerySet[Inspection]:
    return _view(user, Inspection).filter(agency_id=agency_id, status=InspectionStatus.DONE,
                                          done_on__range=(start, end)).select_related("unit")


def ranking_for(user, agency_id, period: scoring.Period) -> list[scoring.Ranked]:
    """The agency's units ranked for ``period`` (``Ranked.key`` is the unit), from the inspections
    done in it that the user may read."""
    per_unit: dict = defaultdict(list)
    units = {}
    for inspection in _done(user, agency_id, period.start, period.end):
        units[inspection.unit_id] = inspection.unit
        per_unit[inspection.unit_id].append((inspection.done_on, inspection.pk, inspection.percent))
    return scoring.ranking((units[uid], units[uid].name, rows) for uid, rows in per_unit.items())


def trend_for(user, agency_id, year: int) -> tuple[list[scoring.Period], list[tuple[object, list]]]:
    """The units' score per quarter of ``year``: ``(periods, [(unit, [score or None per quarter])])``,
    units in name order."""
    periods = scoring.year_periods(year)
    values: dict = defaultdict(lambda: defaultdict(list))
    units = {}
    for inspection in _done(user, agency_id, periods[0].start, periods[-1].end):
        units[inspection.unit_id] = inspection.unit
        values[inspection.unit_id][scoring.period_of(inspection.done_on)].append(inspection.percent)
    rows = [(units[uid], [scoring.mean(values[uid].get(p, [])) for p in periods])
            for uid in sorted(units, key=lambda u: units[u].name)]
    return periods, rows


def agency_scores(user, period: scoring.Period) -> list[dict]:
    """Each agency the user reads with its 5S score for ``period``: the mean of the percentages of
    all its inspections done in it (overseers compare the agencies of the province), best first;
    agencies without inspection in the period are left out. One query."""
    rows = (_view(user, Inspection).filter(status=InspectionStatus.DONE, done_on__range=(period.start, period.end))
            .order_by().values("agency_id", "agency__name", "agency__code")
            .annotate(score=Avg("percent"), inspections=Count("id"), units=Count("unit_id", distinct=True)))
    found = [{"agency_id": r["agency_id"], "name": r["agency__name"], "code": r["agency__code"],
              "score": Decimal(str(r["score"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
              "inspections": r["inspections"], "units": r["units"]} for r in rows]
    return sorted(found, key=lambda r: (-r["score"], r["name"]))


def inspections_overdue(user, today) -> QuerySet[Inspection]:
    """Planned inspections whose day has passed without being recorded."""
    return _view(user, Inspection).filter(status=InspectionStatus.PLANNED, planned_on__lt=today)
