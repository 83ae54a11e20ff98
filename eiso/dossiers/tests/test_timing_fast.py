"""``timing.compute`` (integer working-time positions, memoised instants) answers exactly like
``timing.compute_reference`` (datetimes and Decimal hours through the calendar's public
arithmetic): the same statuses, results, due instants to the microsecond and in the same zone,
the same stored JSON and rollup keys, on thousands of generated dossiers (fixed seed). Pure: no
database."""

import datetime as dt
import json
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from eiso.core.workcalendar import DecreedDay, WorkCalendar
from eiso.dossiers import timing
from eiso.dossiers.choices import EventKind, SupplementMode
from eiso.dossiers.timing import Event, StepSpec

Z = ZoneInfo("Asia/Ho_Chi_Minh")
KINDS = [k.value for k in EventKind] + ["something_else"]

CALENDARS = {
    "national": WorkCalendar(),
    # An agency with its own days off and working days (a Saturday among them), an administrator's
    # decreed days, results stored in UTC.
    "agency": WorkCalendar(
        extra_days_off={dt.date(2026, 3, 6): "Đại hội", dt.date(2025, 12, 31): ""},
        extra_working_days={dt.date(2026, 3, 7): "Làm bù", dt.date(2025, 11, 15): ""},
        decreed_days_off=(DecreedDay(dt.date(2026, 9, 4), "QĐ 1"),),
        decreed_makeup_days=(DecreedDay(dt.date(2026, 9, 12), "QĐ 1", dt.date(2026, 9, 4)),),
        output_tz="UTC"),
    # Odd office hours: periods that do not start on a whole minute, a day of 7 h 29 min 30 s.
    "odd hours": WorkCalendar(periods=(("07:30:15", "11:30"), ("13:00", "16:29:45"))),
    "one period": WorkCalendar(periods=(("08:00", "16:00"),)),
}


def _instant(rng: random.Random, day: dt.date) -> dt.datetime:
    """Mostly office-hours whole minutes; sometimes nights, seconds, microseconds, or another zone."""
    draw = rng.random()
    if draw < 0.7:
        minute = rng.randrange(7 * 60, 18 * 60)
        at = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=Z)
    elif draw < 0.85:
        at = dt.datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), rng.randrange(60),
                         rng.choice([0, 0, rng.randrange(1_000_000)]), tzinfo=Z)
    else:
        at = dt.datetime(day.year, day.month, day.day, rng.choice([8, 12, 13, 17]), tzinfo=Z)
    if rng.random() < 0.05:
        at = at.astimezone(rng.choice([dt.UTC, dt.timezone(dt.timedelta(hours=9))]))
    return at


def _dossier(rng: random.Random, steps_pool: list) -> tuple:
    steps = rng.choice(steps_pool)
    day = dt.date(2024, 12, 1) + dt.timedelta(days=rng.randrange(800))
    received = _instant(rng, day)
    events = [Event(EventKind.RECEIVED, received)]
    at = received
    shape = rng.random()
    if shape < 0.6:  # a plausible life: steps in order, supplements and payments, maybe returned
        for step in steps:
            if rng.random() < 0.15:
                kind = rng.choice([(EventKind.SUPPLEMENT_REQUESTED, EventKind.SUPPLEMENT_RECEIVED),
                                   (EventKind.PAYMENT_REQUESTED, EventKind.PAYMENT_DONE)])
                at += dt.timedelta(minutes=rng.randrange(0, 3000))
                events.append(Event(kind[0], at))
                if rng.random() < 0.85:
                    at += dt.timedelta(minutes=rng.choice([0, rng.randrange(1, 20000)]))
                    events.append(Event(kind[1], at))
            if rng.random() < 0.1:
                continue  # a hand-over not recorded
            at += dt.timedelta(minutes=rng.choice([0, rng.randrange(1, 6000)]))
            events.append(Event(EventKind.STEP_DONE, at, step.number))
            if rng.random() < 0.08:
                break  # still open
        else:
            if rng.random() < 0.8:
                at += dt.timedelta(minutes=rng.randrange(0, 2000))
                events.append(Event(rng.choice([EventKind.RETURNED] * 6 + [EventKind.WITHDRAWN, EventKind.STOPPED,
                                                                            EventKind.REFUSED]), at))
    else:  # anything at all: random kinds, steps, instants around the receipt, duplicates
        for _ in range(rng.randrange(0, 12)):
            kind = rng.choice(KINDS)
            offset = dt.timedelta(minutes=rng.randrange(-600, 20000))
            when = _instant(rng, (received + offset).date()) if rng.random() < 0.5 else received + offset
            events.append(Event(kind, when, rng.choice([0, 1, 2, 3, 4, 5, 9])))
        if rng.random() < 0.2:
            events.append(rng.choice(events))
    rng.shuffle(events)
    limit = rng.choice([Decimal(8), Decimal(24), Decimal(40), Decimal(120), Decimal("12.5"), Decimal(0), 16])
    return events, steps, limit


def _steps_pool(rng: random.Random) -> list:
    pool = [[]]
    for _ in range(12):
        count = rng.randrange(1, 6)
        pool.append([StepSpec(j + 1, f"Bước {j + 1}", rng.choice([Decimal(4), Decimal(8), Decimal(16), Decimal("2.5"),
                                                                    Decimal(0), Decimal("0.25")]),
                              rng.choice([None, 10 + j])) for j in range(count)])
    pool.append([StepSpec(1, "a", Decimal(4), 1), StepSpec(2, "b", Decimal(8), 2), StepSpec(2, "b bis", Decimal(6), 3)])
    return pool


def _exact(value):
    """A value with every datetime as its text (zone included), for a comparison that sees zones."""
    if isinstance(value, dt.datetime):
        return value.isoformat(), str(value.tzinfo)
    if isinstance(value, list | tuple):
        return [_exact(v) for v in value]
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, timing.StepTiming | timing.Timing):
        return _exact(vars(value))
    return value


def _reference_json(steps):
    return [{"step": s.step, "name": s.name, "unit": s.unit_id,
             "started_at": s.started_at.isoformat() if s.started_at else None,
             "due_at": s.due_at.isoformat() if s.due_at else None,
             "finished_at": s.finished_at.isoformat() if s.finished_at else None, "result": s.result} for s in steps]


@pytest.mark.parametrize("name", list(CALENDARS))
def test_the_fast_timing_is_the_reference_timing(name):
    calendar = CALENDARS[name]
    rng = random.Random(f"eiso-timing-{name}")
    pool = _steps_pool(rng)
    fast_answered = 0
    cases = 3000
    for _ in range(cases):
        events, steps, limit = _dossier(rng, pool)
        mode = rng.choice([SupplementMode.RESTART, SupplementMode.PAUSE])
        kwargs = {"steps": steps, "limit_hours": limit, "calendar": calendar, "mode": mode}
        try:
            expected = timing.compute_reference(events, **kwargs)
        except ValueError as error:  # no receipt
            with pytest.raises(ValueError, match=str(error)):
                timing.compute(events, **kwargs)
            continue
        fast = timing._compute_fast(events, steps, limit, calendar, mode)
        if fast is not None:
            fast_answered += 1
            assert _exact(fast) == _exact(expected)
        got = timing.compute(events, **kwargs)
        assert _exact(got) == _exact(expected)
        assert timing.steps_to_json(got.steps) == _reference_json(expected.steps)
        assert timing.contributions(got, calendar.zone) == timing.contributions(expected, calendar.zone)
        # The stored form, as the import and the retiming write it.
        stored = timing.compute_stored(events, **kwargs)
        assert _exact(list(stored)) == _exact([
            expected.status, expected.due_at, expected.finished_at, expected.result, expected.current_step,
            expected.current_unit_id, _reference_json(expected.steps), expected.received_at,
            timing.contributions(expected, calendar.zone)])
        assert timing.steps_json(stored.steps) == json.dumps(stored.steps)  # the text the import stores
        # The keys a stored timing counts in, read from the stored form as the retiming reads them.
        again = timing.Timing(status=expected.status, received_at=expected.received_at, due_at=expected.due_at,
                              finished_at=expected.finished_at, result=expected.result,
                              steps=timing.steps_from_json(stored.steps))
        assert timing.contributions_of_stored(expected.finished_at, expected.result, stored.steps, calendar.zone) \
            == timing.contributions(again, calendar.zone) == timing.contributions(expected, calendar.zone)
    # The fast path answers nearly every dossier (only events in other zones or past the tables
    # are handed to the reference): a fast path that gave up would fail here, not just run slower.
    assert fast_answered > 0.9 * cases


def test_far_due_dates_and_other_zones_are_answered_alike():
    """A limit that runs past the calendar's table, events written in UTC, and a receipt in 2100:
    what the fast path hands over is answered by the reference."""
    calendar = WorkCalendar()
    steps = [StepSpec(1, "a", Decimal(8), None)]
    received = dt.datetime(2099, 12, 20, 9, tzinfo=Z)
    for events, limit in [
        ([Event("received", received)], Decimal(8 * 400)),  # due in 2101: past the years covered
        ([Event("received", dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)),
          Event("step_done", dt.datetime(2026, 3, 3, 3, tzinfo=dt.UTC), 1)], Decimal(16)),
        ([Event("received", dt.datetime(2026, 3, 2, 9, tzinfo=Z))], Decimal(8 * 2000)),  # years ahead
    ]:
        try:
            expected = timing.compute_reference(events, steps=steps, limit_hours=limit, calendar=calendar)
        except ValueError as error:
            with pytest.raises(ValueError, match=str(error)):
                timing.compute(events, steps=steps, limit_hours=limit, calendar=calendar)
            continue
        got = timing.compute(events, steps=steps, limit_hours=limit, calendar=calendar)
        assert _exact(got) == _exact(expected)
        stored = timing.compute_stored(events, steps=steps, limit_hours=limit, calendar=calendar)
        assert _exact(stored.steps) == _reference_json(expected.steps)
        assert (stored.due_at, stored.keys) == (expected.due_at, timing.contributions(expected, calendar.zone))


@pytest.mark.parametrize("calendar", [WorkCalendar(tz="Europe/Berlin"), WorkCalendar()], ids=["dst", "vietnam"])
def test_zones_whose_offset_changes_are_left_to_the_reference(calendar):
    """Berlin has daylight saving; Vietnam moved from UTC+8 to UTC+7 in 1975: a table over such
    years is not uniform, the fast path steps aside and the answers stay the reference's."""
    zone = calendar.zone
    year = 2026 if calendar.tz == "Europe/Berlin" else 1975
    rng = random.Random(f"eiso-zones-{calendar.tz}")
    steps = [StepSpec(1, "a", Decimal(8), None), StepSpec(2, "b", Decimal(16), None)]
    for _ in range(200):
        received = dt.datetime(year, 1, 1, 8, tzinfo=zone) + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        events = [Event("received", received), Event("step_done", received + dt.timedelta(hours=rng.randrange(80)), 1),
                  Event("step_done", received + dt.timedelta(hours=rng.randrange(80, 300)), 2),
                  Event("returned", received + dt.timedelta(hours=rng.randrange(300, 400)))]
        kwargs = {"steps": steps, "limit_hours": Decimal(40), "calendar": calendar}
        assert timing._compute_fast(events, steps, Decimal(40), calendar, SupplementMode.RESTART) is None
        expected = timing.compute_reference(events, **kwargs)
        assert _exact(timing.compute(events, **kwargs)) == _exact(expected)
        assert _exact(timing.compute_stored(events, **kwargs).steps) == _reference_json(expected.steps)


def test_steps_json_is_json_dumps():
    """The import's template gives json.dumps's text, and hands anything else to json.dumps."""
    rows = [{"step": 1, "name": "Bước \"một\" — thẩm định", "unit": 7, "started_at": "2026-02-13T10:00:00+07:00",
             "due_at": "2026-02-13T14:00:00.250000+07:00", "finished_at": None, "result": ""},
            {"step": 2, "name": "", "unit": None, "started_at": None, "due_at": None, "finished_at": None,
             "result": "late"}]
    assert timing.steps_json(rows) == json.dumps(rows)
    assert timing.steps_json([]) == json.dumps([]) == "[]"
    odd = [{**rows[0], "started_at": "13/02/2026 \n"}], [{**rows[0], "unit": 1.5}], [{"result": "", **rows[0]}], \
        [{**rows[0], "extra": 1}], [{**rows[0], "step": True}], [{**rows[0], "name": None}]
    for value in odd:
        assert timing.steps_json(value) == json.dumps(value)


def test_without_a_receipt_the_same_error():
    with pytest.raises(ValueError, match="starts at its receipt"):
        timing.compute([Event("step_done", dt.datetime(2026, 3, 2, 9, tzinfo=Z), 1)], steps=[],
                       limit_hours=8, calendar=WorkCalendar())


def _us(at: dt.datetime) -> int:
    return (at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


@pytest.mark.parametrize("name", list(CALENDARS))
def test_the_timing_of_integer_instants_is_the_timing_of_datetimes(name):
    """``compute_stored_us`` (events as UTC µs, as a columnar import reads them) gives what
    ``compute_stored`` gives for the same events as datetimes in the calendar's zone (as the
    import gave them before): the same fields, zones included, rollup keys, and as its steps the
    very text ``steps_json`` stores. Generated dossiers with supplements, payments, skipped
    hand-overs, open and ended dossiers, events out of order and repeated, times outside office
    hours, odd office hours, agency days off and decreed days; the integer path answers nearly
    all of them where it applies (one UTC offset, results in the calendar's own zone)."""
    calendar = CALENDARS[name]
    zone = calendar.zone
    rng = random.Random(f"eiso-timing-us-{name}")
    pool = _steps_pool(rng)
    cases, answered = 3000, 0
    for _ in range(cases):
        events, steps, limit = _dossier(rng, pool)
        mode = rng.choice([SupplementMode.RESTART, SupplementMode.PAUSE])
        kwargs = {"steps": steps, "limit_hours": limit, "calendar": calendar, "mode": mode}
        local = [Event(e.kind, e.at.astimezone(zone), e.step) for e in events]
        integers = [(e.kind, _us(e.at), e.step) for e in events]
        try:
            expected = timing.compute_stored(local, **kwargs)
        except ValueError as error:  # no receipt
            with pytest.raises(ValueError, match=str(error)):
                timing.compute_stored_us(integers, **kwargs)
            continue
        if timing._compute_fast_us(integers, steps, limit, calendar, mode) is not None:
            answered += 1
        got = timing.compute_stored_us(integers, **kwargs)
        assert _exact(list(got)) == _exact([*expected[:6], timing.steps_json(expected.steps), *expected[7:]])
        assert got.steps == json.dumps(expected.steps)
    if calendar.out_zone is calendar.zone:
        assert answered > 0.9 * cases
    else:  # results in another zone: every dossier goes through the datetimes
        assert answered == 0


def test_integer_instants_outside_the_table_are_answered_alike():
    """Receipts in 2100, a limit that runs years ahead, a step with a name to escape, before 1975's
    change of offset in Vietnam: the integer path steps aside and the answer is the same."""
    calendar = WorkCalendar()
    steps = [StepSpec(1, "Bước \"một\" — thẩm định", Decimal(8), 3), StepSpec(2, "b", Decimal("2.5"), None)]
    for received, limit in [(dt.datetime(2100, 12, 20, 9, tzinfo=Z), Decimal(8)),
                            (dt.datetime(2026, 3, 2, 9, 0, 7, 5, tzinfo=Z), Decimal(8 * 2000)),
                            (dt.datetime(1974, 6, 3, 9, tzinfo=Z), Decimal(16)),
                            (dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC), Decimal(16))]:
        events = [Event("received", received), Event("step_done", received + dt.timedelta(hours=30), 1),
                  Event("supplement_requested", received + dt.timedelta(hours=31)),
                  Event("supplement_received", received + dt.timedelta(hours=50))]
        local = [Event(e.kind, e.at.astimezone(calendar.zone), e.step) for e in events]
        kwargs = {"steps": steps, "limit_hours": limit, "calendar": calendar}
        expected = timing.compute_stored(local, **kwargs)
        got = timing.compute_stored_us([(e.kind, _us(e.at), e.step) for e in events], **kwargs)
        assert _exact(list(got)) == _exact([*expected[:6], json.dumps(expected.steps), *expected[7:]])


@pytest.mark.parametrize("name", list(CALENDARS))
def test_the_timing_in_columns_is_the_timing_of_integer_instants(name):
    """``timing_columns.compute_stored_columns`` (many dossiers at once, in polars columns) answers
    each dossier it answers exactly as ``compute_stored_us`` does: status, instants (as UTC µs),
    result, open step, the stored steps' very JSON text and the rollup keys in their order. The
    same generated dossiers (every shape; it answers the plain ones: received, hand-overs in order,
    maybe an ending) in one call, steps from one definition per process."""
    calendar = CALENDARS[name]
    rng = random.Random(f"eiso-timing-columns-{name}")
    pool = _steps_pool(rng)
    cases, rows, dossiers, expected = 3000, [], [], {}
    for grp in range(cases):
        events, steps, limit = _dossier(rng, pool)
        if rng.random() < 0.3:  # more of the plain shape: received, each hand-over in order, maybe returned
            steps = rng.choice(pool[1:-1])
            at = events[0].at if rng.random() < 0.5 else _instant(rng, dt.date(2025, 1, 2))
            events = [Event(EventKind.RECEIVED, at)]
            for step in steps[:rng.randrange(0, len(steps) + 1)]:
                at += dt.timedelta(minutes=rng.choice([0, rng.randrange(1, 6000)]))
                events.append(Event(EventKind.STEP_DONE, at, step.number))
            if rng.random() < 0.6:
                at += dt.timedelta(minutes=rng.randrange(0, 3000))
                events.append(Event(rng.choice([EventKind.RETURNED, EventKind.RETURNED, EventKind.WITHDRAWN]), at))
            rng.shuffle(events)
        integers = [(e.kind, _us(e.at), e.step) for e in events]
        rows += [(grp, kind, us, step) for kind, us, step in integers]
        try:
            expected[grp] = timing.compute_stored_us(integers, steps=steps, limit_hours=limit, calendar=calendar,
                                                     mode=SupplementMode.RESTART)
        except ValueError:  # no receipt
            continue
        dossiers.append((grp, pool.index(steps), timing._us(limit)))
    answered = len(_answered_in_columns(rows, dossiers, ["grp", "definition_id", "limit_us"], pool, calendar,
                                        SupplementMode.RESTART, expected))
    if calendar.out_zone is calendar.zone:
        assert answered > 0.2 * cases
    else:  # results in another zone: one by one
        assert answered == 0


def _answered_in_columns(rows, dossiers, schema, pool, calendar, mode, expected) -> list[tuple[int, str]]:
    """The generated dossiers (``rows`` of events, ``dossiers`` with ``schema``) timed in columns in one
    call, each one answered compared with what ``compute_stored_us`` gave one by one (``expected``);
    their (grp, result), in order."""
    import polars as pl

    from eiso.dossiers import timing_columns

    frame = pl.DataFrame(rows, schema={"grp": pl.Int64, "kind": pl.String, "at_us": pl.Int64, "step": pl.Int64},
                         orient="row")
    stored, keys = timing_columns.compute_stored_columns(
        frame, pl.DataFrame(dossiers, schema=schema, orient="row"), steps_of=dict(enumerate(pool)),
        calendar=calendar, mode=mode)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

    def instant(us):
        return None if us is None else (epoch + dt.timedelta(microseconds=us)).astimezone(calendar.zone)

    keys_of = {}
    for grp, month, step, unit, result in keys.iter_rows():
        keys_of.setdefault(grp, []).append((month, step, unit, result))
    answered = []
    for grp, status, received, due, finished, result, current_step, current_unit, steps in stored.iter_rows():
        answered.append((grp, result))
        assert _exact([status, instant(due), instant(finished), result, current_step, current_unit, steps,
                       instant(received), keys_of.get(grp, [])]) == _exact(list(expected[grp])), grp
    return answered


def _with_rounds(rng: random.Random, steps: list, received: dt.datetime) -> list:
    """Received, each hand-over in order with supplement rounds before some (several in a step, a
    zero wait, a request at a hand-over's instant, long waits that make it late), maybe an ending;
    now and then a round left open at the end, one after the last hand-over, or one whose receipt
    comes before its request (the clock then stays stopped: the replay, not the columns, answers)."""
    at = received
    events = [Event(EventKind.RECEIVED, at)]
    for step in steps[:rng.randrange(0, len(steps) + 1)]:
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            at += dt.timedelta(minutes=rng.choice([0, rng.randrange(1, 3000)]))
            events.append(Event(EventKind.SUPPLEMENT_REQUESTED, at))
            # (received at the very instant of the request: it sorts first, and the round stays open)
            at += dt.timedelta(minutes=0 if rng.random() < 0.05 else rng.randrange(1, 30000))
            events.append(Event(EventKind.SUPPLEMENT_RECEIVED, at))
        at += dt.timedelta(minutes=rng.choice([0, rng.randrange(1, 6000)]))
        events.append(Event(EventKind.STEP_DONE, at, step.number))
    draw = rng.random()
    if draw < 0.1:  # a round still open
        at += dt.timedelta(minutes=rng.randrange(0, 3000))
        events.append(Event(EventKind.SUPPLEMENT_REQUESTED, at))
    elif draw < 0.15:  # the complete dossier received before it was asked for
        events.append(Event(EventKind.SUPPLEMENT_RECEIVED, at + dt.timedelta(minutes=5)))
        events.append(Event(EventKind.SUPPLEMENT_REQUESTED, at + dt.timedelta(minutes=50)))
    elif draw < 0.2:  # a round once every step is handed over (or none has one)
        events.append(Event(EventKind.SUPPLEMENT_REQUESTED, at + dt.timedelta(minutes=5)))
        events.append(Event(EventKind.SUPPLEMENT_RECEIVED, at + dt.timedelta(minutes=500)))
    if rng.random() < 0.6 and draw >= 0.1:
        at += dt.timedelta(minutes=rng.randrange(0, 3000))
        events.append(Event(rng.choice([EventKind.RETURNED, EventKind.RETURNED, EventKind.WITHDRAWN]), at))
    rng.shuffle(events)
    return events


@pytest.mark.parametrize("name", list(CALENDARS))
def test_the_timing_in_columns_of_supplement_rounds_is_the_timing_of_integer_instants(name):
    """Dossiers with supplement rounds, in either mode (a column per dossier), timed in columns
    answer exactly as ``compute_stored_us`` one by one: due instants restarted or moved by the
    working time waited, over nights, weekends, holidays and agency days off, early, on time and
    late. Nearly all rounds are answered in columns (a round open at the end, or after the last
    hand-over, is left to the caller); a column that gave them up would fail here."""
    calendar = CALENDARS[name]
    rng = random.Random(f"eiso-timing-columns-rounds-{name}")
    pool = _steps_pool(rng)
    cases, rows, dossiers, expected, with_rounds = 3000, [], [], {}, set()
    for grp in range(cases):
        steps = rng.choice(pool[1:-1])
        day = dt.date(2024, 12, 1) + dt.timedelta(days=rng.randrange(800))
        received = dt.datetime(day.year, day.month, day.day, rng.randrange(7, 18), rng.randrange(60), tzinfo=Z) \
            if rng.random() < 0.8 else _instant(rng, day)
        events = _with_rounds(rng, steps, received)
        limit = rng.choice([Decimal(8), Decimal(24), Decimal(40), Decimal("12.5"), Decimal(0)])
        mode = rng.choice([SupplementMode.RESTART, SupplementMode.PAUSE])
        integers = [(e.kind, _us(e.at), e.step) for e in events]
        rows += [(grp, kind, us, step) for kind, us, step in integers]
        expected[grp] = timing.compute_stored_us(integers, steps=steps, limit_hours=limit, calendar=calendar,
                                                 mode=mode)
        if any(e.kind == EventKind.SUPPLEMENT_REQUESTED for e in events):
            with_rounds.add(grp)
        dossiers.append((grp, pool.index(steps), timing._us(limit), mode == SupplementMode.RESTART))
    pairs = _answered_in_columns(rows, dossiers, ["grp", "definition_id", "limit_us", "restart"], pool, calendar,
                                 "", expected)
    answered, results = {grp for grp, _result in pairs}, {result for _grp, result in pairs}
    if calendar.out_zone is calendar.zone:
        assert len(answered & with_rounds) > 0.5 * len(with_rounds)
        assert results >= {"early", "on_time", "late"}
    else:  # results in another zone: one by one
        assert not answered
