"""Sessions: signed cookies (nothing written to the database when someone signs in or browses), an
idle timeout set per agency, and "sign out everywhere".

- Each session carries the time of its last request (``eiso_seen``, refreshed at most once a
  minute, so the cookie is not re-sent on every request) and the person's session generation
  (``eiso_gen``) at sign-in.
- ``SessionGuardMiddleware`` signs a session out when it has been idle longer than the agency's
  ``session_idle_hours`` (``SESSION_IDLE_HOURS`` for a person with no agency), or when the person's
  ``session_generation`` has moved on: "sign out everywhere" raises it, so every other browser
  holding an older cookie is signed out at its next request.
- A signed cookie cannot be revoked one by one: a copy of a cookie stays usable until it idles out,
  the password changes (Django's session hash) or its owner signs out everywhere.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.policy import require
from eiso.core.services import model_update
from eiso.organizations.models import Agency, User

SEEN_KEY, GENERATION_KEY = "eiso_seen", "eiso_gen"
SEEN_REFRESH_SECONDS = 60


def idle_hours_for(user) -> int:
    agency = user.agency
    return agency.session_idle_hours if agency is not None else settings.SESSION_IDLE_HOURS


def stamp_session(sender, request, user, **kwargs):
    """On sign-in (``user_logged_in``): the session starts now, under the person's current generation."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
        request.session[GENERATION_KEY] = user.session_generation


class SessionGuardMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if "_auth_user_id" in session and request.user.is_authenticated:
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request, session):
        user, now = request.user, int(time.time())
        seen = session.get(SEEN_KEY, now)
        if session.get(GENERATION_KEY, 0) != user.session_generation:
            logout(request)
            messages.info(request, _("You were signed out on this device: your account was signed out everywhere."))
        elif now - seen > idle_hours_for(user) * 3600:
            logout(request)
            messages.info(request, _("You were signed out after %(hours)d hours without activity.")
                          % {"hours": idle_hours_for(user)})
        elif now - seen >= SEEN_REFRESH_SECONDS or SEEN_KEY not in session:
            session[SEEN_KEY] = now


def agency_session_settings_update(*, actor, agency: Agency, session_idle_hours: int) -> Agency:
    """The agency's idle timeout (hours), set by its head or ISO secretary or the province's admin."""
    require(actor, "organizations.change_session_settings", agency)
    with transaction.atomic():
        agency, _changes = model_update(obj=agency, data={"session_idle_hours": session_idle_hours},
                                        fields=["session_idle_hours"], actor=actor)
    return agency


def user_sign_out_everywhere(*, actor, user: User) -> None:
    """End every session of ``user`` (at their next request), on every device. A person may do it
    for themself; an administrator who may change the person may do it for them."""
    if actor is not None and actor.pk != user.pk:
        require(actor, "organizations.change_user", user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit_record(actor=actor, action="sign_out_everywhere", obj=user, agency=user.agency,
                     changes={"session_generation": [user.session_generation - 1, user.session_generation]})
