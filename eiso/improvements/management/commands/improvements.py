"""Nonconformities and corrective actions from the command line, for cron.

    eiso improvements remind [--today YYYY-MM-DD]   e-mail the owners of actions past due and the
                                                    verifiers of verifications due (once a day each)
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.improvements import services


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value})


class Command(BaseCommand):
    help = "Reminders about corrective actions (run daily by cron)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{remind}")
        remind = actions.add_parser(
            "remind", help="E-mail the owners of actions past due and the verifiers of verifications due.")
        remind.add_argument("--today", dest="today", type=_date, default=None,
                            help="Act as if today were this date (YYYY-MM-DD); default: today.")

    def handle(self, *args, action, today=None, **options):
        count = services.reminders_send(today=today or timezone.localdate())
        self.stdout.write(_("%(count)d reminder(s) sent.") % {"count": count})
