"""API of the working calendar: due instants in working time.

    GET /api/v1/calendar/due?start=2026-02-13T10:00&days=3[&hours=H][&agency=CODE]
    → {"due": "2026-02-25T10:00:00+07:00", ...}

The agency is looked up through the selectors: a user reaches only the calendars of agencies they
can read (another agency's code answers 404, like one that does not exist). Without ``agency``
the caller's own agency is used, or the national calendar for someone with none.
"""

from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from eiso.core import workcalendar
from eiso.core.errors import NotFound, ValidationFailed
from eiso.organizations import selectors
from eiso.organizations.api import ERRORS, Text

router = Router(tags=["calendar"])

MAX_DAYS = 10_000
MAX_HOURS = 100_000


class DueOut(Schema):
    due: str = Field(description="The due instant, ISO 8601 with its offset.")
    start: str = Field(description="Where the count started: the start, moved into office hours.")
    hours: Decimal = Field(description="Working hours added (days × the agency's hours per day + hours).")
    hours_per_day: Decimal
    agency: str | None = Field(description="Code of the agency whose calendar was used (null: national).")


@router.get("/calendar/due", response={200: DueOut, **ERRORS},
            summary="Due instant of a start plus a limit in working days or hours")
def calendar_due(
    request,
    start: Annotated[Text, Query(description="ISO 8601 date or date-time (no offset: Vietnam time).")],
    days: Annotated[Decimal, Query(ge=0, le=MAX_DAYS, description="Working days.")] = Decimal(0),
    hours: Annotated[Decimal, Query(ge=0, le=MAX_HOURS, description="Working hours, added.")] = Decimal(0),
    agency: Annotated[Text, Query("", description="Agency code (default: your own agency).")] = "",
):
    user = request.auth
    if agency:
        chosen = selectors.agencies_for_user(user).filter(code=agency).first()
        if chosen is None:
            raise NotFound(_("Unknown agency: %(code)s") % {"code": agency})
    else:
        chosen = user.agency
    calendar = selectors.work_calendar_for(chosen)
    try:
        begin = workcalendar.parse_instant(start, calendar)
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors={"start": [str(exc)]})
    total = days * calendar.hours_per_day + hours
    try:
        due = calendar.add_working_time(begin, total)
        moved = calendar.add_working_time(begin, 0)
    except ValueError as exc:  # beyond the years the calendar covers
        raise ValidationFailed(str(exc), errors={"days": [str(exc)]})
    return {"due": due.isoformat(), "start": moved.isoformat(), "hours": total,
            "hours_per_day": calendar.hours_per_day, "agency": chosen.code if chosen else None}
