"""Quality objectives from the command line, for cron.

    eiso objectives refresh [--year YYYY]   compute again the measurements of every computed
                                            objective of the year (confirmed periods stay as they are)
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.objectives import services


class Command(BaseCommand):
    help = "Compute the measurements of quality objectives again (run nightly by cron, after the imports)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{refresh}")
        refresh = actions.add_parser("refresh", help="Compute again the measurements of the year's objectives.")
        refresh.add_argument("--year", type=int, default=None, help="The objectives' year (default: this year).")

    def handle(self, *args, action, year=None, **options):
        written = services.measurements_refresh_all(year=year or timezone.localdate().year)
        self.stdout.write(_("%(count)d measurement(s) changed.") % {"count": written})
