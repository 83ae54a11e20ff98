"""On-time figures as pure functions: counts in, rates and periods out (no ORM).

The on-time rate is the share of classified dossiers (or steps) resolved early or on time:
``(early + on_time) / (early + on_time + late)``. With nothing classified there is no rate
(``None``), which the pages show as "—" rather than a misleading 0 % or 100 %.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
MAX_MONTHS = 120  # a period longer than ten years is refused


@dataclass(frozen=True, slots=True)
class Counts:
    early: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_time(self) -> int:
        """Early or on time: what the on-time rate counts."""
        return self.early + self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self.early, self.on_time, self.late)

    @property
    def late_rate(self) -> float | None:
        return late_rate(self.early, self.on_time, self.late)

    @property
    def early_rate(self) -> float | None:
        return share(self.early, self.total)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.early + other.early, self.on_time + other.on_time, self.late + other.late)


def share(part: int, total: int) -> float | None:
    """``part / total`` as a percentage rounded to one decimal; None when ``total`` is 0."""
    if not total:
        return None
    return round(100.0 * part / total, 1)


def on_time_rate(early: int, on_time: int, late: int) -> float | None:
    """Percentage resolved early or on time; None when nothing is classified."""
    return share(early + on_time, early + on_time + late)


def late_rate(early: int, on_time: int, late: int) -> float | None:
    """Percentage resolved late; None when nothing is classified."""
    return share(late, early + on_time + late)


def rank(values: list[float | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of the values, highest first; None values get no rank."""
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return [first[v] if v is not None else None for v in values]


# --- months -------------------------------------------------------------------------------------

def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start`` to ``end``, both included."""
    out, month = [], month_start(start)
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


def month_count(start: dt.date, end: dt.date) -> int:
    """How many months ``months_between(start, end)`` holds (0 when ``end`` is before ``start``)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month + 1)


def parse_month(text: str) -> dt.date | None:
    """``YYYY-MM`` → the first day of that month; None when it is not one."""
    m = MONTH_RE.match((text or "").strip())
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    return dt.date(year, month, 1)


def default_period(today: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """The last ``months`` months, the current one included."""
    end = month_start(today)
    return add_months(end, -(months - 1)), end


def period_errors(start: dt.date | None, end: dt.date | None) -> list[str]:
    """Why a period is not usable (empty when it is): codes ``from``, ``to``, ``order``, ``length``."""
    errors = []
    if start is None:
        errors.append("from")
    if end is None:
        errors.append("to")
    if errors:
        return errors
    if start > end:
        return ["order"]
    if month_count(start, end) > MAX_MONTHS:
        return ["length"]
    return []
