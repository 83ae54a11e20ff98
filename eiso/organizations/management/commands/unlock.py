"""Unlock sign-in after a lockout (a system action, audited with no actor).

    eiso unlock USERNAME                 clears that account's failed sign-ins
    eiso unlock --address 10.0.0.7       clears the failures from one client address
    eiso unlock USERNAME --address ...   both
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.organizations.signin import signin_unlock


class Command(BaseCommand):
    help = "Unlock sign-in for an account or a client address after repeated failed sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="The account to unlock.")
        parser.add_argument("--address", help="The client address to unlock.")

    def handle(self, *args, username=None, address=None, **options):
        if not username and not address:
            raise CommandError(_("Name an account, an address (--address), or both."))
        count = signin_unlock(username=username, address=address)
        self.stdout.write(_("Unlocked: %(count)d failed sign-in records cleared.") % {"count": count})
