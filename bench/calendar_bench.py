"""eISO benchmark of the working-time engine: 1,000,000 due-date computations against a naive loop.

    python bench/calendar_bench.py            (or main() from another script)

Inputs: starts spread uniformly over 2025–2027 at any minute (nights, weekends, Tết and other
holidays included), limits of 1–30 working days, the national calendar (public holidays from
the holidays package + the shipped make-up working days). Pure Python, no database.

The engine (eiso.core.workcalendar) is timed over all 1,000,000 items, per call and through its
batch form. The baseline is the naive implementation below: walk day by day from the start,
check each day, consume the office periods. It is timed on a 20,000-item sample and scaled to
1,000,000 (it would take minutes); its results are compared with the engine's on that sample.
Times are CPU seconds of this process (``time.process_time``), which other load on a shared
machine disturbs less than wall time; wall time is shown beside them. A reference loop gives
the speed of the machine. Figures never fail the run.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import datetime as dt  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import holidays  # noqa: E402

from eiso.core import workcalendar  # noqa: E402

N = int(os.environ.get("BENCH_CALENDAR_N", "1000000"))
DOSSIERS = int(os.environ.get("BENCH_CALENDAR_DOSSIERS", "100000"))
NAIVE_SAMPLE = int(os.environ.get("BENCH_CALENDAR_NAIVE", "20000"))
TARGET_SECONDS = 2.0
TARGET_RATIO = 50.0
SEED = 20260213
VN = ZoneInfo(workcalendar.VN_TZ)
FIRST, LAST = dt.datetime(2025, 1, 1, tzinfo=VN), dt.datetime(2028, 1, 1, tzinfo=VN)


# --- the baseline ---------------------------------------------------------------------------------------

class NaiveCalendar:
    """The obvious implementation: look at each day in turn, consume the office periods."""

    def __init__(self, years, periods=workcalendar.DEFAULT_PERIODS, use_package_lookup=False):
        self.package = holidays.country_holidays("VN", years=years)
        self.days_off = self.package if use_package_lookup else set(self.package)
        self.makeup = {d.date for d in workcalendar.shipped_makeup_workdays()}
        self.decreed_off = {d.date for d in workcalendar.shipped_days_off()}  # swaps the package does not list
        self.periods = periods

    def is_working_day(self, day: dt.date) -> bool:
        return (day.weekday() < 5 and day not in self.days_off and day not in self.decreed_off) or day in self.makeup

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        remaining = dt.timedelta(hours=8 * days)
        local = start.astimezone(VN)
        day, clock = local.date(), local.time().replace(tzinfo=None)
        while True:
            if self.is_working_day(day):
                for begin, end in self.periods:
                    begin = max(begin, clock)
                    if begin >= end:
                        continue
                    available = dt.datetime.combine(day, end) - dt.datetime.combine(day, begin)
                    if remaining <= available:
                        return dt.datetime.combine(day, begin, tzinfo=VN) + remaining
                    remaining -= available
            day += dt.timedelta(days=1)
            clock = dt.time(0)


# --- measuring ----------------------------------------------------------------------------------------------

def _inputs(n: int) -> tuple[list[dt.datetime], list[int]]:
    rng = random.Random(SEED)
    minutes = int((LAST - FIRST).total_seconds() // 60)
    starts = [FIRST + dt.timedelta(minutes=rng.randrange(minutes)) for _ in range(n)]
    days = [rng.randint(1, 30) for _ in range(n)]
    return starts, days


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def _reference_loop() -> float:
    cpu = time.process_time()
    x = 0
    for i in range(1_000_000):
        x += i
    return time.process_time() - cpu


def main() -> int:
    print("\n=== eISO working-calendar benchmark (bench/calendar_bench.py) ===", flush=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, holidays {holidays.__version__}; "
          f"reference loop of 1,000,000 `x += i`: {_reference_loop():.3f} s CPU")
    starts, days = _inputs(N)
    hours = [8 * d for d in days]
    print(f"inputs : {N:,} due dates, starts at any minute of 2025-01-01…2027-12-31 (Vietnam time), "
          f"limits of 1–30 working days × 8 h, national calendar + shipped make-up days")

    calendar = workcalendar.WorkCalendar()
    _tables, build_cpu, _w = _timed(lambda: calendar.add_working_time(starts[0], 0) and calendar._cover(2024, 2028))
    table = calendar._holder[0]
    print(f"tables : {table.first}–{table.last}, {len(table.days):,} working days, built in {build_cpu:.3f} s CPU "
          f"(once per calendar and process)\n")

    add = calendar.add_working_time
    single, single_cpu, single_wall = _timed(lambda: [add(s, h) for s, h in zip(starts, hours, strict=True)])
    batch, batch_cpu, batch_wall = _timed(lambda: calendar.add_working_time_many(starts, hours))
    assert batch == single

    naive = NaiveCalendar(range(2024, 2030))
    sample = range(0, N, max(1, N // NAIVE_SAMPLE))[:NAIVE_SAMPLE]
    naive_results, naive_cpu, naive_wall = _timed(lambda: [naive.add_working_days(starts[i], days[i]) for i in sample])
    scale = N / len(sample)
    mismatches = sum(1 for i, r in zip(sample, naive_results, strict=True) if r != single[i])
    package = NaiveCalendar(range(2024, 2030), use_package_lookup=True)
    small = sample[: max(1, len(sample) // 4)]
    _r, package_cpu, _pw = _timed(lambda: [package.add_working_days(starts[i], days[i]) for i in small])
    package_scaled = package_cpu * N / len(small)

    rows = [
        ("engine, add_working_time() per call", f"{N:,}", single_cpu, single_wall, single_cpu),
        ("engine, add_working_time_many() batch", f"{N:,}", batch_cpu, batch_wall, batch_cpu),
        ("naive day-by-day loop (set look-ups)", f"{len(sample):,} ×{scale:g}", naive_cpu, naive_wall,
         naive_cpu * scale),
        ("naive loop, holidays package look-ups", f"{len(small):,} ×{N / len(small):g}", package_cpu, _pw,
         package_scaled),
    ]
    header = f"{'implementation':<40}{'items':>14}{'CPU s':>9}{'wall s':>9}{'1,000,000 s':>13}{'µs/item':>9}"
    print(header)
    print("-" * len(header))
    for label, items, cpu, wall, per_million in rows:
        print(f"{label:<40}{items:>14}{cpu:>9.3f}{wall:>9.3f}{per_million * 1_000_000 / N:>13.2f}"
              f"{per_million / N * 1e6:>9.2f}")
    naive_million = naive_cpu * scale * 1_000_000 / N
    ratio_single = naive_cpu * scale / single_cpu
    ratio_batch = naive_cpu * scale / batch_cpu
    print(f"\nnaive loop timed on {len(sample):,} items and scaled ×{scale:g} to {N:,} "
          f"(≈ {naive_million:.0f} s); its results match the engine's on all of them: "
          f"{'yes' if not mismatches else f'NO, {mismatches} differ'}")
    print(f"ratio naive / engine: {ratio_single:.0f}× per call, {ratio_batch:.0f}× batch "
          f"({package_scaled / single_cpu:.0f}× against the naive loop using the holidays package directly)")
    per_million_single = single_cpu * 1_000_000 / N
    per_million_batch = batch_cpu * 1_000_000 / N
    print(f"target: 1,000,000 under 2 s and ≥ 50× faster than the naive loop — "
          f"per call {per_million_single:.2f} s ({'met' if per_million_single < TARGET_SECONDS else 'NOT met'}), "
          f"batch {per_million_batch:.2f} s ({'met' if per_million_batch < TARGET_SECONDS else 'NOT met'}), "
          f"{ratio_single:.0f}× ({'met' if ratio_single >= TARGET_RATIO else 'NOT met'})")
    dossier_timing(DOSSIERS)
    return 0


# --- the timing of whole dossiers (eiso.dossiers.timing) ---------------------------------------------------

def _dossiers(n: int, calendar) -> list[tuple]:
    """``n`` dossiers shaped like the import benchmark's: 3–5 steps of 4–24 h, 8 % with a supplement
    round, some late steps, 10 % still open, events in shuffled order, 40 procedures (shared steps)."""
    from decimal import Decimal

    from eiso.dossiers.timing import Event, StepSpec

    rng = random.Random(SEED + 1)
    zone = calendar.zone
    add = calendar.add_working_time
    processes = {}
    for p in range(40):
        count = 3 + p % 3
        hours = [4, *[8 + 8 * ((p + j) % 3) for j in range(count - 2)], 4]
        processes[p] = ([StepSpec(j + 1, f"Bước {j + 1}", Decimal(h), 100 + j) for j, h in enumerate(hours)],
                        -(-sum(hours) // 8))
    days = [d for d in (dt.date(2025, 1, 1) + dt.timedelta(days=k) for k in range(1000)) if calendar.is_working_day(d)]
    out = []
    for _ in range(n):
        steps, limit_days = processes[rng.randrange(40)]
        day = days[rng.randrange(len(days))]
        minute = rng.choice([m for m in range(8 * 60, 17 * 60) if not 12 * 60 <= m < 13 * 60])
        at = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
        events = [Event("received", at)]
        open_after = rng.randrange(len(steps)) if rng.random() < 0.1 else None
        for j, step in enumerate(steps):
            if j == 1 and rng.random() < 0.08:
                at = add(at, rng.randint(1, 4))
                events.append(Event("supplement_requested", at))
                at = add(at, rng.randint(8, 40))
                events.append(Event("supplement_received", at))
            at = add(at, max(1, round(int(step.hours) * rng.uniform(0.2, 1.6))))
            events.append(Event("step_done", at, step.number))
            if open_after == j:
                break
        else:
            events.append(Event("returned", at + dt.timedelta(minutes=rng.randrange(90))))
        rng.shuffle(events)
        out.append((events, steps, limit_days))
    return out


def dossier_timing(n: int) -> None:
    """What the import and the retiming compute per dossier: the timing, its stored JSON and its
    rollup keys. Baseline: the step-by-step replay on datetimes and Decimal hours
    (``compute_reference``, the implementation before the integer one) with ``isoformat`` texts."""
    from eiso.dossiers import timing

    calendar = workcalendar.WorkCalendar()
    zone = calendar.zone
    per_day = calendar.hours_per_day
    data = _dossiers(n, calendar)
    print(f"\n--- dossier timing: {n:,} generated dossiers (3–5 steps, supplements, 10 % open, shuffled events) ---")

    def iso(value):
        return value.isoformat() if value is not None else None

    def baseline():
        out = []
        for events, steps, days in data:
            t = timing.compute_reference(events, steps=steps, limit_hours=days * per_day, calendar=calendar)
            out.append((t.status, t.due_at, t.finished_at, t.result, t.current_step, t.current_unit_id,
                        [{"step": s.step, "name": s.name, "unit": s.unit_id, "started_at": iso(s.started_at),
                          "due_at": iso(s.due_at), "finished_at": iso(s.finished_at), "result": s.result}
                         for s in t.steps], t.received_at, timing.contributions(t, zone)))
        return out

    def objects():
        out = []
        for events, steps, days in data:
            t = timing.compute(events, steps=steps, limit_hours=days * per_day, calendar=calendar)
            out.append((t.status, t.due_at, t.finished_at, t.result, t.current_step, t.current_unit_id,
                        timing.steps_to_json(t.steps), t.received_at, timing.contributions(t, zone)))
        return out

    def stored():
        return [tuple(timing.compute_stored(events, steps=steps, limit_hours=days * per_day, calendar=calendar))
                for events, steps, days in data]

    def cold(function):
        """Timed from empty memos (as a fresh import process starts), with what earlier rows keep
        frozen out of the garbage collector's way (else each row pays for the results of the last)."""
        import gc

        for memo in (timing._MONTH_OF_TEXT, timing._MONTHS):
            memo.clear()
        kit = calendar.positions_now()
        for memo in (kit._dates, kit._times):
            memo.clear()
        gc.collect()
        gc.freeze()
        try:
            return _timed(function)
        finally:
            gc.unfreeze()

    timing.compute(*data[0][:1], steps=data[0][1], limit_hours=data[0][2] * per_day, calendar=calendar)  # tables
    expected, base_cpu, base_wall = cold(baseline)
    got_objects, objects_cpu, objects_wall = cold(objects)
    got_stored, stored_cpu, stored_wall = cold(stored)
    same = got_objects == expected and got_stored == expected
    header = (f"{'per dossier: timing + stored JSON + rollup keys':<52}{'CPU s':>9}{'wall s':>9}"
              f"{'µs/dossier':>12}{'× faster':>10}")
    print(header)
    print("-" * len(header))
    for label, cpu, wall in [("compute_reference + isoformat (baseline)", base_cpu, base_wall),
                             ("compute + steps_to_json + contributions", objects_cpu, objects_wall),
                             ("compute_stored (what the retiming runs)", stored_cpu, stored_wall)]:
        print(f"{label:<52}{cpu:>9.3f}{wall:>9.3f}{cpu / n * 1e6:>12.1f}{base_cpu / cpu:>10.1f}")
    print(f"results identical to the baseline for all {n:,} dossiers: {'yes' if same else 'NO'}; "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
