"""Documented information from the command line, for cron.

    eiso documents activate [--date YYYY-MM-DD]   approved revisions whose effective date has come
                                                  take effect; prints how many did
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.errors import DomainError
from eiso.documents.services import revisions as services


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value})


class Command(BaseCommand):
    help = "Maintenance of documented information (run daily by cron)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{activate}")
        activate = actions.add_parser(
            "activate", help="Put into force the approved revisions whose effective date has come.")
        activate.add_argument("--date", dest="today", type=_date, default=None,
                              help="Act as if today were this date (YYYY-MM-DD); default: today.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message))

    def _activate(self, *, today, **_options):
        count = services.revisions_activate_due(today=today)
        self.stdout.write(_("%(count)d revision(s) took effect.") % {"count": count})
