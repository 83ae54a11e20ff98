"""Working days and due dates from the command line.

    eiso workdays due --start 2026-02-13T10:00 --days 3 [--hours H] [--agency CODE]
        prints the due instant in ISO 8601 with its offset: 2026-02-25T10:00:00+07:00
    eiso workdays list --year 2026 [--agency CODE]
        prints the days off (with their names) and the extra working days of the year

A start without an offset is Vietnam time. Without --agency the national calendar is used
(public holidays and the shipped make-up working days, office hours 08:00–12:00, 13:00–17:00).
"""

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from eiso.core import workcalendar
from eiso.organizations import selectors
from eiso.organizations.models import Agency, CalendarException

DAY_OFF_KINDS = (workcalendar.HOLIDAY, workcalendar.DECREED_OFF, workcalendar.AGENCY_OFF)


class Command(BaseCommand):
    help = "Compute due dates in working time and list the days off of a year."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{due,list}")
        due = actions.add_parser("due", help="The due instant of a start plus a limit in working days/hours.")
        due.add_argument("--start", required=True, help="ISO 8601, e.g. 2026-02-13T10:00 (Vietnam time).")
        due.add_argument("--days", default=None, help="Working days (each of the agency's hours per day).")
        due.add_argument("--hours", default=None, help="Working hours (added to --days).")
        due.add_argument("--agency", default="", help="Agency code (default: the national calendar).")
        listing = actions.add_parser("list", help="Days off and extra working days of a year.")
        listing.add_argument("--year", required=True, help="The year, e.g. 2026.")
        listing.add_argument("--agency", default="", help="Agency code (default: the national calendar).")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValueError as exc:
            raise CommandError(str(exc))

    def _agency(self, code: str) -> Agency | None:
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(_("Unknown agency: %(code)s") % {"code": code})
        return agency

    @staticmethod
    def _amount(value, option: str) -> Decimal:
        if value is None:
            return Decimal(0)
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise CommandError(_("%(option)s must be a number, not %(value)s.")
                               % {"option": option, "value": value})
        if not amount.is_finite() or amount < 0:
            raise CommandError(_("%(option)s must be a number of zero or more.") % {"option": option})
        if amount > 100_000:
            raise CommandError(_("%(option)s is too large.") % {"option": option})
        return amount

    def _due(self, *, start, days, hours, agency, **_options):
        if days is None and hours is None:
            raise CommandError(_("Give --days, --hours or both."))
        days, hours = self._amount(days, "--days"), self._amount(hours, "--hours")
        calendar = selectors.work_calendar_for(self._agency(agency))
        begin = workcalendar.parse_instant(start, calendar)
        due = calendar.add_working_time(begin, days * calendar.hours_per_day + hours)
        self.stdout.write(due.isoformat())

    def _list(self, *, year, agency, **_options):
        try:
            year = int(year)
        except ValueError:
            raise CommandError(_("--year must be a year such as 2026, not %(value)s.") % {"value": year})
        if not workcalendar.FIRST_YEAR <= year <= workcalendar.LAST_YEAR:
            raise CommandError(_("The working calendar covers the years %(first)s–%(last)s.")
                               % {"first": workcalendar.FIRST_YEAR, "last": workcalendar.LAST_YEAR})
        agency = self._agency(agency)
        calendar = selectors.work_calendar_for(agency)
        decisions = dict(CalendarException.objects.filter(agency=agency, date__year=year)
                         .values_list("date", "decision")) if agency else {}
        language = translation.get_language() or "vi"
        days = calendar.special_days(year, language)
        where = f"{agency.code} {agency.name}" if agency else _("national calendar")
        self.stdout.write(_("Days off in %(year)s (%(where)s):") % {"year": year, "where": where})
        for day, kind, name in days:
            if kind in DAY_OFF_KINDS:
                self.stdout.write(self._line(day, name, decisions.get(day, "")))
        self.stdout.write("")
        self.stdout.write(_("Extra working days in %(year)s (%(where)s):") % {"year": year, "where": where})
        extra = [(day, name) for day, kind, name in days if kind not in DAY_OFF_KINDS]
        for day, name in extra:
            self.stdout.write(self._line(day, name, decisions.get(day) or calendar.decision_of(day)))
        if not extra:
            self.stdout.write(_("(none)"))

    @staticmethod
    def _line(day, name: str, document: str = "") -> str:
        text = f"{day.isoformat()}  {day:%a}  {name}"
        return f"{text} — {document}" if document else text
