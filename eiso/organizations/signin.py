"""Sign-in protection: lockout after repeated failures (django-axes), and no database write that a
successful login must wait for.

- Per account and per address: ``LOGIN_FAILURE_LIMIT`` wrong passwords for one username, or
  ``LOGIN_ADDRESS_FAILURE_LIMIT`` from one address (an office behind one NAT shares it, so that
  limit is higher), within ``LOGIN_COOLOFF_MINUTES``, lock sign-in for that long.
- The client address is REMOTE_ADDR, or with ``BEHIND_PROXY=1`` the address the proxy appended to
  X-Forwarded-For (the right-most of ``PROXY_COUNT`` proxies): the left of that header is whatever
  the client sent, never trusted.
- A lockout leaves one audit row (``lockout``); an unlock (``eiso unlock``, the admin's access
  attempts list) clears the failures.
- A successful login writes nothing the SQLite lock could hold up: sessions are signed cookies
  (config/settings.py), and the two writes a login used to make (``last_login``, clearing old
  failures) are tried without waiting: skipped when another writer holds the database.
"""

import contextlib
import datetime
import hashlib
import logging

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import OperationalError, connections, router, transaction
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eiso.core.audit import audit_record
from eiso.organizations.forms import LoginForm
from eiso.organizations.models import PasswordResetRequest, User

log = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The address a lockout counts against (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    count = max(settings.PROXY_COUNT, 1)
    if len(hops) >= count:
        return hops[-count]
    return remote


def normalized_username(request, credentials) -> str | None:
    """Usernames are case-insensitive (one login for "NguyenVanA" and "nguyenvana"): count them as one."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if isinstance(username, str) else None


@contextlib.contextmanager
def without_waiting(model):
    """Run a write that must not hold a request up: on SQLite, give up at once when another writer
    holds the database (a long import), and log it. Elsewhere the write runs as usual."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        log.info("Skipped a sign-in bookkeeping write: the database is busy (%s).", exc)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


def record_last_login(sender, user, **kwargs):
    """Replaces Django's ``update_last_login``: the same field, but never waited for."""
    now = timezone.now()
    with without_waiting(type(user)):
        type(user)._default_manager.filter(pk=user.pk).update(last_login=now)
    user.last_login = now


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits (account, address) and a login path that waits for no writer."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures on the account's scale: the address count is scaled so that reaching
        LOGIN_ADDRESS_FAILURE_LIMIT counts as reaching LOGIN_FAILURE_LIMIT."""
        recent = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = by_address = 0
        if username:
            by_account = recent.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
        address = getattr(request, "axes_ip_address", None)
        if address:
            by_address = recent.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0
        return max(by_account, by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT)

    def user_logged_in(self, sender, request, user, **kwargs):
        with without_waiting(AccessAttempt):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        with without_waiting(AccessAttempt):
            super().user_logged_out(sender, request, user, **kwargs)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses any login while the account or address is locked out. ``authenticate()`` without a
    request (the test client, code) is not a sign-in from outside and is not checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.eiso_was_locked = True  # a lockout already recorded: no second audit row
            raise


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed sign-ins for this account or from this address: sign-in is locked for %(minutes)d "
        "minute. Try again later, or ask the system administrator to unlock it.",
        "Too many failed sign-ins for this account or from this address: sign-in is locked for %(minutes)d "
        "minutes. Try again later, or ask the system administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again with the lockout message (429), or the API's JSON error shape."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    form = LoginForm(request, data=None, initial={"username": (credentials or {}).get("username", "")})
    return render(request, "registration/login.html", {
        "form": form, "lockout_message": message, "next": request.POST.get("next", ""),
    }, status=429)


def record_lockout(sender, request, username, ip_address, **kwargs):
    """One audit row when an account or address becomes locked (not for each refused try after)."""
    if getattr(request, "eiso_was_locked", False):
        return
    user = User.objects.filter(username__iexact=username).first() if username else None
    attempt = AccessAttempt.objects.filter(username=username, ip_address=ip_address).order_by("-attempt_time").first()
    target = user or attempt
    if target is None:
        return
    audit_record(
        actor=None, action="lockout", obj=target, agency=user.agency if user else None,
        changes={"username": [None, username], "address": [None, ip_address]},
        note=_("Sign-in locked after repeated failures."),
    )


def signin_unlock(*, username: str | None = None, address: str | None = None, actor=None) -> int:
    """Clear the failures of a username and/or an address; returns how many attempt rows went.
    An account that was locked (had failures) gets an audit row."""
    count = 0
    with transaction.atomic():
        if username:
            username = username.strip().lower()
            cleared = AxesProxyHandler.reset_attempts(username=username)
            count += cleared
            user = User.objects.filter(username__iexact=username).first()
            if user is not None and cleared:
                audit_record(actor=actor, action="unlock", obj=user, agency=user.agency,
                             changes={"username": [username, None]})
        if address:
            count += AxesProxyHandler.reset_attempts(ip_address=address)
    return count


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def password_reset_request(*, address: str | None, email: str) -> str:
    """Record a request for a reset e-mail and say what to do with it: ``"send"``; ``"quiet"`` when
    that e-mail address had PASSWORD_RESET_PER_EMAIL requests in the last hour (nothing is sent,
    and the page says the same as always, so it tells nobody whether the address exists);
    ``"refuse"`` when the client address had PASSWORD_RESET_PER_ADDRESS (the page says to wait)."""
    since = timezone.now() - datetime.timedelta(hours=1)
    digest = _email_digest(email)
    recent = PasswordResetRequest.objects.filter(at__gte=since)
    if address and recent.filter(address=address).count() >= settings.PASSWORD_RESET_PER_ADDRESS:
        return "refuse"
    with transaction.atomic():
        PasswordResetRequest.objects.filter(at__lt=since - datetime.timedelta(days=1)).delete()
        PasswordResetRequest.objects.create(address=address or "", email_digest=digest)
    if recent.filter(email_digest=digest).count() > settings.PASSWORD_RESET_PER_EMAIL:
        return "quiet"
    return "send"
