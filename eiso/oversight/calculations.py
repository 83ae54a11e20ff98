"""Pure rules of oversight: the third on site, the 2-month answer, the compliance light."""

import calendar
import datetime

ON_SITE_SHARE = 3  # at least one agency in three is inspected on site (TT 26/2014/TT-BKHCN)
ANSWER_MONTHS = 2  # the agency reports its corrective actions within 2 months of the minutes


def on_site_minimum(agencies: int) -> int:
    """The fewest on-site inspections a plan of ``agencies`` inspections may hold: a third, rounded up."""
    return -(-agencies // ON_SITE_SHARE) if agencies > 0 else 0


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day
    (31/12 + 2 months → 28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def answer_due(minutes_on: datetime.date) -> datetime.date:
    return add_months(minutes_on, ANSWER_MONTHS)


GREEN, AMBER, RED = "green", "amber", "red"


def light(checks: dict[str, bool | None]) -> str:
    """The compliance light: red when a rule is broken, amber when none is but one cannot be
    assessed (no data), green when every rule holds."""
    values = list(checks.values())
    if any(v is False for v in values):
        return RED
    if any(v is None for v in values) or not values:
        return AMBER
    return GREEN
