"""The pure timing of a dossier (DOMAIN.md §5): examples with real Vietnamese calendars, and the
property that the order events arrive in never changes the answer."""

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eiso.core.workcalendar import WorkCalendar
from eiso.dossiers.timing import (
    Event,
    StepSpec,
    classify,
    compute,
    contributions,
    steps_from_json,
    steps_to_json,
)

Z = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()
STEPS = [StepSpec(1, "Tiếp nhận", Decimal(4), 11), StepSpec(2, "Thẩm định", Decimal(16), 12),
         StepSpec(3, "Trả kết quả", Decimal(4), 11)]


def t(*args):
    return dt.datetime(*args, tzinfo=Z)


def run(events, mode="restart", limit=24, steps=STEPS, calendar=CAL):
    return compute(events, steps=steps, limit_hours=limit, calendar=calendar, mode=mode)


def test_classify_late_early_on_time():
    due = t(2026, 3, 4, 15)
    assert classify(t(2026, 3, 4, 15, 0, 1), due, Z) == "late"
    assert classify(t(2026, 3, 4, 15), due, Z) == "on_time"  # exactly at the due instant
    assert classify(t(2026, 3, 4, 8), due, Z) == "on_time"  # same date, earlier hour
    assert classify(t(2026, 3, 3, 16, 59), due, Z) == "early"  # the day before
    # Dates are read in the agency's zone, not UTC: 00:30 local is still the same local date.
    assert classify(t(2026, 3, 4, 0, 30).astimezone(dt.UTC), due.astimezone(dt.UTC), Z) == "on_time"


def test_tet_is_crossed():
    """Received Fri 13/2/2026 10:00, 3 working days: due Wed 25/2 10:00 (Tết closes 16–20 Feb)."""
    timing = run([Event("received", t(2026, 2, 13, 10)), Event("returned", t(2026, 2, 25, 9))])
    assert timing.due_at == t(2026, 2, 25, 10)
    assert (timing.status, timing.result) == ("returned", "on_time")


def test_a_make_up_saturday_is_a_working_day():
    """22/8/2026 is a decreed make-up working Saturday: Fri 21/8 14:00 + 8 h lands on it."""
    timing = run([Event("received", t(2026, 8, 21, 14))], limit=8, steps=[])
    assert timing.due_at == t(2026, 8, 22, 14)


def test_steps_are_timed_from_each_hand_over():
    timing = run([Event("received", t(2026, 3, 2, 8)), Event("step_done", t(2026, 3, 2, 11), 1),
                  Event("step_done", t(2026, 3, 4, 16), 2)])
    s1, s2, s3 = timing.steps
    assert (s1.due_at, s1.result) == (t(2026, 3, 2, 12), "on_time")
    assert (s2.started_at, s2.due_at, s2.result) == (t(2026, 3, 2, 11), t(2026, 3, 4, 11), "late")
    assert (s3.started_at, s3.due_at, s3.result) == (t(2026, 3, 4, 16), t(2026, 3, 5, 11), "")
    assert (timing.status, timing.current_step, timing.current_unit_id) == ("in_progress", 3, 11)


def test_all_steps_done_but_not_returned_is_processed():
    timing = run([Event("received", t(2026, 3, 2, 8))] + [Event("step_done", t(2026, 3, 2, 9), n) for n in (1, 2, 3)])
    assert (timing.status, timing.result, timing.current_step) == ("processed", "", None)


def test_supplement_restarts_the_full_limit_and_the_current_step():
    timing = run([Event("received", t(2026, 3, 2, 8)), Event("step_done", t(2026, 3, 2, 10), 1),
                  Event("supplement_requested", t(2026, 3, 3, 9)),
                  Event("supplement_received", t(2026, 3, 10, 14))])
    assert timing.due_at == t(2026, 3, 13, 14)  # 10/3 14:00 + 24 h
    assert timing.steps[1].due_at == t(2026, 3, 12, 14)  # the step restarts its 16 h
    assert timing.status == "in_progress"


def test_supplement_in_pause_mode_keeps_the_time_used():
    timing = run([Event("received", t(2026, 3, 2, 8)), Event("supplement_requested", t(2026, 3, 3, 8)),
                  Event("supplement_received", t(2026, 3, 10, 8))], mode="pause")
    assert timing.due_at == t(2026, 3, 11, 17)  # 8 h used; 16 h left from 10/3 08:00


def test_payment_pauses_whatever_the_mode():
    events = [Event("received", t(2026, 3, 2, 8)), Event("payment_requested", t(2026, 3, 2, 12)),
              Event("payment_done", t(2026, 3, 9, 13))]
    assert run(events).due_at == run(events, mode="pause").due_at == t(2026, 3, 11, 17)
    waiting = run(events[:2])
    assert waiting.status == "payment_requested"


@pytest.mark.parametrize("kind,status", [("withdrawn", "withdrawn"), ("stopped", "stopped"),
                                         ("refused", "not_accepted")])
def test_withdrawn_stopped_and_refused_are_not_classified(kind, status):
    timing = run([Event("received", t(2026, 3, 2, 8)), Event("step_done", t(2026, 3, 2, 9), 1),
                  Event(kind, t(2026, 3, 20, 9))])
    assert (timing.status, timing.result) == (status, "")
    assert timing.steps[0].result == "on_time"  # a step already finished keeps its result
    assert [k[1] for k in contributions(timing, Z)] == [1]


def test_events_after_the_end_and_duplicates_are_ignored():
    base = [Event("received", t(2026, 3, 2, 8)), Event("returned", t(2026, 3, 3, 9))]
    again = base + [Event("received", t(2026, 3, 2, 9)), Event("step_done", t(2026, 3, 5, 9), 2)]
    assert run(again).result == run(base).result == "early"
    assert run(again).steps[1].finished_at is None


def test_a_return_without_the_last_hand_over_closes_the_last_step():
    """One-stop systems record the return, seldom the last step's own hand-over: the return closes
    it and times it (it stayed open, and the control slip printed it blank)."""
    timing = run([Event("received", t(2026, 3, 2, 8)), Event("step_done", t(2026, 3, 2, 11), 1),
                  Event("step_done", t(2026, 3, 4, 9), 2), Event("returned", t(2026, 3, 4, 15))])
    last = timing.steps[2]
    assert (last.started_at, last.due_at) == (t(2026, 3, 4, 9), t(2026, 3, 4, 14))  # 4 h across lunch
    assert (last.finished_at, last.result) == (t(2026, 3, 4, 15), "late")
    assert (timing.status, timing.current_step) == ("returned", None)
    assert (dt.date(2026, 3, 1), 3, 11, "late") in contributions(timing, Z)
    # Returned while an earlier step is still open: the steps not reached stay open (nothing is invented).
    early = run([Event("received", t(2026, 3, 2, 8)), Event("step_done", t(2026, 3, 2, 11), 1),
                 Event("returned", t(2026, 3, 4, 15))])
    assert early.steps[1].finished_at is None and early.steps[2].finished_at is None


def test_without_a_receipt_there_is_no_timing():
    with pytest.raises(ValueError):
        run([Event("step_done", t(2026, 3, 2, 9), 1)])


def test_steps_survive_their_stored_form():
    timing = run([Event("received", t(2026, 3, 2, 8)), Event("step_done", t(2026, 3, 2, 11), 1)])
    assert steps_from_json(steps_to_json(timing.steps)) == timing.steps


def test_contributions_count_in_the_month_of_the_finish():
    timing = run([Event("received", t(2026, 3, 31, 16)), Event("step_done", t(2026, 3, 31, 16, 30), 1),
                  Event("step_done", t(2026, 4, 1, 15), 2), Event("step_done", t(2026, 4, 2, 8), 3),
                  Event("returned", t(2026, 4, 2, 9))])
    assert sorted(contributions(timing, Z)) == [
        (dt.date(2026, 3, 1), 1, 11, "early"),  # due 1/4 11:00, done 31/3: counted in March
        (dt.date(2026, 4, 1), 0, None, "early"),  # due 3/4 16:00, returned 2/4
        (dt.date(2026, 4, 1), 2, 12, "early"),  # due 2/4 16:30, done 1/4
        (dt.date(2026, 4, 1), 3, 11, "on_time")]  # due 2/4 11:00, done 2/4 08:00


KINDS = ["step_done", "supplement_requested", "supplement_received", "payment_requested", "payment_done",
         "returned", "withdrawn"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 400), st.integers(1, 3)), max_size=10),
       st.randoms(use_true_random=False), st.sampled_from(["restart", "pause"]))
def test_the_order_events_arrive_in_never_changes_the_timing(raw, rnd: random.Random, mode):
    start = t(2026, 1, 26, 9)  # crosses Tết 2026 for the larger offsets
    events = [Event("received", start)] + [
        Event(kind, start + dt.timedelta(hours=offset), step if kind == "step_done" else 0)
        for kind, offset, step in raw]
    shuffled = events[:]
    rnd.shuffle(shuffled)
    assert run(shuffled, mode=mode) == run(events, mode=mode)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2000), st.integers(1, 2000))
def test_a_finish_never_after_the_due_instant_is_never_late(offset_hours, finish_minutes):
    start = t(2025, 12, 29, 8) + dt.timedelta(hours=offset_hours)
    timing = run([Event("received", start), Event("returned", start + dt.timedelta(minutes=finish_minutes))],
                 steps=[])
    assert (timing.result == "late") == (timing.finished_at > timing.due_at)
