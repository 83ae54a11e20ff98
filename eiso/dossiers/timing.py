"""How long a dossier took, step by step (DOMAIN.md §5). Pure: no ORM, no clock.

``compute(events, steps=…, limit_hours=…, calendar=…, mode=…)`` replays a dossier's events in
time order (any arrival order gives the same answer) and returns its status, due instants,
finish and result, and the same per step:

- The dossier is due at receipt + the statutory limit in working time; a step is due at its start
  (receipt for the first step, the previous step's hand-over for the others) + its allowance.
- Supplement requested stops the clock. When the complete dossier arrives, in ``restart`` mode
  (NĐ 61/2018, the default) the dossier is due at that arrival + the full limit and the current
  step restarts its full allowance; in ``pause`` mode both due instants move by the working time
  the dossier waited. Payment requested always pauses until paid.
- A dossier returned while at its last step (no separate hand-over recorded) finishes that step at
  the return, timed like any other.
- Result: late iff finished after the due instant; early iff finished on a calendar date (in the
  agency's zone) before the due instant's date; else on time. Withdrawn, stopped and refused
  dossiers have no result; their steps already finished keep theirs.

``contributions(timing)`` lists the rollup keys a timing counts in, so a recomputation adjusts
the statistics by the difference between the old and the new list.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from eiso.core.workcalendar import WorkCalendar, hours_to_us
from eiso.dossiers.choices import EVENT_ORDER, DossierStatus, EventKind, Result, SupplementMode

ENDING = {EventKind.RETURNED: DossierStatus.RETURNED, EventKind.WITHDRAWN: DossierStatus.WITHDRAWN,
          EventKind.STOPPED: DossierStatus.STOPPED, EventKind.REFUSED: DossierStatus.NOT_ACCEPTED}


@dataclass(frozen=True)
class StepSpec:
    number: int
    name: str
    hours: Decimal
    unit_id: int | None = None


@dataclass(frozen=True)
class Event:
    kind: str
    at: dt.datetime
    step: int = 0


@dataclass
class StepTiming:
    step: int
    name: str
    unit_id: int | None
    started_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    result: str = ""


@dataclass
class Timing:
    status: str
    received_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None = None
    result: str = ""
    current_step: int | None = None
    current_unit_id: int | None = None
    steps: list[StepTiming] = field(default_factory=list)


def classify(finished: dt.datetime, due: dt.datetime, zone) -> str:
    """early / on_time / late of a finish against a due instant (dates read in ``zone``)."""
    if finished > due:
        return Result.LATE
    if finished.astimezone(zone).date() < due.astimezone(zone).date():
        return Result.EARLY
    return Result.ON_TIME


def sort_key(event: Event):
    return event.at, EVENT_ORDER.get(event.kind, 99), event.step


def compute(events, *, steps: list[StepSpec] | tuple[StepSpec, ...], limit_hours, calendar: WorkCalendar,
            mode: str = SupplementMode.RESTART) -> Timing:
    """The timing of one dossier from its events (in any order). Raises ValueError without a receipt.

    Computed on integer working-time positions (``_compute_fast``); what that path does not cover
    (times outside the calendar's table, a zone with daylight saving, bad input) is answered by
    ``compute_reference``, whose results the fast path reproduces exactly (tested on generated
    dossiers)."""
    if not isinstance(events, list | tuple):
        events = list(events)
    found = _compute_fast(events, steps, limit_hours, calendar, mode)
    if found is not None:
        return found
    return compute_reference(events, steps=steps, limit_hours=limit_hours, calendar=calendar, mode=mode)


class Stored(NamedTuple):
    """A dossier's timing as it is stored and counted: the first eight fields are
    ``writing.TIMING_FIELDS`` (``steps`` as ``steps_to_json`` gives them), ``keys`` are its
    ``contributions`` in the calendar's zone."""

    status: str
    due_at: dt.datetime
    finished_at: dt.datetime | None
    result: str
    current_step: int | None
    current_unit_id: int | None
    steps: list[dict]
    received_at: dt.datetime
    keys: list[tuple[dt.date, int, int | None, str]]


def compute_stored(events, *, steps: list[StepSpec] | tuple[StepSpec, ...], limit_hours, calendar: WorkCalendar,
                   mode: str = SupplementMode.RESTART) -> Stored:
    """``compute``, ``steps_to_json`` of its steps and ``contributions(…, calendar.zone)`` in one go,
    for the loops that store thousands of dossiers: the fast path writes the stored form straight
    from its integer state (ISO texts from memoised date and clock pieces), with no ``StepTiming``."""
    if not isinstance(events, list | tuple):
        events = list(events)
    found = _compute_fast(events, steps, limit_hours, calendar, mode, True)
    if found is not None:
        return found
    timing = compute_reference(events, steps=steps, limit_hours=limit_hours, calendar=calendar, mode=mode)
    return Stored(timing.status, timing.due_at, timing.finished_at, timing.result, timing.current_step,
                  timing.current_unit_id, steps_to_json(timing.steps), timing.received_at,
                  contributions(timing, calendar.zone))


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_US = dt.timedelta(microseconds=1)
_EPOCH_NAIVE = dt.datetime(1970, 1, 1)


def instant_us(at: dt.datetime) -> int:
    """An aware instant as integer µs since the epoch (UTC), exactly: the integer form of an event's
    instant (``compute_stored_us``); ``EPOCH_UTC + us * ONE_US`` is the instant again."""
    return (at - EPOCH_UTC) // ONE_US


def compute_stored_us(events, *, steps: list[StepSpec] | tuple[StepSpec, ...], limit_hours,
                      calendar: WorkCalendar, mode: str = SupplementMode.RESTART) -> Stored:
    """``compute_stored`` of events given as ``(kind, UTC µs since the epoch, step)`` tuples (a
    columnar read's integers: no datetime per event), with ``Stored.steps`` the stored steps' JSON
    text (``steps_json``'s) instead of their list. The same results exactly: what the integer path
    does not cover (a zone whose offset changes, times outside the calendar's table, output in
    another zone) goes through ``compute_stored`` with the events as datetimes in the calendar's zone."""
    found = _compute_fast_us(events, steps, limit_hours, calendar, mode)
    if found is not None:
        return found
    zone, epoch, unit = calendar.zone, EPOCH_UTC, ONE_US
    stored = compute_stored([Event(kind, (epoch + us * unit).astimezone(zone), step) for kind, us, step in events],
                            steps=steps, limit_hours=limit_hours, calendar=calendar, mode=mode)
    return stored._replace(steps=steps_json(stored.steps))


def compute_reference(events, *, steps: list[StepSpec] | tuple[StepSpec, ...], limit_hours,
                      calendar: WorkCalendar, mode: str = SupplementMode.RESTART) -> Timing:
    """``compute`` step by step on datetimes and Decimal hours through the calendar's public
    arithmetic: the definition the fast path is tested against, and its fallback."""
    ordered = sorted(events, key=sort_key)
    receipts = [e for e in ordered if e.kind == EventKind.RECEIVED]
    if not receipts:
        raise ValueError("A dossier's timing starts at its receipt; there is none.")
    received = receipts[0].at
    add, between, zone = calendar.add_working_time, calendar.working_hours_between, calendar.zone
    limit = Decimal(limit_hours)
    timing = Timing(status=DossierStatus.IN_PROGRESS, received_at=received, due_at=add(received, limit))
    timing.steps = [StepTiming(step=s.number, name=s.name, unit_id=s.unit_id) for s in steps]
    hours = {s.number: Decimal(s.hours) for s in steps}
    index = {s.number: i for i, s in enumerate(steps)}
    current = 0 if steps else None  # index in timing.steps of the step under way
    if steps:
        timing.steps[0].started_at = received
        timing.steps[0].due_at = add(received, hours[steps[0].number])
    paused_at, paused_for = None, None

    def resume(at: dt.datetime, restart: bool) -> None:
        nonlocal paused_at, paused_for
        step = timing.steps[current] if current is not None else None
        if restart:
            timing.due_at = add(at, limit)
            if step is not None:
                step.due_at = add(at, hours[step.step])
        else:
            waited = between(paused_at, at)
            timing.due_at = add(timing.due_at, waited)
            if step is not None and step.due_at is not None:
                step.due_at = add(step.due_at, waited)
        paused_at, paused_for = None, None
        timing.status = DossierStatus.IN_PROGRESS if current is not None else DossierStatus.PROCESSED

    for event in ordered:
        if event.at < received or event.kind == EventKind.RECEIVED:
            continue
        kind = event.kind
        if kind in ENDING:
            timing.status = ENDING[kind]
            timing.finished_at = event.at
            if kind == EventKind.RETURNED:
                timing.result = classify(event.at, timing.due_at, zone)
                last = timing.steps[current] if current is not None and current == len(timing.steps) - 1 else None
                if last is not None and last.started_at is not None:
                    # The result handed back is the last step's hand-over: one-stop systems seldom
                    # record it separately, and the step must not stay open on a closed dossier.
                    last.finished_at = event.at
                    last.result = classify(event.at, last.due_at, zone)
                    current = None
            break
        if kind == EventKind.STEP_DONE:
            i = index.get(event.step)
            if i is None or timing.steps[i].finished_at is not None:
                continue
            if paused_at is not None:  # work went on: the wait ended here
                restart = paused_for == EventKind.SUPPLEMENT_REQUESTED and mode == SupplementMode.RESTART
                resume(event.at, restart=restart)
            step = timing.steps[i]
            if step.started_at is None:  # a skipped hand-over: the step is timed from this one's start
                previous = [s.finished_at for s in timing.steps[:i] if s.finished_at is not None]
                step.started_at = max(previous) if previous else received
                step.due_at = add(step.started_at, hours[step.step])
            step.finished_at = event.at
            step.result = classify(event.at, step.due_at, zone)
            current = next((j for j in range(i + 1, len(timing.steps)) if timing.steps[j].finished_at is None), None)
            if current is not None and timing.steps[current].started_at is None:
                nxt = timing.steps[current]
                nxt.started_at = event.at
                nxt.due_at = add(event.at, hours[nxt.step])
            if paused_at is None:
                timing.status = DossierStatus.IN_PROGRESS if current is not None else DossierStatus.PROCESSED
        elif kind in (EventKind.SUPPLEMENT_REQUESTED, EventKind.PAYMENT_REQUESTED):
            if paused_at is None:
                paused_at, paused_for = event.at, kind
                timing.status = (DossierStatus.SUPPLEMENT_REQUESTED if kind == EventKind.SUPPLEMENT_REQUESTED
                                 else DossierStatus.PAYMENT_REQUESTED)
        elif kind == EventKind.SUPPLEMENT_RECEIVED:
            if paused_for == EventKind.SUPPLEMENT_REQUESTED:
                resume(event.at, restart=mode == SupplementMode.RESTART)
        elif kind == EventKind.PAYMENT_DONE:
            if paused_for == EventKind.PAYMENT_REQUESTED:
                resume(event.at, restart=False)
    if timing.finished_at is None and current is not None:
        timing.current_step = timing.steps[current].step
        timing.current_unit_id = timing.steps[current].unit_id
    return timing


# --- the fast path: the same replay on integer working-time positions ------------------------------------

_DAY = 86_400_000_000  # µs of a calendar day
_EARLY, _ON_TIME, _LATE = Result.EARLY, Result.ON_TIME, Result.LATE
_IN_PROGRESS, _PROCESSED = DossierStatus.IN_PROGRESS, DossierStatus.PROCESSED
# The replay tells kinds apart by their rank in EVENT_ORDER (small integers).
_R_RECEIVED, _R_STEP_DONE = EVENT_ORDER[EventKind.RECEIVED], EVENT_ORDER[EventKind.STEP_DONE]
_R_SUPPLEMENT_REQUESTED = EVENT_ORDER[EventKind.SUPPLEMENT_REQUESTED]
_R_SUPPLEMENT_RECEIVED = EVENT_ORDER[EventKind.SUPPLEMENT_RECEIVED]
_R_PAYMENT_REQUESTED, _R_PAYMENT_DONE = EVENT_ORDER[EventKind.PAYMENT_REQUESTED], EVENT_ORDER[EventKind.PAYMENT_DONE]
_R_RETURNED = EVENT_ORDER[EventKind.RETURNED]
_ENDING_BY_RANK = {EVENT_ORDER[kind]: status for kind, status in ENDING.items()}
_PAUSED_STATUS = {_R_SUPPLEMENT_REQUESTED: DossierStatus.SUPPLEMENT_REQUESTED,
                  _R_PAYMENT_REQUESTED: DossierStatus.PAYMENT_REQUESTED}
_US_OF_HOURS: dict = {}  # hours (as given) → µs, as the calendar converts them


class _Outside(Exception):
    """A due instant past the calendar's table: the reference answers (it grows the table)."""


def _us(hours) -> int:
    found = _US_OF_HOURS.get(hours)
    if found is None:
        found = hours_to_us(Decimal(hours))
        if len(_US_OF_HOURS) < 10_000:
            _US_OF_HOURS[hours] = found
    return found


_STEPS_SEEN: dict = {}  # id of a steps list → (a copy, each step's µs, index by number, count)


def _steps_of(steps) -> tuple:
    """The allowance (µs) and index of each step number (the last one wins, as in the reference),
    memoised per steps list: the copy kept beside them must still equal the list (a list of the
    same id with other steps is worked out again)."""
    found = _STEPS_SEEN.get(id(steps))
    if found is None or found[0] != steps:
        hours_us, index = {}, {}
        for i, s in enumerate(steps):
            hours_us[s.number] = _us(s.hours)
            index[s.number] = i
        found = (tuple(steps) if isinstance(steps, tuple) else list(steps), [hours_us[s.number] for s in steps],
                 index, len(steps), _json_prefixes(steps))
        if len(_STEPS_SEEN) >= 10_000:
            _STEPS_SEEN.clear()
        _STEPS_SEEN[id(steps)] = found
    return found


def _json_prefixes(steps) -> list[str] | None:
    """Each step's stored JSON text up to its ``started_at`` value (``steps_json``'s), or None when a
    step's number or unit is no plain int or its name no text (``json.dumps`` then writes them)."""
    prefixes = []
    for s in steps:
        if type(s.number) is not int or (s.unit_id is not None and type(s.unit_id) is not int) \
                or type(s.name) is not str:
            return None
        unit = "null" if s.unit_id is None else s.unit_id
        prefixes.append(f'{{"step": {s.number}, "name": {json.dumps(s.name)}, "unit": {unit}, "started_at": ')
    return prefixes


def _compute_fast(events, steps, limit_hours, calendar: WorkCalendar, mode, stored: bool = False):
    """``compute_reference``'s replay with every instant as an integer position (working µs since
    the calendar table's start) and a local wall-clock key (µs since day 1 in the agency's zone).
    Due instants are made from their position (``Positions.due``); ISO texts only for the stored
    form. Returns None where it does not apply."""
    if not events:
        return None
    zone = calendar.zone
    kit = calendar.positions_now()
    if not kit.uniform:  # no table yet (made to cover the events first), or a zone whose offset changes
        return _compute_fast_covered(events, steps, limit_hours, calendar, mode, stored) if not kit.n else None
    base, size, wk, day, within_min, order = kit.base, kit.n, kit.wk, kit.day_us, kit._within_min, EVENT_ORDER
    text = kit.text if stored and kit.out_zone is None else None
    items = []
    try:
        n = 0
        for e in events:
            at = e.at
            o = at.toordinal()
            k = o - base
            if at.tzinfo is not zone or not 0 <= k < size:
                return _compute_fast_covered(events, steps, limit_hours, calendar, mode, stored)
            clock = ((at.hour * 60 + at.minute) * 60 + at.second) * 1_000_000 + at.microsecond
            w = wk[k]
            if w < 0:
                position = ~w * day
            elif clock % 60_000_000:
                position = kit.position(at)
            else:
                position = w * day + within_min[clock // 60_000_000]
            kind = e.kind
            items.append((o * _DAY + clock, order.get(kind, 99), e.step, n, kind, at, o, position,
                          (text(o, clock) if text is not None else at.isoformat()) if stored else None))
            n += 1  # noqa: SIM113 (an enumerate is slower here)
        items.sort()
        limit_us = _us(limit_hours)  # looked up (memoised), computed once
        _copy, step_us, index, count, _prefixes = _steps_of(steps)
    except (ValueError, TypeError, ArithmeticError):
        return None  # hours that are no number, steps that do not compare: the reference says so
    try:
        return _replay(items, steps, count, step_us, index, limit_us, mode, kit, stored)
    except _Outside:
        return None


def _compute_fast_us(events, steps, limit_hours, calendar: WorkCalendar, mode):
    """``_compute_fast`` (stored form, steps as JSON text) of ``(kind, UTC µs, step)`` events: the
    local wall clock of an instant is its UTC µs + the zone's one offset, so no datetime is made
    for an event (only for the receipt and the finish returned). None where it does not apply."""
    if not events:
        return None
    kit = calendar.positions_now()
    if not kit.uniform or kit.out_zone is not None or not kit.n:
        return None
    base, size, wk, day, within_min, order = kit.base, kit.n, kit.wk, kit.day_us, kit._within_min, EVENT_ORDER
    shift = kit.offset_us + _EPOCH_ORDINAL * _DAY  # UTC µs since the epoch → local µs since day 1
    text = kit.text
    items = []
    try:
        n = 0
        for kind, us, step in events:
            key = us + shift
            o, clock = divmod(key, _DAY)
            k = o - base
            if not 0 <= k < size:
                return None
            w = wk[k]
            if w < 0:
                position = ~w * day
            elif clock % 60_000_000:
                position = kit.position_at(o, clock)
            else:
                position = w * day + within_min[clock // 60_000_000]
            items.append((key, order.get(kind, 99), step, n, kind, us, o, position, text(o, clock)))
            n += 1  # noqa: SIM113 (an enumerate is slower here)
        items.sort()
        limit_us = _us(limit_hours)  # looked up (memoised), computed once
        _copy, step_us, index, count, prefixes = _steps_of(steps)
    except (ValueError, TypeError, ArithmeticError):
        return None
    if prefixes is None:  # steps whose numbers or units are no plain int, or names no text: json writes them
        return None
    try:
        return _replay(items, steps, count, step_us, index, limit_us, mode, kit, True, prefixes)
    except _Outside:
        return None


def _compute_fast_covered(events, steps, limit_hours, calendar: WorkCalendar, mode, stored: bool):
    """The fast path for events in another zone or outside the current table: the table is made
    to cover their years first (as the reference's arithmetic would), then the same replay."""
    zone = calendar.zone
    try:
        locals_ = []
        for e in events:
            at = e.at
            if at.tzinfo is None or at.utcoffset() is None:
                return None
            locals_.append(at if at.tzinfo is zone else at.astimezone(zone))
        kit = calendar.positions(min(x.year for x in locals_), max(x.year for x in locals_))
        if not kit.uniform:
            return None
        items = []
        for n, (e, local) in enumerate(zip(events, locals_, strict=True)):
            key, o, position, text = kit.local(local, stored)
            at = e.at
            items.append((key, EVENT_ORDER.get(e.kind, 99), e.step, n, e.kind, at, o, position,
                          (text if at.tzinfo is zone else at.isoformat()) if stored else None))
        items.sort()
        limit_us = _us(limit_hours)
        _copy, step_us, index, count, _prefixes = _steps_of(steps)
    except (ValueError, TypeError, ArithmeticError):
        return None  # years outside the calendar, hours that are no number: the reference says so
    try:
        return _replay(items, steps, count, step_us, index, limit_us, mode, kit, stored)
    except _Outside:
        return None


def _replay(items, steps, count, step_us, index, limit_us, mode, kit, stored: bool, prefixes=None):
    """The reference's loop on the sorted items ``(local key, rank, step, n, kind, at, ordinal,
    position, isoformat)``; a due instant is ``(position, local key, local ordinal, datetime,
    isoformat)``. Returns a ``Timing``, or its ``Stored`` form when ``stored``. ``prefixes``
    (``_json_prefixes``): the items' ``at`` are UTC µs (``_compute_fast_us``), and the stored steps
    are written as their JSON text."""
    received = None
    for item in items:
        if item[1] == _R_RECEIVED:
            received = item
            break
    if received is None:
        return None
    make = kit.due

    def due(p: int, end: bool) -> tuple:
        made = make(p, end, stored)
        if made is None:
            raise _Outside
        return made

    # Per step (index in ``steps``): start (the item it starts at), due, finish (item), result.
    started: list = [None] * count
    step_due: list = [None] * count
    finished: list = [None] * count
    results: list = [""] * count
    received_key, received_p = received[0], received[7]
    dossier_due = due(received_p + limit_us, limit_us > 0)
    status, ending, result = _IN_PROGRESS, None, ""
    current = 0 if count else None
    if count:
        started[0] = received
        step_due[0] = due(received_p + step_us[0], step_us[0] > 0)
    paused_p, paused_for = None, None
    restart_mode = mode == SupplementMode.RESTART

    for item in items:
        key, rank = item[0], item[1]
        if key < received_key or rank == _R_RECEIVED:
            continue
        if rank in _ENDING_BY_RANK:
            status = _ENDING_BY_RANK[rank]
            ending = item
            if rank == _R_RETURNED:
                result = _LATE if key > dossier_due[1] else _EARLY if item[6] < dossier_due[2] else _ON_TIME
                if current is not None and current == count - 1 and started[current] is not None:
                    d = step_due[current]
                    finished[current] = item
                    results[current] = _LATE if key > d[1] else _EARLY if item[6] < d[2] else _ON_TIME
                    current = None
            break
        if rank == _R_STEP_DONE:
            i = index.get(item[2])
            if i is None or finished[i] is not None:
                continue
            resume = None if paused_p is None else (paused_for == _R_SUPPLEMENT_REQUESTED and restart_mode)
        elif rank in (_R_SUPPLEMENT_REQUESTED, _R_PAYMENT_REQUESTED):
            if paused_p is None:
                paused_p, paused_for = item[7], rank
                status = _PAUSED_STATUS[rank]
            continue
        elif rank == _R_SUPPLEMENT_RECEIVED:
            if paused_for != _R_SUPPLEMENT_REQUESTED:
                continue
            resume = restart_mode
        elif rank == _R_PAYMENT_DONE:
            if paused_for != _R_PAYMENT_REQUESTED:
                continue
            resume = False
        else:
            continue
        if resume is not None:
            at_p = item[7]
            if resume:  # restart: the full limit (and the current step's full allowance) from here
                dossier_due = due(at_p + limit_us, limit_us > 0)
                if current is not None:
                    step_due[current] = due(at_p + step_us[current], step_us[current] > 0)
            else:  # pause: the due instants move by the working time waited (a zero wait: to a start)
                waited = at_p - paused_p
                dossier_due = due(dossier_due[0] + waited, waited > 0)
                if current is not None and step_due[current] is not None:
                    step_due[current] = due(step_due[current][0] + waited, waited > 0)
            paused_p, paused_for = None, None
            status = _IN_PROGRESS if current is not None else _PROCESSED
            if rank != _R_STEP_DONE:
                continue
        if started[i] is None:  # a skipped hand-over: the step is timed from this one's start
            best = None
            for j in range(i):
                f = finished[j]
                if f is not None and (best is None or f[0] > best[0]):
                    best = f
            started[i] = best if best is not None else received
            step_due[i] = due(started[i][7] + step_us[i], step_us[i] > 0)
        finished[i] = item
        d = step_due[i]
        results[i] = _LATE if key > d[1] else _EARLY if item[6] < d[2] else _ON_TIME
        current = None
        for j in range(i + 1, count):
            if finished[j] is None:
                current = j
                break
        if current is not None and started[current] is None:
            started[current] = item
            p = item[7] + step_us[current]
            step_due[current] = due(p, step_us[current] > 0)
        if paused_p is None:
            status = _IN_PROGRESS if current is not None else _PROCESSED
    open_step = current if ending is None else None
    if stored:
        zone_months = _MONTHS
        keys = []
        if result:
            month = zone_months.get(ending[6]) or _month(ending[6])
            keys.append((month, 0, None, result))
        if prefixes is not None:  # the JSON text (``steps_json``'s) and the instants from UTC µs
            parts = []
            for i, s in enumerate(steps):
                f, d, begun = finished[i], step_due[i], started[i]
                if f is not None:
                    keys.append((zone_months.get(f[6]) or _month(f[6]), s.number, s.unit_id, results[i]))
                parts.append(prefixes[i] + ("null" if begun is None else '"' + begun[8] + '"')
                             + ', "due_at": ' + ("null" if d is None else '"' + d[4] + '"')
                             + ', "finished_at": ' + ("null" if f is None else '"' + f[8] + '"')
                             + ', "result": ' + _RESULT_JSON[results[i]] + "}")
            zone, offset = kit.zone, kit.offset_us
            return Stored(status, dossier_due[3],
                          None if ending is None else (_EPOCH_NAIVE + dt.timedelta(
                              microseconds=offset + ending[5])).replace(tzinfo=zone), result,
                          steps[open_step].number if open_step is not None else None,
                          steps[open_step].unit_id if open_step is not None else None, "[" + ", ".join(parts) + "]",
                          (_EPOCH_NAIVE + dt.timedelta(microseconds=offset + received[5])).replace(tzinfo=zone), keys)
        rows = []
        for i, s in enumerate(steps):
            f, d, begun = finished[i], step_due[i], started[i]
            if f is not None:
                keys.append((zone_months.get(f[6]) or _month(f[6]), s.number, s.unit_id, results[i]))
            rows.append({"step": s.number, "name": s.name, "unit": s.unit_id,
                         "started_at": begun[8] if begun is not None else None,
                         "due_at": d[4] if d is not None else None,
                         "finished_at": f[8] if f is not None else None, "result": results[i]})
        return Stored(status, dossier_due[3], ending[5] if ending is not None else None, result,
                      steps[open_step].number if open_step is not None else None,
                      steps[open_step].unit_id if open_step is not None else None, rows, received[5], keys)
    timing = Timing(status, received[5], dossier_due[3], ending[5] if ending is not None else None, result)
    timing.steps = [StepTiming(s.number, s.name, s.unit_id, started[i][5] if started[i] is not None else None,
                               step_due[i][3] if step_due[i] is not None else None,
                               finished[i][5] if finished[i] is not None else None, results[i])
                    for i, s in enumerate(steps)]
    if open_step is not None:
        timing.current_step = steps[open_step].number
        timing.current_unit_id = steps[open_step].unit_id
    return timing


_RESULT_JSON = {r: json.dumps(r) for r in ("", *Result.values)}  # a step's result → its JSON text

_MONTHS: dict[int, dt.date] = {}  # local ordinal → the first day of its month


def _month(ordinal: int) -> dt.date:
    month = _MONTHS[ordinal] = dt.date.fromordinal(ordinal).replace(day=1)
    return month


def month_of(instant: dt.datetime, zone) -> dt.date:
    return instant.astimezone(zone).date().replace(day=1)


def contributions(timing: Timing | None, zone) -> list[tuple[dt.date, int, int | None, str]]:
    """``(month, step, unit id, result)`` for the dossier (step 0) and each finished step."""
    if timing is None:
        return []
    keys = []
    if timing.result and timing.finished_at is not None:
        keys.append((month_of(timing.finished_at, zone), 0, None, timing.result))
    for s in timing.steps:
        if s.result and s.finished_at is not None:
            keys.append((month_of(s.finished_at, zone), s.step, s.unit_id, s.result))
    return keys



_MONTH_OF_TEXT: dict = {}  # zone → {ISO text: first day of its month in that zone}


def contributions_of_stored(finished_at: dt.datetime | None, result: str, steps: list[dict] | None,
                            zone) -> list[tuple[dt.date, int, int | None, str]]:
    """``contributions`` of a timing as stored (the dossier's finish and result, its steps' JSON),
    without making the ``Timing``: a step's month is read from its text once per zone."""
    if finished_at is None and not steps:
        return []
    keys = []
    if result and finished_at is not None:
        keys.append((month_of(finished_at, zone), 0, None, result))
    memo = _MONTH_OF_TEXT.get(zone)
    if memo is None or len(memo) >= 200_000:
        memo = _MONTH_OF_TEXT[zone] = {}
    for row in steps or ():
        text, step_result = row.get("finished_at"), row.get("result")
        if step_result and text:
            month = memo.get(text)
            if month is None:
                month = memo[text] = month_of(dt.datetime.fromisoformat(text), zone)
            keys.append((month, row["step"], row.get("unit"), step_result))
    return keys

# --- to and from the stored form (Dossier.steps JSON) ----------------------------------------------------

def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def steps_to_json(steps: list[StepTiming]) -> list[dict]:
    return [{"step": s.step, "name": s.name, "unit": s.unit_id, "started_at": _iso(s.started_at),
             "due_at": _iso(s.due_at), "finished_at": _iso(s.finished_at), "result": s.result} for s in steps]


_JSON_TEXT: dict = {}  # a step's name or result → its JSON text
_ISO_SAFE = frozenset("0123456789-:.+TZ")
_STEP_KEYS = ("step", "name", "unit", "started_at", "due_at", "finished_at", "result")


def steps_json(rows: list[dict]) -> str:
    """``json.dumps(rows)`` of the stored form of the steps (``Stored.steps``, ``steps_to_json``), the
    same text, written from a template: names and results are encoded once each, instants are ISO
    texts (nothing to escape; anything else goes through ``json.dumps``)."""
    parts = []
    for row in rows:
        if type(row) is not dict or tuple(row) != _STEP_KEYS:  # not the stored form: json writes it
            return json.dumps(rows)
        step, name, unit, started, due, finished, result = row.values()
        if type(step) is not int or (unit is not None and type(unit) is not int):
            return json.dumps(rows)
        texts = []
        for value in (started, due, finished):
            if value is None:
                texts.append("null")
            elif type(value) is str and _ISO_SAFE.issuperset(value):
                texts.append(f'"{value}"')
            else:
                return json.dumps(rows)
        name_text = _JSON_TEXT.get(name) if type(name) is str else None
        if name_text is None:
            name_text = json.dumps(name)
            if type(name) is str and len(_JSON_TEXT) < 10_000:
                _JSON_TEXT[name] = name_text
        result_text = _JSON_TEXT.get(result) if type(result) is str else None
        if result_text is None:
            result_text = json.dumps(result)
            if type(result) is str and len(_JSON_TEXT) < 10_000:
                _JSON_TEXT[result] = result_text
        parts.append(f'{{"step": {step}, "name": {name_text}, "unit": {"null" if unit is None else unit}, '
                     f'"started_at": {texts[0]}, "due_at": {texts[1]}, "finished_at": {texts[2]}, '
                     f'"result": {result_text}}}')
    return "[" + ", ".join(parts) + "]"


def steps_from_json(rows: list[dict]) -> list[StepTiming]:
    return [StepTiming(step=r["step"], name=r.get("name", ""), unit_id=r.get("unit"),
                       started_at=_parse(r.get("started_at")), due_at=_parse(r.get("due_at")),
                       finished_at=_parse(r.get("finished_at")), result=r.get("result") or "") for r in rows or []]
