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
    return 0


if __name__ == "__main__":
    sys.exit(main())
