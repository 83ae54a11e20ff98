"""The task list from the command line, for cron.

    eiso inbox digest [--url https://eiso.example.gov.vn]   e-mail each person what waits for them
                                                           (once a day; off for whoever turned it off)
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from eiso.inbox import services


class Command(BaseCommand):
    help = "The daily e-mail digest of each person's tasks (run daily by cron)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{digest}")
        digest = actions.add_parser("digest", help="E-mail each person the tasks waiting for them.")
        digest.add_argument("--url", dest="base_url", default="",
                            help="The address of this eISO, put before the links (e.g. https://eiso.example.gov.vn).")

    def handle(self, *args, action, base_url="", **options):
        count = services.digests_send(base_url=base_url)
        self.stdout.write(_("%(count)d digest(s) sent.") % {"count": count})
