"""Writes of the rollout plan: the rollout and its phases, the procedure registry (its decision, the
fill from the TTHC catalogue, each procedure's progress up to its issued document) and the gap
survey. Each is one transaction and leaves an audit row."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits import selectors as audit_selectors
from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.documents.choices import DocumentKind, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.procedures.choices import Coverage
from eiso.procedures.models import AdminProcedure
from eiso.procedures.selectors import with_coverage
from eiso.procedures.services import admin_procedure_update
from eiso.rollout.choices import (
    DEFAULT_PHASES,
    ITEM_TRANSITIONS,
    PHASE_TRANSITIONS,
    GapResult,
    ItemStatus,
    PhaseStatus,
    RolloutStatus,
)
from eiso.rollout.models import GapAssessment, GapSurvey, RegistryItem, Rollout, RolloutPhase

ROLLOUT_FIELDS = ["title", "started_on", "target_on", "consultant", "consultant_contact"]
PHASE_FIELDS = ["name", "planned_start", "planned_end", "notes"]
ITEM_FIELDS = ["title", "drafting_unit", "deadline", "notes"]
# Kinds of document a registry procedure may be issued as.
PROCEDURE_KINDS = (DocumentKind.OPERATIONAL_PROCEDURE, DocumentKind.SYSTEM_PROCEDURE, DocumentKind.MANUAL,
                   DocumentKind.POLICY, DocumentKind.OBJECTIVES, DocumentKind.GUIDELINE, DocumentKind.OTHER)


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _strip(data: dict, *keys) -> dict:
    for key in keys:
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()
    return data


def _check_unit(agency_id: int, unit) -> None:
    if unit is not None and unit.agency_id != agency_id:
        raise _invalid("drafting_unit", _("The unit belongs to another agency."))


def _spread(start: datetime.date, end: datetime.date, parts: int) -> list[tuple[datetime.date, datetime.date]]:
    """``parts`` consecutive date ranges covering ``start``…``end`` (each at least one day)."""
    days = max((end - start).days + 1, parts)
    bounds = [start + datetime.timedelta(days=days * i // parts) for i in range(parts + 1)]
    return [(bounds[i], max(bounds[i], bounds[i + 1] - datetime.timedelta(days=1))) for i in range(parts)]


# --- the rollout and its phases ---------------------------------------------------------------------

@transaction.atomic
def rollout_create(*, actor, agency, title: str, started_on: datetime.date, target_on: datetime.date,
                   consultant: str = "", consultant_contact: str = "", phases=None) -> Rollout:
    """Start the rollout of the agency's QMS with its phases (the five default ones unless given),
    their planned dates spread between the start and the planned announcement."""
    require(actor, "rollout.add_rollout", agency)
    if Rollout.objects.select_for_update().filter(agency=agency, status=RolloutStatus.IN_PROGRESS).exists():
        raise Conflict(_("The agency already has a rollout in progress."), code="rollout_in_progress")
    data = _strip({"agency": agency, "title": title or "", "started_on": started_on, "target_on": target_on,
                   "consultant": consultant or "", "consultant_contact": consultant_contact or ""},
                  "title", "consultant", "consultant_contact")
    rollout = model_create(model=Rollout, actor=actor, data={**data, "created_by": actor if getattr(
        actor, "pk", None) else None})
    names = [str(n).strip() for n in (phases if phases is not None else DEFAULT_PHASES) if str(n).strip()]
    for number, (name, (start, end)) in enumerate(zip(names, _spread(started_on, target_on, len(names) or 1),
                                                      strict=False), start=1):
        RolloutPhase.objects.create(rollout=rollout, number=number, name=name[:200], planned_start=start,
                                    planned_end=end)
    return rollout


@transaction.atomic
def rollout_update(*, actor, rollout: Rollout, **data) -> Rollout:
    require(actor, "rollout.change_rollout", rollout)
    locked = Rollout.objects.select_for_update().get(pk=rollout.pk)
    _strip(data, "title", "consultant", "consultant_contact")
    locked, _changes = model_update(obj=locked, data=data, fields=ROLLOUT_FIELDS, actor=actor)
    return locked


@transaction.atomic
def rollout_complete(*, actor, rollout: Rollout, completed_on: datetime.date | None = None) -> Rollout:
    """Close the rollout (the QMS is announced; maintenance goes on in the other areas)."""
    require(actor, "rollout.change_rollout", rollout)
    locked = Rollout.objects.select_for_update().get(pk=rollout.pk)
    if locked.status != RolloutStatus.IN_PROGRESS:
        raise Conflict(_("This rollout is already completed."), code="wrong_status")
    completed_on = completed_on or timezone.localdate()
    if completed_on < locked.started_on:
        raise _invalid("completed_on", _("A rollout cannot end before it starts."))
    locked.status, locked.completed_on = RolloutStatus.COMPLETED, completed_on
    locked.save(update_fields=["status", "completed_on"])
    audit_record(actor=actor, action="complete", obj=locked,
                 changes={"status": [str(RolloutStatus.IN_PROGRESS.label), str(RolloutStatus.COMPLETED.label)]})
    return locked


@transaction.atomic
def registry_adopt(*, actor, rollout: Rollout, decision_number: str, decision_date: datetime.date,
                   signer: str) -> Rollout:
    """Record the decision adopting the procedure registry (number, date, signer)."""
    require(actor, "rollout.change_rollout", rollout)
    locked = Rollout.objects.select_for_update().get(pk=rollout.pk)
    decision_number, signer = (decision_number or "").strip(), (signer or "").strip()
    if not decision_number:
        raise _invalid("decision_number", _("Give the number of the decision, e.g. 12/QĐ-UBND."))
    if decision_date is None:
        raise _invalid("decision_date", _("Give the date of the decision."))
    if not signer:
        raise _invalid("signer", _("Say who signed the decision."))
    if decision_date > timezone.localdate():
        raise _invalid("decision_date", _("The decision cannot be dated in the future."))
    locked, _changes = model_update(obj=locked, actor=actor, action="adopt_registry", data={
        "registry_decision_number": decision_number, "registry_decision_date": decision_date,
        "registry_decision_signer": signer},
        fields=["registry_decision_number", "registry_decision_date", "registry_decision_signer"])
    return locked


@transaction.atomic
def phase_add(*, actor, rollout: Rollout, name: str, planned_start=None, planned_end=None,
              notes: str = "") -> RolloutPhase:
    require(actor, "rollout.change_rollout", rollout)
    Rollout.objects.select_for_update().get(pk=rollout.pk)
    number = (rollout.phases.aggregate(n=Max("number"))["n"] or 0) + 1
    return model_create(model=RolloutPhase, actor=actor, data=_strip({
        "rollout": rollout, "number": number, "name": name or "", "planned_start": planned_start,
        "planned_end": planned_end, "notes": notes or ""}, "name", "notes"))


@transaction.atomic
def phase_update(*, actor, phase: RolloutPhase, **data) -> RolloutPhase:
    require(actor, "rollout.change_rollout", phase)
    locked = RolloutPhase.objects.select_for_update(of=("self",)).select_related("rollout").get(pk=phase.pk)
    _strip(data, "name", "notes")
    locked, _changes = model_update(obj=locked, data=data, fields=PHASE_FIELDS, actor=actor)
    return locked


@transaction.atomic
def phase_transition(*, actor, phase: RolloutPhase, status: str, on: datetime.date | None = None) -> RolloutPhase:
    """Start a phase, finish it, or reopen it; the day it started or finished is kept."""
    require(actor, "rollout.change_rollout", phase)
    locked = RolloutPhase.objects.select_for_update(of=("self",)).select_related("rollout").get(pk=phase.pk)
    if status not in PHASE_TRANSITIONS.get(locked.status, ()):
        raise Conflict(_("A phase that is “%(from)s” cannot become “%(to)s”.") % {
            "from": PhaseStatus(locked.status).label, "to": PhaseStatus(status).label
            if status in PhaseStatus.values else status}, code="wrong_status")
    on = on or timezone.localdate()
    before = locked.status
    locked.status = status
    if status == PhaseStatus.IN_PROGRESS:
        locked.started_on = locked.started_on if before == PhaseStatus.DONE else on
        locked.finished_on = None
    elif status == PhaseStatus.DONE:
        if locked.started_on and on < locked.started_on:
            raise _invalid("on", _("A phase cannot finish before it started."))
        locked.finished_on = on
    else:
        locked.started_on = locked.finished_on = None
    locked.save(update_fields=["status", "started_on", "finished_on"])
    audit_record(actor=actor, action="transition", obj=locked,
                 changes={"status": [str(PhaseStatus(before).label), str(PhaseStatus(status).label)]})
    return locked


# --- the procedure registry -------------------------------------------------------------------------

def _next_number(rollout: Rollout) -> int:
    return (rollout.registry_items.aggregate(n=Max("number"))["n"] or 0) + 1


def catalogue_gaps(rollout: Rollout):
    """The agency's published TTHC with no procedure in force and not in the registry yet, by code."""
    qs = with_coverage(AdminProcedure.objects.filter(agency_id=rollout.agency_id, is_active=True))
    return (qs.filter(coverage__in=[Coverage.NO_PROCEDURE.value, Coverage.NOT_EFFECTIVE.value])
            .exclude(rollout_items__rollout=rollout).order_by("field", "code"))


@transaction.atomic
def registry_fill(*, actor, rollout: Rollout, drafting_unit=None,
                  deadline: datetime.date | None = None) -> list[RegistryItem]:
    """Fill the registry in one step from the TTHC catalogue: one procedure to build for each
    published TTHC of the agency with no procedure in force and none in the registry yet, drafted by
    ``drafting_unit`` by ``deadline`` (both changed per procedure afterwards). Returns the new rows."""
    require(actor, "rollout.change_rollout", rollout)
    locked = Rollout.objects.select_for_update().get(pk=rollout.pk)
    if locked.status != RolloutStatus.IN_PROGRESS:
        raise Conflict(_("This rollout is completed; its registry no longer changes."), code="wrong_status")
    _check_unit(locked.agency_id, drafting_unit)
    if deadline is not None and deadline < locked.started_on:
        raise _invalid("deadline", _("The deadline cannot come before the rollout starts."))
    number = _next_number(locked)
    created = []
    for offset, tthc in enumerate(catalogue_gaps(locked)):
        created.append(RegistryItem(
            rollout=locked, number=number + offset, title=(_("Procedure for resolving: %(name)s") % {
                "name": tthc.name})[:500], admin_procedure=tthc, drafting_unit=drafting_unit, deadline=deadline))
    for item in created:
        item.save()
    if created:
        audit_record(actor=actor, action="fill_registry", obj=locked,
                     changes={"registry": [None, ", ".join(i.admin_procedure.code for i in created)[:2000]]})
    return created


@transaction.atomic
def registry_item_add(*, actor, rollout: Rollout, title: str, admin_procedure=None, drafting_unit=None,
                      deadline: datetime.date | None = None, notes: str = "") -> RegistryItem:
    """Add one procedure by hand (a system procedure, an internal process, or one TTHC)."""
    require(actor, "rollout.change_rollout", rollout)
    locked = Rollout.objects.select_for_update().get(pk=rollout.pk)
    if locked.status != RolloutStatus.IN_PROGRESS:
        raise Conflict(_("This rollout is completed; its registry no longer changes."), code="wrong_status")
    _check_unit(locked.agency_id, drafting_unit)
    if admin_procedure is not None and admin_procedure.agency_id != locked.agency_id:
        raise _invalid("admin_procedure", _("The TTHC belongs to another agency."))
    return model_create(model=RegistryItem, actor=actor, data=_strip({
        "rollout": locked, "number": _next_number(locked), "title": title or "", "admin_procedure": admin_procedure,
        "drafting_unit": drafting_unit, "deadline": deadline, "notes": notes or ""}, "title", "notes"))


@transaction.atomic
def registry_item_update(*, actor, item: RegistryItem, **data) -> RegistryItem:
    """Change a procedure's title, drafting unit, deadline or notes."""
    require(actor, "rollout.change_rollout", item)
    locked = RegistryItem.objects.select_for_update(of=("self",)).select_related("rollout").get(pk=item.pk)
    if "drafting_unit" in data:
        _check_unit(locked.rollout.agency_id, data["drafting_unit"])
    _strip(data, "title", "notes")
    locked, _changes = model_update(obj=locked, data=data, fields=ITEM_FIELDS, actor=actor)
    return locked


@transaction.atomic
def registry_item_remove(*, actor, item: RegistryItem) -> None:
    """Take a procedure out of the registry while no work has started on it."""
    require(actor, "rollout.change_rollout", item)
    locked = RegistryItem.objects.select_for_update(of=("self",)).select_related("rollout").get(pk=item.pk)
    if locked.status != ItemStatus.NOT_STARTED:
        raise Conflict(_("Only a procedure not started yet can be taken out of the registry."), code="wrong_status")
    audit_record(actor=actor, action="delete", obj=locked.rollout, changes={"registry": [str(locked), None]})
    locked.delete()


def _check_document(item: RegistryItem, document) -> DocumentRevision:
    if document is None:
        raise _invalid("document", _("Choose the document the procedure was issued as."))
    if document.agency_id != item.rollout.agency_id:
        raise _invalid("document", _("The document belongs to another agency."))
    if document.kind not in PROCEDURE_KINDS:
        raise _invalid("document", _("Choose a procedure, not a form or a record."))
    revision = (DocumentRevision.objects.filter(document=document, status=RevisionStatus.EFFECTIVE)
                .order_by("-effective_date").first())
    if revision is None:
        raise _invalid("document", _("This document has no revision in force yet: issue it first."))
    return revision


@transaction.atomic
def registry_item_transition(*, actor, item: RegistryItem, status: str, document=None,
                             issued_on: datetime.date | None = None,
                             today: datetime.date | None = None) -> RegistryItem:
    """Move a procedure along not started → drafting → in review → issued (back one step when a
    draft returns). Issuing names the document in force and the date; a TTHC without an
    operational procedure gets this one."""
    locked = (RegistryItem.objects.select_for_update(of=("self",)).select_related("rollout", "admin_procedure")
              .get(pk=item.pk))
    if status not in ItemStatus.values:
        raise _invalid("status", _("Unknown status."))
    require(actor, "rollout.change_rollout" if status == ItemStatus.ISSUED else "rollout.progress_registryitem",
            locked)
    if locked.rollout.status != RolloutStatus.IN_PROGRESS:
        raise Conflict(_("This rollout is completed; its registry no longer changes."), code="wrong_status")
    if status not in ITEM_TRANSITIONS.get(locked.status, ()):
        raise Conflict(_("A procedure that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ItemStatus(locked.status).label, "to": ItemStatus(status).label}, code="wrong_status")
    today = today or timezone.localdate()
    before = locked.status
    changes = {"status": [str(ItemStatus(before).label), str(ItemStatus(status).label)]}
    fields = ["status", "status_changed_on"]
    if status == ItemStatus.ISSUED:
        revision = _check_document(locked, document)
        issued_on = issued_on or revision.effective_date or today
        if issued_on > today:
            raise _invalid("issued_on", _("The issue date cannot be in the future."))
        locked.document, locked.issued_on = document, issued_on
        fields += ["document", "issued_on"]
        changes["document"] = [None, str(document.code)]
    locked.status, locked.status_changed_on = status, today
    locked.save(update_fields=fields)
    audit_record(actor=actor, action="transition", obj=locked, changes=changes)
    tthc = locked.admin_procedure
    if (status == ItemStatus.ISSUED and tthc is not None and tthc.process_document_id is None
            and document.kind == DocumentKind.OPERATIONAL_PROCEDURE
            and (actor is None or actor.has_perm("procedures.change_adminprocedure", tthc))):
        admin_procedure_update(actor=actor, procedure=tthc, process_document=document,
                               note=_("Issued under the rollout's procedure registry."))
    return locked


# --- the gap survey ---------------------------------------------------------------------------------

def survey_clauses(agency=None):
    """The clauses a gap survey assesses: those of the edition the agency follows (2015 unless it
    recorded another), less the clauses it declared not applicable."""
    return audit_selectors.applicable_clauses(agency)


@transaction.atomic
def gap_survey_create(*, actor, rollout: Rollout, title: str, surveyed_on: datetime.date,
                      notes: str = "") -> GapSurvey:
    """Open a gap survey with one row per clause, each not assessed yet."""
    require(actor, "rollout.change_rollout", rollout)
    if surveyed_on is not None and surveyed_on > timezone.localdate():
        raise _invalid("surveyed_on", _("The survey cannot be dated in the future."))
    survey = model_create(model=GapSurvey, actor=actor, data=_strip({
        "rollout": rollout, "title": title or "", "surveyed_on": surveyed_on, "notes": notes or "",
        "created_by": actor if getattr(actor, "pk", None) else None}, "title", "notes"))
    GapAssessment.objects.bulk_create([GapAssessment(survey=survey, clause=c) for c in survey_clauses(rollout.agency)])
    return survey


@transaction.atomic
def gap_assessment_set(*, actor, assessment: GapAssessment, result: str, notes: str = "") -> GapAssessment:
    require(actor, "rollout.change_rollout", assessment)
    if result not in GapResult.values:
        raise _invalid("result", _("Choose conforms, partly conforms or does not conform."))
    locked = (GapAssessment.objects.select_for_update(of=("self",)).select_related("survey__rollout")
              .get(pk=assessment.pk))
    locked, _changes = model_update(obj=locked, data=_strip({"result": result, "notes": notes or ""}, "notes"),
                                    fields=["result", "notes"], actor=actor)
    return locked


@transaction.atomic
def gap_survey_assess(*, actor, survey: GapSurvey, answers: dict[int, tuple[str, str]]) -> int:
    """Record many clauses of a survey at once (``{assessment id: (result, notes)}``): every answer
    is checked before any is written. Returns how many changed."""
    require(actor, "rollout.change_rollout", survey)
    rows = {a.pk: a for a in GapAssessment.objects.select_for_update().filter(survey=survey, pk__in=list(answers))}
    errors = {}
    for pk, (result, notes) in answers.items():
        if pk not in rows:
            errors[f"assessment_{pk}"] = [_("This clause is not in the survey.")]
        elif result not in GapResult.values:
            errors[f"result_{pk}"] = [_("Choose conforms, partly conforms or does not conform.")]
        elif len(notes or "") > 10_000:
            errors[f"notes_{pk}"] = [_("At most 10,000 characters.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    changed = 0
    for pk, (result, notes) in answers.items():
        _row, changes = model_update(obj=rows[pk], data={"result": result, "notes": (notes or "").strip()},
                                     fields=["result", "notes"], actor=actor)
        changed += bool(changes)
    return changed
