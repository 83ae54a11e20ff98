"""Writes of the improvement area: nonconformities, corrective actions and their verification,
risks, reminders. One function per use case, atomic, audited; every status move goes through
``nonconformity_transition``."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from eiso.audits.choices import NONCONFORMITY_KINDS
from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.core.uploads import inspect_upload
from eiso.improvements.calculations import late_share, risk_level
from eiso.improvements.choices import (
    NONCONFORMITY_TRANSITIONS,
    NOT_CLOSED,
    PLAN_EDITABLE,
    REFUSALS,
    NonconformityAction,
    NonconformitySource,
    NonconformityStatus,
    ReminderKind,
    RootCauseMethod,
)
from eiso.improvements.models import CorrectiveAction, Nonconformity, Reminder, Risk, Verification

ACTION_PLAN_FIELDS = ["correction", "root_cause_method", "whys", "root_cause", "action_plan", "owner", "due_on",
                      "verifier", "verification_due_on"]
RISK_FIELDS = ["kind", "document", "unit", "description", "cause", "likelihood", "impact", "treatment", "owner",
               "review_on"]
LATE_STEP_CLAUSE = "8.5.1"  # control of service provision
DEFAULT_LATE_THRESHOLD = 10  # percent of a step's finishes that were late

logger = logging.getLogger(__name__)




def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) else value


def _check_links(agency_id: int, **links) -> None:
    """Units, procedures, documents and people must belong to the same agency."""
    for field, obj in links.items():
        if obj is None:
            continue
        if field in ("owner", "verifier"):
            if obj.agency is None or obj.agency.pk != agency_id:
                raise _invalid(field, _("This person does not work in the agency."))
        elif obj.agency_id != agency_id:
            raise _invalid(field, _("It belongs to another agency."))


# --- nonconformities ------------------------------------------------------------------------------


def _next_code(agency, year: int) -> str:
    prefix = f"NC-{year}-"
    codes = Nonconformity.objects.filter(agency=agency, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c.removeprefix(prefix)) for c in codes if c.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def nonconformity_create(*, actor, agency, source: str, clause: str, description: str,
                         detected_on: datetime.date, unit=None, admin_procedure=None, document=None,
                         finding=None, dossier_step: int | None = None) -> Nonconformity:
    """Record a nonconformity (status open). Anyone of the agency may report one."""
    require(actor, "improvements.add_nonconformity", agency)
    _check_links(agency.pk, unit=unit, admin_procedure=admin_procedure, document=document)
    if finding is not None:
        if finding.audit.agency_id != agency.pk:
            raise _invalid("finding", _("It belongs to another agency."))
        if Nonconformity.objects.filter(finding=finding).exists():
            raise Conflict(_("This finding already has a nonconformity."))
    if detected_on and detected_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("detected_on", _("A nonconformity cannot be detected in the future."))
    data = {
        "agency": agency, "code": _next_code(agency, detected_on.year if detected_on else 0),
        "source": source, "clause": _text(clause), "unit": unit, "admin_procedure": admin_procedure,
        "document": document, "description": _text(description), "detected_on": detected_on,
        "dossier_step": dossier_step, "reported_by": actor if getattr(actor, "pk", None) else None,
    }
    if finding is not None:
        data["finding"] = finding
    return model_create(model=Nonconformity, data=data, actor=actor)


@transaction.atomic
def nonconformity_transition(*, actor, nonconformity: Nonconformity, action: str, note: str = "") -> Nonconformity:
    """The one way a nonconformity changes status: allowed moves only (choices.NONCONFORMITY_
    TRANSITIONS), each recorded in the audit trail; anything else is refused with a Conflict.
    Callers check the permission of the use case."""
    if action not in NONCONFORMITY_TRANSITIONS:
        raise _invalid("action", _("Unknown action."))
    nc = Nonconformity.objects.select_for_update().get(pk=nonconformity.pk)
    sources, target = NONCONFORMITY_TRANSITIONS[action]
    if nc.status not in sources:
        raise Conflict(REFUSALS[action], code="wrong_status")
    before = nc.status
    nc.status = target
    nc.save(update_fields=["status"])
    audit_record(actor=actor, action=action, obj=nc, changes={"status": [before, target]}, note=note)
    nonconformity.status = target
    return nc


# --- corrective actions ---------------------------------------------------------------------------


def _plan_data(agency_id: int, data: dict, *, detected_on=None, current: CorrectiveAction | None = None,
               respond_by=None) -> dict:
    """Check a plan: its people belong to the agency, its verifier may verify and is not its owner,
    and it is not due before its nonconformity was detected (``current``: the action changed)."""
    for key in ("correction", "root_cause", "action_plan"):
        if key in data:
            data[key] = _text(data[key])
    if "whys" in data:
        data["whys"] = [w.strip() for w in (data["whys"] or []) if w and w.strip()][:5]
    if data.get("root_cause_method") == RootCauseMethod.FIVE_WHY and not data.get("whys"):
        raise _invalid("whys", _("Write at least the first “why”."))
    _check_links(agency_id, owner=data.get("owner"), verifier=data.get("verifier"))
    verifier = data.get("verifier")
    if verifier is not None and not verifier.has_role("qms_secretary", "auditor"):
        raise _invalid("verifier", _("The verifier must be the ISO secretary or an internal auditor."))
    owner = data["owner"] if "owner" in data else getattr(current, "owner", None)
    verifier = data["verifier"] if "verifier" in data else getattr(current, "verifier", None)
    if owner is not None and verifier is not None and owner.pk == verifier.pk:
        raise _invalid("verifier", _("The owner of the action cannot verify it: choose another verifier."))
    due = data["due_on"] if "due_on" in data else getattr(current, "due_on", None)
    check = data["verification_due_on"] if "verification_due_on" in data else getattr(current, "verification_due_on",
                                                                                         None)
    if due and respond_by and due > respond_by:
        raise _invalid("due_on", _("The inspection's minutes ask for this action by %(day)s: it cannot be due "
                                   "later.") % {"day": respond_by.strftime("%d/%m/%Y")})
    if due and detected_on and due < detected_on:
        raise _invalid("due_on", _("The action cannot be due before its nonconformity was detected (%(day)s).")
                       % {"day": detected_on.strftime("%d/%m/%Y")})
    if due and check and check < due:
        raise _invalid("verification_due_on", _("Verification cannot be scheduled before the action is due."))
    return data


@transaction.atomic
def corrective_action_create(*, actor, nonconformity: Nonconformity, root_cause: str, action_plan: str, owner,
                            due_on: datetime.date, correction: str = "", root_cause_method: str = "free_text",
                            whys: list | None = None, verifier=None, verification_due_on=None,
                            notify: bool = True) -> CorrectiveAction:
    """Answer an open nonconformity with a corrective action request; it becomes action planned.
    The owner is told by e-mail (``notify=False`` for loaded data such as the demo)."""
    nc = Nonconformity.objects.select_for_update().get(pk=nonconformity.pk)
    require(actor, "improvements.add_correctiveaction", nc)
    if CorrectiveAction.objects.filter(nonconformity=nc).exists():
        raise Conflict(_("This nonconformity already has a corrective action request."))
    if nc.status != NonconformityStatus.OPEN:
        raise Conflict(REFUSALS[NonconformityAction.PLAN], code="wrong_status")
    data = _plan_data(nc.agency_id, {
        "correction": correction, "root_cause_method": root_cause_method, "whys": whys or [],
        "root_cause": root_cause, "action_plan": action_plan, "owner": owner, "due_on": due_on,
        "verifier": verifier, "verification_due_on": verification_due_on}, detected_on=nc.detected_on,
        respond_by=nc.respond_by)
    action = model_create(model=CorrectiveAction, actor=actor, data={
        **data, "agency_id": nc.agency_id, "nonconformity": nc,
        "created_by": actor if getattr(actor, "pk", None) else None})
    nonconformity_transition(actor=actor, nonconformity=nc, action=NonconformityAction.PLAN)
    nonconformity.status = nc.status
    data_changed_announce(sender="improvements", agency_id=nc.agency_id, topic="corrective_actions")
    if notify:
        _notify_owner(action)
    return action


def _lock(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update(of=("self",)).select_related("nonconformity").get(pk=action.pk)


@transaction.atomic
def corrective_action_update(*, actor, action: CorrectiveAction, **data) -> CorrectiveAction:
    """Change the plan while it is being carried out (after an ineffective verification too)."""
    action = _lock(action)
    require(actor, "improvements.change_correctiveaction", action)
    if action.nonconformity.status not in PLAN_EDITABLE:
        raise Conflict(_("The plan can only be changed while the action is being carried out."))
    data = _plan_data(action.agency_id, data, detected_on=action.nonconformity.detected_on, current=action,
                      respond_by=action.nonconformity.respond_by)
    action, changes = model_update(obj=action, data=data, fields=ACTION_PLAN_FIELDS, actor=actor)
    if "due_on" in changes:
        data_changed_announce(sender="improvements", agency_id=action.agency_id, topic="corrective_actions")
    return action


@transaction.atomic
def corrective_action_implement(*, actor, action: CorrectiveAction, evidence: str,
                               implemented_on: datetime.date, evidence_file=None) -> CorrectiveAction:
    """Record what was done, with evidence; the action waits for verification."""
    action = _lock(action)
    require(actor, "improvements.implement_correctiveaction", action)
    evidence = _text(evidence)
    if not evidence:
        raise _invalid("evidence", _("Describe what was done and where the evidence is."))
    if implemented_on is None:
        raise _invalid("implemented_on", _("Give the date the action was implemented."))
    if implemented_on > timezone.localdate() + datetime.timedelta(days=1):
        raise _invalid("implemented_on", _("An action cannot be implemented in the future."))
    if action.nonconformity.status != NonconformityStatus.ACTION_PLANNED:
        raise Conflict(REFUSALS[NonconformityAction.IMPLEMENT], code="wrong_status")
    data = {"evidence": evidence, "implemented_on": implemented_on}
    if evidence_file is not None:
        info = inspect_upload(evidence_file, allowed=("pdf", "docx", "xlsx"))
        data["evidence_file_name"] = info.original_name
    action, _changes = model_update(obj=action, data=data, fields=["evidence", "implemented_on",
                                                                  "evidence_file_name"], actor=actor)
    if evidence_file is not None:
        action.evidence_file.save(evidence_file.name, evidence_file, save=False)
        action.save(update_fields=["evidence_file"])
    nonconformity_transition(actor=actor, nonconformity=action.nonconformity, action=NonconformityAction.IMPLEMENT)
    return action


@transaction.atomic
def corrective_action_verify(*, actor, action: CorrectiveAction, effective: bool, note: str = "",
                            verified_on: datetime.date | None = None, new_due_on: datetime.date | None = None
                            ) -> Verification:
    """Verify effectiveness of an implemented action. Effective: ready to close. Not effective:
    back to action planned (with a new due date when given), the owner acts again."""
    action = _lock(action)
    require(actor, "improvements.verify_correctiveaction", action)
    verified_on = verified_on or timezone.localdate()
    note = _text(note)
    if not effective and not note:
        raise _invalid("note", _("Say why the action was not effective."))
    if action.nonconformity.status != NonconformityStatus.IMPLEMENTED:
        raise Conflict(REFUSALS[NonconformityAction.VERIFY_EFFECTIVE], code="wrong_status")
    if action.implemented_on and verified_on < action.implemented_on:
        raise _invalid("verified_on", _("Verification cannot come before implementation."))
    verification = model_create(model=Verification, actor=actor, data={
        "action": action, "verified_by": actor if getattr(actor, "pk", None) else None,
        "verified_on": verified_on, "effective": bool(effective), "note": note}, action="verify")
    move = NonconformityAction.VERIFY_EFFECTIVE if effective else NonconformityAction.VERIFY_INEFFECTIVE
    nonconformity_transition(actor=actor, nonconformity=action.nonconformity, action=move, note=note)
    if not effective and new_due_on is not None:
        if new_due_on < verified_on:
            raise _invalid("new_due_on", _("The new due date cannot be in the past."))
        model_update(obj=action, data={"due_on": new_due_on}, fields=["due_on"], actor=actor)
        data_changed_announce(sender="improvements", agency_id=action.agency_id, topic="corrective_actions")
    return verification


@transaction.atomic
def corrective_action_close(*, actor, action: CorrectiveAction, today: datetime.date | None = None
                           ) -> CorrectiveAction:
    """Close an action (and its nonconformity): only after a verification found it effective."""
    action = _lock(action)
    require(actor, "improvements.close_correctiveaction", action)
    nonconformity_transition(actor=actor, nonconformity=action.nonconformity, action=NonconformityAction.CLOSE)
    action, _changes = model_update(obj=action, data={"closed_on": today or timezone.localdate()},
                                    fields=["closed_on"], actor=actor, action="close")
    data_changed_announce(sender="improvements", agency_id=action.agency_id, topic="corrective_actions")
    return action


# --- nonconformities from late dossiers -----------------------------------------------------------


@transaction.atomic
def nonconformity_from_late_step(*, actor, agency, admin_procedure, step: int, month_from: datetime.date,
                                 month_to: datetime.date, threshold: float = DEFAULT_LATE_THRESHOLD,
                                 today: datetime.date | None = None) -> Nonconformity:
    """A process step whose late share over the months ``month_from``..``month_to`` exceeds
    ``threshold`` percent becomes a nonconformity (clause 8.5.1) of the unit that ran it late most."""
    from eiso.dossiers.models import DossierRollup

    require(actor, "improvements.add_nonconformity_from_dossiers", agency)
    if admin_procedure.agency_id != agency.pk:
        raise _invalid("admin_procedure", _("It belongs to another agency."))
    if month_to < month_from:
        raise _invalid("month_to", _("The period ends before it starts."))
    rollups = DossierRollup.objects.filter(agency=agency, admin_procedure=admin_procedure, step=step,
                                           month__gte=month_from.replace(day=1), month__lte=month_to)
    totals = rollups.filter(unit__isnull=True).aggregate(e=Sum("early"), o=Sum("on_time"), late=Sum("late"))
    if totals["late"] is None:  # rollups kept per unit only
        totals = rollups.aggregate(e=Sum("early"), o=Sum("on_time"), late=Sum("late"))
    early, on_time, late = (totals[k] or 0 for k in ("e", "o", "late"))
    share = late_share(early, on_time, late)
    if late == 0 or share <= threshold:
        raise Conflict(_("Step %(step)s was late in %(share).0f%% of cases, not more than the threshold of "
                         "%(threshold).0f%%: there is no nonconformity to record.") % {
                             "step": step, "share": share, "threshold": threshold})
    if Nonconformity.objects.filter(agency=agency, source=NonconformitySource.LATE_DOSSIER,
                                    admin_procedure=admin_procedure, dossier_step=step,
                                    status__in=NOT_CLOSED).exists():
        raise Conflict(_("Step %(step)s of this procedure already has an open nonconformity for late dossiers.")
                       % {"step": step})
    worst = (rollups.filter(unit__isnull=False).values("unit").annotate(n=Sum("late")).order_by("-n").first())
    unit = None
    if worst and worst["n"]:
        unit = agency.units.filter(pk=worst["unit"]).first()
    description = _(
        "Step %(step)s of %(code)s %(name)s finished late in %(late)d of %(total)d dossiers (%(share).0f%%) "
        "from %(start)s to %(end)s, above the threshold of %(threshold).0f%%.") % {
        "step": step, "code": admin_procedure.code, "name": admin_procedure.name, "late": late,
        "total": early + on_time + late, "share": share, "start": month_from.strftime("%m/%Y"),
        "end": month_to.strftime("%m/%Y"), "threshold": threshold}
    return nonconformity_create(
        actor=actor, agency=agency, source=NonconformitySource.LATE_DOSSIER, clause=LATE_STEP_CLAUSE,
        description=description, detected_on=today or timezone.localdate(), unit=unit,
        admin_procedure=admin_procedure, document=admin_procedure.process_document, dossier_step=step)



# --- nonconformities from audit findings ----------------------------------------------------------


@transaction.atomic
def nonconformity_from_finding(*, actor, finding) -> Nonconformity:
    """One click on a major or minor nonconformity found at an internal audit: its nonconformity
    (source internal audit) with the finding's clause, unit, procedure, document and description,
    detected on the day the finding was raised. One nonconformity per finding."""
    require(actor, "improvements.add_nonconformity_from_finding", finding)
    if finding.kind not in NONCONFORMITY_KINDS:
        raise _invalid("finding", _("Only a major or minor nonconformity found at an audit becomes a "
                                    "nonconformity; observations and opportunities do not."))
    description = finding.description
    if finding.evidence:
        description = f"{description}\n{_('Evidence')}: {finding.evidence}"
    return nonconformity_create(
        actor=actor, agency=finding.audit.agency, source=NonconformitySource.AUDIT, clause=finding.clause.code,
        description=description, detected_on=timezone.localdate(finding.created_at), unit=finding.unit,
        admin_procedure=finding.admin_procedure, document=finding.document, finding=finding)

# --- nonconformities from a provincial inspection -------------------------------------------------


@transaction.atomic
def nonconformity_from_inspection(*, actor, agency, clause: str, description: str, detected_on: datetime.date,
                                  respond_by: datetime.date) -> Nonconformity:
    """A finding of the province's inspection, recorded by its overseer in the inspected agency
    (source inspection): the agency answers it with a corrective action due by ``respond_by``
    (2 months after the minutes, TT 26/2014/TT-BKHCN). The only write an overseer makes in an agency."""
    require(actor, "improvements.add_nonconformity_from_inspection", agency)
    if respond_by < detected_on:
        raise _invalid("respond_by", _("The answer cannot be due before the finding."))
    data = {
        "agency": agency, "code": _next_code(agency, detected_on.year), "source": NonconformitySource.INSPECTION,
        "clause": _text(clause), "description": _text(description), "detected_on": detected_on,
        "respond_by": respond_by, "reported_by": actor if getattr(actor, "pk", None) else None,
    }
    return model_create(model=Nonconformity, data=data, actor=actor)


# --- risks ----------------------------------------------------------------------------------------


def _risk_data(agency, data: dict) -> dict:
    for key in ("description", "cause", "treatment"):
        if key in data:
            data[key] = _text(data[key])
    _check_links(agency.pk, unit=data.get("unit"), document=data.get("document"), owner=data.get("owner"))
    return data


@transaction.atomic
def risk_create(*, actor, agency, description: str, likelihood: int, impact: int, kind: str = "risk",
                document=None, unit=None, cause: str = "", treatment: str = "", owner=None, review_on=None,
                actions=()) -> Risk:
    require(actor, "improvements.add_risk", agency)
    require(actor, "improvements.change_risk", Risk(agency=agency, unit=unit))
    data = _risk_data(agency, {"agency": agency, "kind": kind, "document": document, "unit": unit,
                               "description": description, "cause": cause, "likelihood": likelihood,
                               "impact": impact, "treatment": treatment, "owner": owner, "review_on": review_on})
    try:
        data["level"] = risk_level(int(likelihood), int(impact))
    except (TypeError, ValueError):
        raise _invalid("likelihood", _("Likelihood and impact are scored 1 to 5."))
    risk = model_create(model=Risk, actor=actor, data=data)
    risk_link_actions(actor=actor, risk=risk, actions=actions)
    return risk


@transaction.atomic
def risk_update(*, actor, risk: Risk, actions=None, **data) -> Risk:
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    require(actor, "improvements.change_risk", risk)
    if "unit" in data:
        require(actor, "improvements.change_risk", Risk(agency=risk.agency, unit=data["unit"]))
    data = _risk_data(risk.agency, data)
    likelihood, impact = data.get("likelihood", risk.likelihood), data.get("impact", risk.impact)
    try:
        data["level"] = risk_level(int(likelihood), int(impact))
    except (TypeError, ValueError):
        raise _invalid("likelihood", _("Likelihood and impact are scored 1 to 5."))
    risk, _changes = model_update(obj=risk, data=data, fields=[*RISK_FIELDS, "level"], actor=actor)
    if actions is not None:
        risk_link_actions(actor=actor, risk=risk, actions=actions)
    return risk


def risk_link_actions(*, actor, risk: Risk, actions) -> None:
    """Set the corrective actions linked to a risk (those of its agency only)."""
    wanted = {a.pk: a for a in actions}
    if any(a.agency_id != risk.agency_id for a in wanted.values()):
        raise _invalid("actions", _("It belongs to another agency."))
    current = set(risk.actions.values_list("pk", flat=True))
    if current == set(wanted):
        return
    risk.actions.set(list(wanted.values()))
    audit_record(actor=actor, action="update", obj=risk, changes={"actions": [
        sorted(current), sorted(wanted)]})


# --- e-mail ---------------------------------------------------------------------------------------


def _send(subject: str, body: str, to: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError:  # a mail server down must not undo the work; the next run reminds again
        logger.warning("could not send %r to %s", subject, to, exc_info=True)


def _mail(recipient, subject: str, body: str) -> None:
    if recipient.email:
        transaction.on_commit(lambda: _send(str(subject), str(body), recipient.email))


def _notify_owner(action: CorrectiveAction) -> None:
    nc = action.nonconformity
    with override(settings.LANGUAGE_CODE):
        _mail(action.owner, _("[eISO] Corrective action for %(code)s") % {"code": nc.code},
              _("You own the corrective action for nonconformity %(code)s (clause %(clause)s), due on %(due)s.\n\n"
                "%(plan)s") % {"code": nc.code, "clause": nc.clause, "due": action.due_on.strftime("%d/%m/%Y"),
                               "plan": action.action_plan})


@transaction.atomic
def reminders_send(*, today: datetime.date) -> int:
    """E-mail the owners of actions past due and the verifiers whose verification is due; at
    most once per action, kind, person and day (running it twice a day sends nothing more)."""
    overdue = CorrectiveAction.objects.filter(nonconformity__status=NonconformityStatus.ACTION_PLANNED,
                                              due_on__lt=today)
    verification = CorrectiveAction.objects.filter(nonconformity__status=NonconformityStatus.IMPLEMENTED,
                                                   verifier__isnull=False).filter(
        Q(verification_due_on__lte=today) | Q(verification_due_on__isnull=True))
    sent = 0
    jobs = [(ReminderKind.OVERDUE, overdue, "owner"), (ReminderKind.VERIFICATION, verification, "verifier")]
    with override(settings.LANGUAGE_CODE):
        for kind, queryset, who in jobs:
            for action in queryset.select_related("nonconformity", "owner", "verifier").order_by("pk"):
                person = getattr(action, who)
                if not person.is_active or not person.email:
                    continue
                _reminder, created = Reminder.objects.get_or_create(action=action, kind=kind, recipient=person,
                                                                    sent_on=today)
                if not created:
                    continue
                nc = action.nonconformity
                if kind == ReminderKind.OVERDUE:
                    subject = _("[eISO] Corrective action for %(code)s is past due") % {"code": nc.code}
                    body = _("The corrective action for nonconformity %(code)s was due on %(due)s and has not "
                             "been recorded as implemented.") % {"code": nc.code,
                                                                 "due": action.due_on.strftime("%d/%m/%Y")}
                else:
                    subject = _("[eISO] Verify the corrective action for %(code)s") % {"code": nc.code}
                    body = _("The corrective action for nonconformity %(code)s was implemented; its effectiveness "
                             "is to be verified.") % {"code": nc.code}
                _mail(person, subject, body)
                sent += 1
    return sent
