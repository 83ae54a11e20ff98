"""API tokens from the command line (a system action, audited with no actor).

    eiso token create USERNAME [--name NAME]   prints only the token, for scripts
    eiso token list USERNAME                   prefix, name, created, last used, status
    eiso token revoke PREFIX                   revokes the one unrevoked token with this prefix
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import DomainError
from eiso.organizations import services
from eiso.organizations.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Create a token and print it (it is shown only once).")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        listing = actions.add_parser("list", help="List a person's tokens.")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(_("No user with the username %(username)s.") % {"username": username})
        return user

    def _create(self, *, username, name, **_options):
        user = self._user(username)
        if not user.is_active:
            raise CommandError(_("The account %(username)s is deactivated.") % {"username": user.username})
        _token, raw = services.api_token_create(actor=None, user=user, name=name)
        self.stdout.write(raw)

    def _list(self, *, username, **_options):
        user = self._user(username)
        tokens = ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
        if not tokens:
            self.stderr.write(_("%(username)s has no API tokens.") % {"username": user.username})
            return
        for token in tokens:
            status = "revoked" if token.revoked_at else "active"  # a field for scripts, not translated
            created, last_used = (timezone.localtime(t).strftime("%Y-%m-%d %H:%M") if t else "-"
                                  for t in (token.created_at, token.last_used_at))
            self.stdout.write("\t".join([token.prefix, status, created, last_used, token.name]))

    def _revoke(self, *, prefix, **_options):
        active = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True)
        tokens = list(active[:2])
        if not tokens:
            raise CommandError(_("No active token with the prefix %(prefix)s.") % {"prefix": prefix})
        if len(tokens) > 1:
            raise CommandError(_("Several active tokens share the prefix %(prefix)s.") % {"prefix": prefix})
        services.api_token_revoke(actor=None, token=tokens[0])
        self.stdout.write(_("Revoked %(prefix)s… of %(username)s.") % {
            "prefix": prefix, "username": tokens[0].user.username})
