"""Pure arithmetic of quality objectives (no ORM): a rate from its numerator and denominator,
whether a value meets its target, and the periods of a year at a frequency.

No data is no value: a rate over nothing is None (shown "—"), never 0 %."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from eiso.feedback.calculations import Period, month_period, quarter_period, year_period
from eiso.objectives.choices import Comparator, Frequency

ONE_PLACE = Decimal("0.1")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as a percentage to one decimal; None when the denominator is 0."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def met(value: Decimal | None, comparator: str, target: Decimal) -> bool | None:
    """Whether ``value`` meets ``target`` under ``comparator``; None without a value."""
    if value is None:
        return None
    value, target = Decimal(value), Decimal(target)
    if comparator == Comparator.GTE:
        return value >= target
    if comparator == Comparator.LTE:
        return value <= target
    return value == target


def half_period(year: int, half: int) -> Period:
    start = datetime.date(year, 1 if half == 1 else 7, 1)
    end = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    return Period("half_year", start, end)


def periods(year: int, frequency: str) -> list[Period]:
    """The periods of ``year`` at ``frequency``."""
    if frequency == Frequency.MONTH:
        return [month_period(year, m) for m in range(1, 13)]
    if frequency == Frequency.QUARTER:
        return [quarter_period(year, q) for q in range(1, 5)]
    if frequency == Frequency.HALF_YEAR:
        return [half_period(year, 1), half_period(year, 2)]
    return [year_period(year)]


def period_label(start: datetime.date, end: datetime.date) -> str:
    if start.month == end.month:
        return f"{start.month:02d}/{start.year}"
    if (start.month, end.month) in ((1, 12),):
        return str(start.year)
    if end.month - start.month == 2:
        return f"Q{(start.month - 1) // 3 + 1}/{start.year}"
    return f"H{1 if start.month == 1 else 2}/{start.year}"
