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
from dataclasses import dataclass, field
from decimal import Decimal

from eiso.core.workcalendar import WorkCalendar
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
    """The timing of one dossier from its events (in any order). Raises ValueError without a receipt."""
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


# --- to and from the stored form (Dossier.steps JSON) ----------------------------------------------------

def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def steps_to_json(steps: list[StepTiming]) -> list[dict]:
    return [{"step": s.step, "name": s.name, "unit": s.unit_id, "started_at": _iso(s.started_at),
             "due_at": _iso(s.due_at), "finished_at": _iso(s.finished_at), "result": s.result} for s in steps]


def steps_from_json(rows: list[dict]) -> list[StepTiming]:
    return [StepTiming(step=r["step"], name=r.get("name", ""), unit_id=r.get("unit"),
                       started_at=_parse(r.get("started_at")), due_at=_parse(r.get("due_at")),
                       finished_at=_parse(r.get("finished_at")), result=r.get("result") or "") for r in rows or []]
