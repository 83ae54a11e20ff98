"""The month grids of the working calendar page. Pure: no ORM, no request, no clock (``today`` is
passed in).

A month is its weeks from Monday to Sunday, seven cells each; the days of the neighbouring months are
``None``. A cell holds the date, what the day is in the given calendar (``WorkCalendar.day_kind``:
working day, weekend, public holiday, make-up working day, decreed day off, the agency's own day
off or working day), the CSS class and label the page shows for that kind, the name of a holiday or
exception ("" for an ordinary day) and whether it is today.

``calendar`` is anything with ``day_kind(date)`` and ``day_name(date, language)``: a
``workcalendar.WorkCalendar`` in the application.
"""

import calendar as pycalendar
import datetime as dt

from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy

from eiso.core import workcalendar

KIND_CSS = {
    workcalendar.WORKING: "eiso-cal-working",
    workcalendar.WEEKEND: "eiso-cal-weekend",
    workcalendar.HOLIDAY: "eiso-cal-holiday",
    workcalendar.MAKEUP: "eiso-cal-makeup",
    workcalendar.DECREED_OFF: "eiso-cal-holiday",
    workcalendar.AGENCY_OFF: "eiso-cal-agency-off",
    workcalendar.AGENCY_WORK: "eiso-cal-agency-work",
}
KIND_LABELS = {
    workcalendar.WORKING: gettext_lazy("Working day"),
    workcalendar.WEEKEND: gettext_lazy("Weekend"),
    workcalendar.HOLIDAY: gettext_lazy("Public holiday"),
    workcalendar.MAKEUP: gettext_lazy("Make-up working day"),
    workcalendar.DECREED_OFF: gettext_lazy("Decreed day off"),
    workcalendar.AGENCY_OFF: gettext_lazy("Agency day off"),
    workcalendar.AGENCY_WORK: gettext_lazy("Agency working day"),
}
# The kinds the legend explains, in its order (a decreed day off looks like a public holiday).
LEGEND = (
    workcalendar.WORKING,
    workcalendar.WEEKEND,
    workcalendar.HOLIDAY,
    workcalendar.MAKEUP,
    workcalendar.AGENCY_OFF,
    workcalendar.AGENCY_WORK,
)

_WEEKS = pycalendar.Calendar(firstweekday=0)  # Monday first, as Vietnamese calendars are printed


def legend() -> list[tuple[str, str]]:
    """``(css class, label)`` of each kind of day the legend explains."""
    return [(KIND_CSS[kind], KIND_LABELS[kind]) for kind in LEGEND]


def weekday_headers(language: str) -> list[str]:
    """Column headings of a month grid, Monday first ("Thứ 2" is too wide there: T2 … CN)."""
    if language.startswith("vi"):
        return ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    return [str(WEEKDAYS_ABBR[i]) for i in range(7)]


def day_cell(calendar, day: dt.date, language: str, today: dt.date | None = None) -> dict:
    """One day of a grid: its date, kind, CSS class, label, name and whether it is ``today``."""
    kind = calendar.day_kind(day)
    return {
        "date": day,
        "kind": kind,
        "css": KIND_CSS[kind],
        "label": KIND_LABELS[kind],
        "name": calendar.day_name(day, language),
        "today": day == today,
    }


def month_grid(calendar, year: int, month: int, language: str, today: dt.date | None = None) -> dict:
    """A month: ``{"number", "name", "weeks"}``, each week seven cells from Monday (``None`` outside
    the month)."""
    weeks = [
        [day_cell(calendar, day, language, today) if day.month == month else None for day in week]
        for week in _WEEKS.monthdatescalendar(year, month)
    ]
    return {"number": month, "name": MONTHS[month], "weeks": weeks}


def year_grid(calendar, year: int, language: str, today: dt.date | None = None) -> list[dict]:
    """The twelve month grids of ``year``."""
    return [month_grid(calendar, year, month, language, today) for month in range(1, 13)]
