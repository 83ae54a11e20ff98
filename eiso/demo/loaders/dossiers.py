"""The demo dossiers: about 20,000 over the last 18 months, timed like a real one-stop desk.

For each agency of the procedures loader's ``CATALOGUES``, dossiers are spread over its TTHC by
their volume and over the working days since 18 months before today (or since the agency
exists: the communes of the 2025 reform, the merged departments). Events fall inside office
hours of the agency's working calendar, so Tết and the other public holidays are crossed as
they really are. Most hand-overs come before each step's due instant; one step per procedure
(its ``bottleneck``) runs late far more often, and more so in the weeks after Tết and other
holidays; about 7% of dossiers ask for a supplement, a few are refused at the desk or withdrawn;
many results wait at the desk for the appointment day written on the receipt; the newest
dossiers are still open at "now", some of them overdue.

Everything is recorded through ``dossier_events_record`` (validate, write, retime, rollups),
streamed twice from a seeded generator (``rows`` then ``rows_again``), so a run is
deterministic for a given day and never holds the events in memory.

How many: the ``dossiers`` argument, else ``$DEMO_DOSSIERS``, else ``settings.DEMO_DOSSIERS``,
else 20,000. ``load()`` is idempotent: an agency that has dossiers already is left alone. The
applicants' names and the notes of the events are in ``eiso/demo/content/dossiers.json``;
``AgencyDossiers`` can also feed other tools (benchmarks) with realistic event rows.
"""

import bisect
import datetime as dt
import os
import random
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from eiso.demo.content import read
from eiso.demo.loaders.procedures import CATALOGUES, Group
from eiso.dossiers.choices import Channel, EventKind
from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.organizations.models import Agency, Membership
from eiso.organizations.selectors import work_calendar_for
from eiso.procedures.models import AdminProcedure, ProcessStep

DEFAULT_DOSSIERS = 20_000
MONTHS = 18
SOURCE = "eiso demo"

# how the desk behaves
REFUSED, WITHDRAWN, SUPPLEMENT, STUCK = 0.012, 0.01, 0.07, 0.12
LATE, LATE_BOTTLENECK, LATE_AFTER_HOLIDAY, LATE_AFTER_TET = 0.01, 0.1, 0.06, 0.15
PICKUP_DESK, PICKUP_ONLINE = 0.6, 0.25  # results collected on the appointment day
CHANNELS = ((Channel.ONLINE, 0.6), (Channel.DIRECT, 0.36), (Channel.POSTAL, 0.04))

_CONTENT = read("dossiers")
SURNAMES, MIDDLE, GIVEN = (tuple(_CONTENT[k]) for k in ("surnames", "middle_names", "given_names"))
BUSINESSES, COMPANY_FIELDS = tuple(_CONTENT["businesses"]), tuple(_CONTENT["company_fields"])
NOTES = _CONTENT["notes"]


def dossier_count(dossiers: int | None = None) -> int:
    if dossiers is not None:
        return dossiers
    value = os.environ.get("DEMO_DOSSIERS") or getattr(settings, "DEMO_DOSSIERS", None)
    return int(value) if value not in (None, "") else DEFAULT_DOSSIERS


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


class _Procedure:
    """What the generator needs of one TTHC: code, limit, steps (hours, unit, bottleneck)."""

    def __init__(self, code: str, field: str, limit_hours: Decimal, steps: list[tuple[int, Decimal, int | None]],
                 bottleneck: int, volume: int):
        self.code, self.field, self.limit_hours, self.steps = code, field, limit_hours, steps
        self.bottleneck, self.volume = bottleneck, volume
        self.company = any(word.lower() in field.lower() for word in COMPANY_FIELDS)


class AgencyDossiers:
    """The seeded dossiers of one agency, as a stream of ``EventRow`` (call ``rows()`` again for
    the same stream)."""

    def __init__(self, agency: Agency, count: int, now: dt.datetime):
        self.agency, self.count, self.now = agency, count, now
        self.calendar = work_calendar_for(agency)
        self.zone = self.calendar.zone
        today = now.astimezone(self.zone).date()
        start = months_before(today, MONTHS)
        if agency.valid_from and agency.valid_from > start:
            start = agency.valid_from
        self.days = self.calendar.working_days(start, today)
        self.holidays = self._after_holidays(start, today)
        self.procedures = self._procedures()
        self.staff = self._staff()

    def _procedures(self) -> list[_Procedure]:
        groups: dict[str, tuple[Group, int]] = {}
        for group in CATALOGUES[self.agency.code]:
            for t in group.tthc:
                groups[t.code] = (group, t.volume)
        rows = AdminProcedure.objects.filter(agency=self.agency, code__in=groups, is_active=True).values_list(
            "code", "field", "time_limit_days", "process_document_id")
        steps: dict[int, list] = {}
        for document_id, number, hours, unit_id in ProcessStep.objects.filter(
                definition__document__agency=self.agency, definition__is_current=True).order_by(
                "definition__document_id", "number").values_list("definition__document_id", "number",
                                                                 "allowance_hours", "unit_id"):
            steps.setdefault(document_id, []).append((number, hours, unit_id))
        hours_per_day = self.calendar.hours_per_day
        out = []
        for code, field, days, document_id in sorted(rows):
            group, volume = groups[code]
            out.append(_Procedure(code, field, days * hours_per_day, steps.get(document_id, []), group.bottleneck,
                                  volume))
        return out

    def _staff(self) -> dict[int | None, list[str]]:
        staff: dict[int | None, list[str]] = {}
        for unit_id, name in Membership.objects.filter(agency=self.agency, valid_to__isnull=True).order_by(
                "user__username").values_list("unit_id", "user__full_name"):
            staff.setdefault(unit_id, []).append(name)
        return staff

    def _after_holidays(self, start: dt.date, end: dt.date) -> dict[dt.date, float]:
        """Extra chance of a late step starting on each day just after a holiday (the backlog)."""
        extra: dict[dt.date, float] = {}
        day = start - dt.timedelta(days=20)
        while day <= end:
            if day.weekday() < 5 and not self.calendar.is_working_day(day):
                tet = day.month in (1, 2)
                for k in range(1, 15 if tet else 8):
                    after = day + dt.timedelta(days=k)
                    extra[after] = max(extra.get(after, 0.0), LATE_AFTER_TET if tet else LATE_AFTER_HOLIDAY)
            day += dt.timedelta(days=1)
        return extra

    # -- the stream ------------------------------------------------------------------------------

    def rows(self) -> Iterator[EventRow]:
        if not self.procedures or not self.days:
            return
        rng = random.Random(f"eiso-demo:{self.agency.code}:{self.count}:{self.days[0]}")
        cumulative, total = [], 0
        for p in self.procedures:
            total += p.volume
            cumulative.append(total)
        add = self.calendar.add_working_time
        day_hours = float(self.calendar.hours_per_day)
        receipts = []
        for _n in range(self.count):
            day = rng.choice(self.days)
            midnight = dt.datetime.combine(day, dt.time(), tzinfo=self.zone)
            minutes = rng.randrange(int(day_hours * 60) - 10)
            received = add(midnight, dt.timedelta(minutes=minutes))
            procedure = self.procedures[bisect.bisect_right(cumulative, rng.randrange(total))]
            receipts.append((received, procedure))
        receipts.sort(key=lambda r: (r[0], r[1].code))
        seq, last_day = 0, None
        for received, procedure in receipts:
            if received > self.now:
                continue
            local_day = received.astimezone(self.zone).date()
            seq = seq + 1 if local_day == last_day else 1
            last_day = local_day
            code = f"{self.agency.code}-{local_day:%y%m%d}-{seq:04d}"
            yield from self.dossier(rng, code, received, procedure)

    def dossier(self, rng: random.Random, code: str, received: dt.datetime, p: _Procedure) -> Iterator[EventRow]:
        channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
        if p.company:
            applicant = _CONTENT["company"].format(name=rng.choice(BUSINESSES))
        else:
            applicant = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        desk = self.staff.get(p.steps[0][2] if p.steps else None) or [""]
        yield EventRow(row=code, code=code, kind=EventKind.RECEIVED, at=received, agency_code=self.agency.code,
                       procedure_code=p.code, channel=channel, applicant=applicant, actor=rng.choice(desk))
        for kind, at, step, note, unit_id in self.events(rng, received, p, channel):
            if at > self.now:
                return
            names = self.staff.get(unit_id) or [""]
            yield EventRow(row=code, code=code, kind=kind, at=at, step=step, note=note, actor=rng.choice(names))

    def events(self, rng: random.Random, received: dt.datetime, p: _Procedure, channel: str = Channel.DIRECT):
        """(kind, at, step, note, unit id) after the receipt, in time order."""
        add = self.calendar.add_working_time
        due = add(received, p.limit_hours)
        fate = rng.random()
        if fate < REFUSED:
            yield (EventKind.REFUSED, add(received, dt.timedelta(minutes=rng.randrange(15, 120))), 0,
                   NOTES["refused"], None)
            return
        withdraw = fate < REFUSED + WITHDRAWN
        recent = (self.now - received).days < 60
        stuck = recent and rng.random() < STUCK
        supplement = rng.random() < SUPPLEMENT
        if not p.steps:  # no process yet: only receipt and return
            hours = float(p.limit_hours) * (rng.uniform(1.05, 1.8) if rng.random() < LATE * 3 else
                                            rng.triangular(0.2, 1.0, 0.7))
            ready = add(received, dt.timedelta(minutes=max(5, round(hours * 60))))
            yield EventKind.RETURNED, self.collected(rng, ready, due, channel), 0, "", None
            return
        at = received
        middle = p.bottleneck if p.bottleneck <= len(p.steps) else len(p.steps)
        for number, hours, unit_id in p.steps:
            allowance = float(hours)
            if number == middle and withdraw:
                yield (EventKind.WITHDRAWN, add(at, dt.timedelta(minutes=max(5, round(allowance * 30)))), 0,
                       NOTES["withdrawn"], None)
                return
            if number == middle and supplement:
                asked = add(at, dt.timedelta(minutes=max(5, round(allowance * 60 * rng.uniform(0.1, 0.6)))))
                yield EventKind.SUPPLEMENT_REQUESTED, asked, 0, NOTES["supplement_requested"], unit_id
                at = add(asked, dt.timedelta(minutes=rng.randrange(4 * 60, 60 * 60)))
                yield EventKind.SUPPLEMENT_RECEIVED, at, 0, NOTES["supplement_received"], None
                due = add(at, p.limit_hours)  # the full limit again (restart, the agencies' setting)
            late = LATE + self.holidays.get(at.astimezone(self.zone).date(), 0.0)
            if number == p.bottleneck:
                late += LATE_BOTTLENECK
            if stuck and number == middle:
                return  # lying on someone's desk: still open, overdue sooner or later
            if rng.random() < late:
                factor = rng.uniform(1.1, 2.2)
            else:
                factor = rng.triangular(0.15, 1.0, 0.75)
            at = add(at, dt.timedelta(minutes=max(5, round(allowance * 60 * factor))))
            yield EventKind.STEP_DONE, at, number, "", unit_id
        yield EventKind.RETURNED, self.collected(rng, at, due, channel), 0, "", None

    def collected(self, rng: random.Random, ready: dt.datetime, due: dt.datetime, channel: str) -> dt.datetime:
        """When the result ready at the desk is handed over: often on the appointment day (the
        applicant comes on the date written on the receipt), else at once."""
        if ready >= due or rng.random() >= (PICKUP_ONLINE if channel == Channel.ONLINE else PICKUP_DESK):
            return ready
        local = due.astimezone(self.zone)
        morning = self.calendar.add_working_time(dt.datetime.combine(local.date(), dt.time(), tzinfo=self.zone), 0)
        if morning <= ready:
            return ready
        hours = float(self.calendar.working_hours_between(morning, due))
        return max(ready, self.calendar.add_working_time(morning, dt.timedelta(minutes=rng.randrange(
            int(hours * 60) + 1))))


def _shares(agencies: list[Agency], total: int) -> dict[int, int]:
    """Dossiers per agency, by the volume of its catalogue and the months it has existed."""
    weights = {}
    for agency in agencies:
        volume = sum(t.volume for g in CATALOGUES[agency.code] for t in g.tthc)
        weights[agency.pk] = volume
    whole = sum(weights.values()) or 1
    return {pk: max(1, round(total * w / whole)) for pk, w in weights.items()}


def load(out: Callable[[str], None] | None = None, *, dossiers: int | None = None,
         now: dt.datetime | None = None) -> list[dict]:
    """Record the demo dossiers of every catalogued agency that has none yet; no logins."""
    log = out or (lambda _message: None)
    total = dossier_count(dossiers)
    now = now or timezone.now()
    agencies = list(Agency.objects.filter(code__in=CATALOGUES, valid_to__isnull=True).order_by("code"))
    shares = _shares(agencies, total)
    loaded = []
    started = time.monotonic()
    for agency in agencies:
        if Dossier.objects.filter(agency=agency).exists():
            continue
        plan = AgencyDossiers(agency, shares[agency.pk], now)
        summary = dossier_events_record(actor=None, rows=plan.rows(), rows_again=plan.rows, source=SOURCE)
        if summary.dossiers_created:
            loaded.append(f"{agency.code} {summary.dossiers_created}")
    if loaded:
        log(f"Dossiers ({time.monotonic() - started:.0f} s): {', '.join(loaded)}.")
    else:
        log("Dossiers already loaded: nothing to create.")
    return []
