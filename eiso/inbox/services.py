"""Writes of the task list: a person's digest setting, and the daily e-mail digest (run by cron:
``eiso inbox digest``)."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from eiso.core.audit import audit_record
from eiso.inbox.models import InboxSettings
from eiso.inbox.selectors import inbox_for_user
from eiso.organizations.models import User

logger = logging.getLogger(__name__)


def digest_wanted(user) -> bool:
    settings_row = InboxSettings.objects.filter(user=user).first()
    return settings_row is None or settings_row.daily_digest


@transaction.atomic
def inbox_settings_update(*, actor, daily_digest: bool) -> InboxSettings:
    """A person turns their own daily digest on or off (only their own: ``actor`` is the person)."""
    row, _created = InboxSettings.objects.select_for_update().get_or_create(user=actor)
    if row.daily_digest != daily_digest:
        audit_record(actor=actor, action="inbox_settings_update", obj=actor,
                     agency=actor.membership.agency_id if actor.membership else None,
                     changes={"daily_digest": [row.daily_digest, daily_digest]})
        row.daily_digest = daily_digest
        row.save(update_fields=["daily_digest"])
    return row


def _send(subject: str, body: str, to: str) -> bool:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError:  # a mail server down must not stop the others; tomorrow's run sends again
        logger.warning("could not send %r to %s", subject, to, exc_info=True)
        return False
    return True


def digests_send(*, now: dt.datetime | None = None, base_url: str = "") -> int:
    """E-mail each active person with an e-mail address, who has not turned it off, the list of
    what waits for them; nothing when nothing waits, and at most once a day (running it twice
    the same day sends nothing more)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    people = (User.objects.filter(is_active=True, memberships__valid_to__isnull=True).exclude(email="")
              .exclude(inbox_settings__daily_digest=False).exclude(inbox_settings__digest_sent_on=today)
              .distinct().order_by("pk"))
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for person in people:
            sections = inbox_for_user(person, now=now, shown=10)
            if not sections:
                continue
            total = sum(s.count for s in sections)
            subject = _("[eISO] %(count)d task(s) waiting for you") % {"count": total}
            body = render_to_string("inbox/digest.txt", {
                "person": person, "sections": sections, "total": total, "base_url": base_url.rstrip("/"),
                "inbox_url": reverse("inbox:inbox"), "today": today})
            if _send(str(subject), body, person.email):
                InboxSettings.objects.update_or_create(user=person, defaults={"digest_sent_on": today})
                sent += 1
    return sent
