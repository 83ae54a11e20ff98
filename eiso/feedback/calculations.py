"""Pure arithmetic of citizen satisfaction and complaints (no ORM): periods, indicator means,
the total and its grade under TT 01/2018/TT-VPCP, and the due date of a complaint.

The indicator score of a period is the mean of the scores (0, 1 or 2) given on the dossiers
evaluated in it; the total is the sum of the nine indicator scores (0–18), rounded to two
decimals and graded on that rounded figure: ≥ 15 excellent, 12–<15 good, 9–<12 fair,
6–<9 average, < 6 poor. An indicator no dossier was scored on has no score (None), never 0.
"""

import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from eiso.feedback.choices import INDICATORS, Grade, PeriodKind

TWO_PLACES = Decimal("0.01")
GRADE_FLOORS = ((Decimal(15), Grade.EXCELLENT), (Decimal(12), Grade.GOOD), (Decimal(9), Grade.FAIR),
                (Decimal(6), Grade.AVERAGE))


def grade(total: Decimal | int | float | None) -> str | None:
    """The grade of a total score (0–18); None without a score."""
    if total is None:
        return None
    total = Decimal(str(total))
    for floor, name in GRADE_FLOORS:
        if total >= floor:
            return name
    return Grade.POOR


def rounded(value) -> Decimal:
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def indicator_means(sums: Mapping[int, int], counts: Mapping[int, int]) -> dict[int, Decimal | None]:
    """``{indicator: mean score}`` from the sum and number of scores given on each indicator."""
    return {i: rounded(Decimal(sums.get(i) or 0) / counts[i]) if counts.get(i) else None for i in INDICATORS}


def total_score(means: Mapping[int, Decimal | None]) -> Decimal | None:
    """The sum of the indicator scores that have one; None when none has."""
    scored = [m for m in means.values() if m is not None]
    return rounded(sum(scored, Decimal(0))) if scored else None


# --- periods --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def key(self) -> str:
        """``2026``, ``2026-Q2`` or ``2026-05``: how the API and the filters name it."""
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """Short Vietnamese-style label: ``2026``, ``Q2/2026``, ``05/2026``."""
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        if self.kind == PeriodKind.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        return f"{self.start.month:02d}/{self.start.year}"


_PERIOD = re.compile(r"^(\d{4})(?:-(?:[Qq]([1-4])|(0?[1-9]|1[0-2])))?$")


def month_period(year: int, month: int) -> Period:
    return Period(PeriodKind.MONTH, datetime.date(year, month, 1),
                  datetime.date(year, month, calendar.monthrange(year, month)[1]))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(PeriodKind.QUARTER, datetime.date(year, first, 1),
                  datetime.date(year, first + 2, calendar.monthrange(year, first + 2)[1]))


def year_period(year: int) -> Period:
    return Period(PeriodKind.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def parse_period(text: str) -> Period:
    """``2026``, ``2026-Q2`` or ``2026-05``; ValueError for anything else."""
    match = _PERIOD.match((text or "").strip())
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise ValueError(text)
    year = int(match.group(1))
    if match.group(2):
        return quarter_period(year, int(match.group(2)))
    if match.group(3):
        return month_period(year, int(match.group(3)))
    return year_period(year)


def period_containing(day: datetime.date, kind: str) -> Period:
    if kind == PeriodKind.MONTH:
        return month_period(day.year, day.month)
    if kind == PeriodKind.QUARTER:
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    return year_period(day.year)


def periods_of_year(year: int, kind: str) -> list[Period]:
    """The periods of ``kind`` in ``year`` (a month or quarter view charts them side by side)."""
    if kind == PeriodKind.MONTH:
        return [month_period(year, m) for m in range(1, 13)]
    if kind == PeriodKind.QUARTER:
        return [quarter_period(year, q) for q in range(1, 5)]
    return [year_period(year)]


# --- complaints -----------------------------------------------------------------------------------

def complaint_due_on(received_on: datetime.date, days: int,
                     is_working_day: Callable[[datetime.date], bool]) -> datetime.date:
    """The ``days``-th working day after the day of receipt (the receipt day itself does not
    count: received on Friday with 1 day to answer → due on Monday, unless it is a day off)."""
    day, left = received_on, max(int(days), 0)
    while left:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def answered_on_time(due_on: datetime.date, answered_on: datetime.date | None) -> bool | None:
    """True/False once answered; None while waiting for an answer."""
    return None if answered_on is None else answered_on <= due_on


def mean(values: Iterable) -> Decimal | None:
    values = [Decimal(str(v)) for v in values if v is not None]
    return rounded(sum(values, Decimal(0)) / len(values)) if values else None
