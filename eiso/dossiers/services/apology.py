"""The apology letter of a late dossier (phiếu xin lỗi và hẹn lại ngày trả kết quả, DOMAIN.md §5).

An open dossier that is past due, or that its handlers know will be, gets one letter with one
new appointment, later than the current due instant. The letter should reach the applicant at
least one working day before the due date: ``sent_in_time`` records whether it did (issued at
least one working day, 8 working hours by default, on the agency's calendar before the due
instant), so a letter sent late stays visible.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.dossiers.choices import OPEN_STATUSES
from eiso.dossiers.models import Dossier, DossierApology
from eiso.organizations.selectors import work_calendar_for

MAX_REASON = 2000


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _only_one() -> Conflict:
    return Conflict(_("This dossier already has an apology letter: only one new appointment may be given."),
                    code="apology_exists")


def lateness_text(hours, hours_per_day) -> str:
    """Working time past a due instant in words: whole working days ("4 working days"), or
    working hours under a day ("3 working hours")."""
    days = int(hours // hours_per_day)
    if days:
        return ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
    n = max(1, math.ceil(hours))
    return ngettext("%(n)d working hour", "%(n)d working hours", n) % {"n": n}


def apology_lateness(dossier: Dossier, issued_at: dt.datetime) -> str:
    """How late the dossier already was when its letter was issued ("" when issued before the due
    instant), in the agency's working time."""
    if dossier.due_at is None or issued_at <= dossier.due_at:
        return ""
    calendar = work_calendar_for(dossier.agency)
    hours = calendar.working_hours_between(dossier.due_at, issued_at)
    return lateness_text(hours, calendar.hours_per_day) if hours > 0 else ""


def apology_sent_in_time(dossier: Dossier, issued_at: dt.datetime) -> bool:
    """Issued at least one working day (the agency's hours per day) before the due instant."""
    calendar = work_calendar_for(dossier.agency)
    return calendar.working_hours_between(issued_at, dossier.due_at) >= calendar.hours_per_day


@transaction.atomic
def apology_issue(*, actor, dossier: Dossier, reason: str, new_due_at: dt.datetime,
                  now: dt.datetime | None = None) -> DossierApology:
    """Issue the one apology letter of ``dossier`` with its new appointment ``new_due_at``."""
    if actor is not None and not actor.has_perm("dossiers.issue_apology", dossier):
        raise Forbidden()
    now = now or timezone.now()
    # Lock the dossier (only it, not the joined agency row): two people pressing the button at once
    # still give one letter.
    locked = Dossier.objects.select_for_update(of=("self",)).select_related("agency").get(pk=dossier.pk)
    if DossierApology.objects.filter(dossier=locked).exists():
        raise _only_one()
    if locked.status not in OPEN_STATUSES or locked.due_at is None:
        raise Conflict(_("Only an open dossier with a due date can get an apology letter; this one is %(status)s.")
                       % {"status": locked.get_status_display().lower()}, code="dossier_closed")
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("Say why the result is late: the applicant reads it."))
    if len(reason) > MAX_REASON:
        raise _invalid("reason", _("Keep the reason under %(n)s characters.") % {"n": MAX_REASON})
    if new_due_at is None or timezone.is_naive(new_due_at):
        raise _invalid("new_due_at", _("Give the new appointment as a date and time."))
    if new_due_at <= locked.due_at:
        due = timezone.localtime(locked.due_at)
        raise _invalid("new_due_at", _("The new appointment must be after the current due date (%(due)s).")
                       % {"due": due.strftime("%d/%m/%Y %H:%M")})
    try:
        with transaction.atomic():
            apology = DossierApology.objects.create(
                dossier=locked, reason=reason, new_due_at=new_due_at, issued_at=now,
                issued_by=actor if getattr(actor, "pk", None) else None,
                sent_in_time=apology_sent_in_time(locked, now))
    except IntegrityError as exc:
        raise _only_one() from exc
    audit_record(actor=actor, action="apology_issue", obj=locked, agency=locked.agency_id, changes={
        "reason": reason, "due_at": locked.due_at.isoformat(), "new_due_at": new_due_at.isoformat(),
        "sent_in_time": apology.sent_in_time})
    return apology
