"""Writes of citizen satisfaction and complaints: the SIPAS benchmark, the agency's settings,
complaints received, handed on, answered or refused, and a justified one recorded as a
nonconformity. One function per use case, atomic, audited; every status move of a complaint
goes through ``complaint_transition``. (The evaluations' import is in ``imports``.)"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.feedback.calculations import complaint_due_on
from eiso.feedback.choices import (
    COMPLAINT_CLAUSE,
    COMPLAINT_TRANSITIONS,
    DEFAULT_DUE_DAYS,
    REFUSALS,
    ComplaintAction,
)
from eiso.feedback.models import Complaint, FeedbackSettings, SatisfactionBenchmark
from eiso.improvements.choices import NonconformitySource
from eiso.improvements.services import nonconformity_create
from eiso.organizations.selectors import work_calendar_for


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _text(value) -> str:
    return (value or "").strip()


# --- satisfaction ---------------------------------------------------------------------------------


@transaction.atomic
def benchmark_set(*, actor, agency, year: int, sipas: Decimal, note: str = "") -> SatisfactionBenchmark:
    """Set (or correct) the provincial SIPAS figure of ``year`` beside the agency's own score."""
    require(actor, "feedback.change_benchmark", agency)
    current = SatisfactionBenchmark.objects.select_for_update().filter(agency=agency, year=year).first()
    data = {"sipas": sipas, "note": _text(note)}
    if current is None:
        return model_create(model=SatisfactionBenchmark, actor=actor, data={"agency": agency, "year": year, **data})
    benchmark, _changes = model_update(obj=current, data=data, fields=["sipas", "note"], actor=actor)
    return benchmark


# --- settings -------------------------------------------------------------------------------------


def due_days_of(agency) -> int:
    row = FeedbackSettings.objects.filter(agency=agency).values_list("complaint_due_days", flat=True).first()
    return row or DEFAULT_DUE_DAYS


@transaction.atomic
def feedback_settings_update(*, actor, agency, complaint_due_days: int) -> FeedbackSettings:
    """Change the working days an agency gives itself to answer complaints (new complaints only)."""
    require(actor, "feedback.change_settings", agency)
    current = FeedbackSettings.objects.select_for_update().filter(agency=agency).first()
    if current is None:
        return model_create(model=FeedbackSettings, actor=actor,
                            data={"agency": agency, "complaint_due_days": complaint_due_days})
    current, _changes = model_update(obj=current, data={"complaint_due_days": complaint_due_days},
                                     fields=["complaint_due_days"], actor=actor)
    return current


# --- complaints -----------------------------------------------------------------------------------


def _next_code(agency, year: int) -> str:
    prefix = f"PAKN-{year}-"
    codes = Complaint.objects.filter(agency=agency, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c.removeprefix(prefix)) for c in codes if c.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_links(agency, *, dossier=None, admin_procedure=None, unit=None) -> None:
    for field, obj in (("dossier", dossier), ("admin_procedure", admin_procedure), ("unit", unit)):
        if obj is not None and obj.agency_id != agency.pk:
            raise _invalid(field, _("It belongs to another agency."))


@transaction.atomic
def complaint_create(*, actor, agency, received_on: datetime.date, person: str, content: str,
                     channel: str = "direct", contact: str = "", dossier=None, admin_procedure=None,
                     unit=None) -> Complaint:
    """Record a complaint or recommendation received; it is due the agency's number of working
    days after the day of receipt, on its working calendar."""
    require(actor, "feedback.add_complaint", agency)
    _check_links(agency, dossier=dossier, admin_procedure=admin_procedure, unit=unit)
    if received_on is None:
        raise _invalid("received_on", _("Give the date it was received."))
    if received_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("received_on", _("A complaint cannot be received in the future."))
    if dossier is not None and admin_procedure is None:
        admin_procedure = dossier.admin_procedure
    calendar = work_calendar_for(agency)
    try:
        due_on = complaint_due_on(received_on, due_days_of(agency), calendar.is_working_day)
    except ValueError as exc:  # a date outside the years the working calendar covers (e.g. 1900-01-01)
        raise _invalid("received_on", str(exc))
    data_changed_announce(sender="feedback", agency_id=agency.pk, topic="complaints")
    return model_create(model=Complaint, actor=actor, data={
        "agency": agency, "code": _next_code(agency, received_on.year), "received_on": received_on,
        "channel": channel, "person": _text(person), "contact": _text(contact), "content": _text(content),
        "dossier": dossier, "admin_procedure": admin_procedure, "unit": unit, "due_on": due_on,
        "created_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def complaint_transition(*, actor, complaint: Complaint, action: str, changes: dict | None = None,
                         note: str = "") -> Complaint:
    """The one way a complaint changes status: allowed moves only (choices.COMPLAINT_TRANSITIONS),
    with the fields the move sets, in one audit row; anything else is a Conflict."""
    if action not in COMPLAINT_TRANSITIONS:
        raise _invalid("action", _("Unknown action."))
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    sources, target = COMPLAINT_TRANSITIONS[action]
    if locked.status not in sources:
        raise Conflict(REFUSALS[action], code="wrong_status")
    fields = {"status": target, **(changes or {})}
    recorded = {}
    for name, value in fields.items():
        before = getattr(locked, name)
        setattr(locked, name, value)
        if before != value:
            recorded[name] = [str(before) if before is not None else None, str(value) if value is not None else None]
    locked.save(update_fields=list(fields))
    audit_record(actor=actor, action=action, obj=locked, changes=recorded, note=note)
    data_changed_announce(sender="feedback", agency_id=locked.agency_id, topic="complaints")
    for name, value in fields.items():
        setattr(complaint, name, value)
    return locked


@transaction.atomic
def complaint_assign(*, actor, complaint: Complaint, unit) -> Complaint:
    """Hand the complaint to the unit that answers it."""
    require(actor, "feedback.handle_complaint", complaint)
    if unit is None:
        raise _invalid("unit", _("Choose the unit that answers it."))
    _check_links(complaint.agency, unit=unit)
    return complaint_transition(actor=actor, complaint=complaint, action=ComplaintAction.ASSIGN,
                                changes={"unit": unit})


def _answer_checks(complaint, answer: str, answered_on) -> tuple[str, datetime.date]:
    answer = _text(answer)
    if not answer:
        raise _invalid("answer", _("Write the answer given."))
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("answered_on", _("An answer cannot be given in the future."))
    if answered_on < complaint.received_on:
        raise _invalid("answered_on", _("An answer cannot be given before the complaint was received."))
    return answer, answered_on


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, answer: str, justified: bool | None,
                     answered_on: datetime.date | None = None) -> Complaint:
    """Record the answer and whether the complaint was justified (a justified one can then be
    recorded as a nonconformity)."""
    require(actor, "feedback.handle_complaint", complaint)
    if justified is None:
        raise _invalid("justified", _("Say whether the complaint was justified."))
    answer, answered_on = _answer_checks(complaint, answer, answered_on)
    return complaint_transition(actor=actor, complaint=complaint, action=ComplaintAction.ANSWER,
                                changes={"answer": answer, "answered_on": answered_on, "justified": justified})


@transaction.atomic
def complaint_reject(*, actor, complaint: Complaint, answer: str,
                     answered_on: datetime.date | None = None) -> Complaint:
    """Refuse a complaint outside the agency's remit (or anonymous, repeated…), saying why."""
    require(actor, "feedback.handle_complaint", complaint)
    answer, answered_on = _answer_checks(complaint, answer, answered_on)
    return complaint_transition(actor=actor, complaint=complaint, action=ComplaintAction.REJECT,
                                changes={"answer": answer, "answered_on": answered_on, "justified": False})


@transaction.atomic
def complaint_to_nonconformity(*, actor, complaint: Complaint):
    """One click: a justified complaint becomes a nonconformity (source: complaint, clause 8.2.1),
    about its handling unit and procedure; the complaint links to it."""
    locked = Complaint.objects.select_for_update().select_related("agency").get(pk=complaint.pk)
    require(actor, "feedback.complaint_nonconformity", locked)
    if locked.nonconformity_id:
        raise Conflict(_("This complaint is already recorded as a nonconformity."), code="exists")
    if not locked.justified:
        raise Conflict(_("Only a complaint answered as justified becomes a nonconformity."), code="wrong_status")
    nc = nonconformity_create(
        actor=actor, agency=locked.agency, source=NonconformitySource.COMPLAINT, clause=COMPLAINT_CLAUSE,
        unit=locked.unit, admin_procedure=locked.admin_procedure,
        description=_("Complaint %(code)s of %(date)s: %(content)s") % {
            "code": locked.code, "date": locked.received_on.strftime("%d/%m/%Y"), "content": locked.content},
        detected_on=locked.answered_on or timezone.localdate())
    locked.nonconformity = nc
    locked.save(update_fields=["nonconformity"])
    audit_record(actor=actor, action="complaint_nonconformity", obj=locked,
                 changes={"nonconformity": [None, nc.code]})
    complaint.nonconformity = nc
    return nc
