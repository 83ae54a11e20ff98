"""Writes of the conformity announcement: the secretary prepares the draft (internal processes
covered, the date of the last management review), the head confirms the QMS effective and signs;
signing checks the preconditions, freezes the scope (TTHC, units, processes, agency name, ISO
edition) and supersedes the announcement in force. Afterwards only where it was posted and the
notice to the Department of Science and Technology are recorded: the scope never changes."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits.selectors import current_edition
from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.procedures.models import AdminProcedure
from eiso.rollout.choices import AnnouncementStatus
from eiso.rollout.models import Announcement
from eiso.rollout.preconditions import check_all

MAX_PROCESSES, MAX_PROCESS_LENGTH = 100, 300


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _update(announcement: Announcement, actor, data: dict) -> Announcement:
    return model_update(obj=announcement, data=data, fields=list(data), actor=actor)[0]


def _lock(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update().get(pk=announcement.pk)


def _processes(value) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else list(value or [])
    lines = [str(line).strip() for line in lines if str(line).strip()]
    if len(lines) > MAX_PROCESSES:
        raise _invalid("processes", _("At most %(n)s internal processes.") % {"n": MAX_PROCESSES})
    if any(len(line) > MAX_PROCESS_LENGTH for line in lines):
        raise _invalid("processes", _("A process name has at most %(n)s characters.") % {"n": MAX_PROCESS_LENGTH})
    return list(dict.fromkeys(lines))


def _not_future(field: str, day: datetime.date | None, label) -> None:
    if day is not None and day > timezone.localdate():
        raise _invalid(field, _("%(label)s cannot be in the future.") % {"label": label})


def _draft_only(announcement: Announcement) -> None:
    if announcement.status != AnnouncementStatus.DRAFT:
        raise Conflict(_("An issued announcement never changes: prepare a new one to change its scope."))


@transaction.atomic
def announcement_prepare(*, actor, agency, processes=(), review_held_on: datetime.date | None = None
                         ) -> Announcement:
    require(actor, "rollout.change_announcement", agency)
    if Announcement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).exists():
        raise Conflict(_("The agency already has an announcement in preparation."))
    _not_future("review_held_on", review_held_on, _("The management review"))
    return model_create(model=Announcement, actor=actor, data={
        "agency": agency, "processes": _processes(processes), "review_held_on": review_held_on,
        "created_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def announcement_update(*, actor, announcement: Announcement, processes=(),
                        review_held_on: datetime.date | None = None) -> Announcement:
    require(actor, "rollout.change_announcement", announcement)
    announcement = _lock(announcement)
    _draft_only(announcement)
    _not_future("review_held_on", review_held_on, _("The management review"))
    return _update(announcement, actor, {
        "processes": _processes(processes), "review_held_on": review_held_on})


@transaction.atomic
def announcement_confirm_effectiveness(*, actor, announcement: Announcement) -> Announcement:
    """The head confirms the QMS is effective (a precondition of the announcement, QĐ 19/2014)."""
    require(actor, "rollout.sign_announcement", announcement)
    announcement = _lock(announcement)
    _draft_only(announcement)
    return _update(announcement, actor, {
        "effectiveness_confirmed_at": timezone.now(), "effectiveness_confirmed_by": actor})


@transaction.atomic
def announcement_issue(*, actor, announcement: Announcement, number: str,
                       signed_on: datetime.date) -> Announcement:
    """The head signs: preconditions checked, scope frozen, the previous announcement superseded."""
    require(actor, "rollout.sign_announcement", announcement)
    announcement = _lock(announcement)
    _draft_only(announcement)
    number = (number or "").strip()
    if not number:
        raise _invalid("number", _("Give the number and symbol of the decision."))
    if signed_on is None:
        raise _invalid("signed_on", _("Give the date of signature."))
    _not_future("signed_on", signed_on, _("The date of signature"))
    agency = announcement.agency
    previous = (Announcement.objects.select_for_update()
                .filter(agency=agency, status=AnnouncementStatus.ISSUED).first())
    if previous is not None and signed_on < previous.signed_on:
        raise _invalid("signed_on", _("The date cannot be before %(date)s, when the announcement in force was "
                                      "signed.") % {"date": previous.signed_on.strftime("%d/%m/%Y")})
    checks = check_all(announcement)
    failing = [c for c in checks if not c.ok]
    if failing:
        raise ValidationFailed(
            _("The announcement cannot be issued yet: %(checks)s.") % {
                "checks": "; ".join(f"{c.label} ({c.detail})" for c in failing)},
            errors={"__all__": [f"{c.label}: {c.detail}" for c in failing]})
    procedures = AdminProcedure.objects.filter(agency=agency, is_active=True).order_by("field", "code")
    units = agency.units.filter(is_active=True).order_by("name")
    if previous is not None:
        previous.status = AnnouncementStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    edition = current_edition(agency)
    issued = _update(announcement, actor, {
        "status": AnnouncementStatus.ISSUED, "number": number, "signed_on": signed_on, "signed_by": actor,
        "signer_name": actor.get_full_name() or actor.get_username(), "agency_name": agency.name,
        "edition": edition,
        "scope_procedures": [{"code": p.code, "name": p.name, "field": p.field} for p in procedures],
        "scope_units": [{"id": u.pk, "name": u.name} for u in units],
        "preconditions": [c.as_dict() for c in checks]})
    if previous is not None:
        previous.superseded_by = issued
        previous.save(update_fields=["superseded_by"])
        audit_record(actor=actor, action="update", obj=previous, agency=agency,
                     changes={"status": [AnnouncementStatus.ISSUED, AnnouncementStatus.SUPERSEDED],
                              "superseded_by": [None, issued.number]})
    return issued


@transaction.atomic
def announcement_record_posting(*, actor, announcement: Announcement, posted_where: str,
                                posted_on: datetime.date) -> Announcement:
    """Where and when the issued announcement was posted (the office, the agency's website)."""
    require(actor, "rollout.change_announcement", announcement)
    announcement = _lock(announcement)
    _issued_only(announcement)
    posted_where = (posted_where or "").strip()
    if not posted_where:
        raise _invalid("posted_where", _("Say where the announcement was posted."))
    _after_signature("posted_on", posted_on, announcement)
    return _update(announcement, actor, {"posted_where": posted_where,
                                                                   "posted_on": posted_on})


@transaction.atomic
def announcement_record_notice(*, actor, announcement: Announcement, notice_number: str,
                               notice_date: datetime.date) -> Announcement:
    """The written notice of the announcement to the Department of Science and Technology."""
    require(actor, "rollout.change_announcement", announcement)
    announcement = _lock(announcement)
    _issued_only(announcement)
    notice_number = (notice_number or "").strip()
    if not notice_number:
        raise _invalid("notice_number", _("Give the number of the notice."))
    _after_signature("notice_date", notice_date, announcement)
    return _update(announcement, actor, {"notice_number": notice_number,
                                                                   "notice_date": notice_date})


def _issued_only(announcement: Announcement) -> None:
    if announcement.status == AnnouncementStatus.DRAFT:
        raise Conflict(_("The announcement is not issued yet."))


def _after_signature(field: str, day: datetime.date | None, announcement: Announcement) -> None:
    if day is None:
        raise _invalid(field, _("Give the date."))
    _not_future(field, day, _("The date"))
    if day < announcement.signed_on:
        raise _invalid(field, _("The date cannot be before the signature (%(date)s).") % {
            "date": announcement.signed_on.strftime("%d/%m/%Y")})


@transaction.atomic
def announcement_record_past(*, actor, agency, number: str, signed_on: datetime.date, signer_name: str,
                             procedure_codes=None, processes=(), posted_where: str = "",
                             posted_on: datetime.date | None = None, notice_number: str = "",
                             notice_date: datetime.date | None = None) -> Announcement:
    """Record an announcement the agency issued on paper before it used eISO, with the scope it
    announced then (``procedure_codes``: the TTHC of the catalogue it covered; all published ones when
    not given). The preconditions were checked then and are not checked again; it is the
    announcement in force unless a later one is."""
    require(actor, "rollout.change_announcement", agency)
    number = (number or "").strip()
    if not number:
        raise _invalid("number", _("Give the number and symbol of the decision."))
    if signed_on is None:
        raise _invalid("signed_on", _("Give the date of signature."))
    _not_future("signed_on", signed_on, _("The date of signature"))
    if Announcement.objects.filter(agency=agency, status=AnnouncementStatus.ISSUED).exists():
        raise Conflict(_("The agency already has an announcement in force."))
    procedures = AdminProcedure.objects.filter(agency=agency, is_active=True).order_by("field", "code")
    if procedure_codes is not None:
        procedures = procedures.filter(code__in=list(procedure_codes))
    for day, field in ((posted_on, "posted_on"), (notice_date, "notice_date")):
        if day is not None and day < signed_on:
            raise _invalid(field, _("The date cannot be before the signature (%(date)s).") % {
                "date": signed_on.strftime("%d/%m/%Y")})
    return model_create(model=Announcement, actor=actor, action="create", data={
        "agency": agency, "status": AnnouncementStatus.ISSUED, "number": number, "signed_on": signed_on,
        "signer_name": (signer_name or "").strip(), "agency_name": agency.name, "edition": current_edition(agency),
        "processes": _processes(processes),
        "scope_procedures": [{"code": p.code, "name": p.name, "field": p.field} for p in procedures],
        "scope_units": [{"id": u.pk, "name": u.name} for u in agency.units.filter(is_active=True).order_by("name")],
        "preconditions": [], "posted_where": (posted_where or "").strip(), "posted_on": posted_on,
        "notice_number": (notice_number or "").strip(), "notice_date": notice_date,
        "created_by": actor if getattr(actor, "pk", None) else None})
