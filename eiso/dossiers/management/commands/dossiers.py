"""Dossiers from the command line.

    eiso dossiers retime [--agency CODE] [--all]   recompute the due instants, steps and results of
                                                   the open dossiers (all with --all) from their events
                                                   and correct the statistics; run it after a change of
                                                   working calendar (an agency's exceptions, the national
                                                   days off and make-up days) or after an upgrade that
                                                   changes how dossiers are timed
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.changes import data_changed_announce
from eiso.dossiers.choices import OPEN_STATUSES
from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording import dossiers_retime
from eiso.organizations.models import Agency

CHUNK = 2000  # dossiers per transaction


class Command(BaseCommand):
    help = "Recompute dossiers' timing from their events (after a calendar change or an upgrade)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{retime}")
        retime = actions.add_parser("retime", help="Recompute the timing of open dossiers (or all) and the statistics.")
        retime.add_argument("--agency", default="", help="Only this agency's dossiers (its code).")
        retime.add_argument("--all", action="store_true", help="Every dossier, not only the open ones.")

    def handle(self, *args, action, agency="", all=False, **options):  # noqa: A002 (the option's name)
        dossiers = Dossier.objects.all()
        if agency:
            found = Agency.objects.filter(code=agency).first()
            if found is None:
                raise CommandError(_("No agency has the code %(code)s.") % {"code": agency})
            dossiers = dossiers.filter(agency=found)
        if not all:
            dossiers = dossiers.filter(status__in=OPEN_STATUSES)
        ids = list(dossiers.order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            with transaction.atomic():
                retimed = dossiers_retime(part)
                if retimed:  # the rows are rewritten in SQL: cached pages and objectives follow
                    agencies = Dossier.objects.filter(pk__in=part).values_list("agency_id", flat=True)
                    for agency_id in sorted(set(agencies)):
                        data_changed_announce(sender="dossiers", agency_id=agency_id, topic="dossiers")
            changed += retimed
        self.stdout.write(_("%(changed)d of %(total)d dossier(s) changed.") % {"changed": changed, "total": len(ids)})
