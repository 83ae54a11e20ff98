"""Writes of internal audits: clauses not applicable, programmes and their entries, audits (scope,
dates, team, status), checklists and findings. Each function checks the actor's permission,
runs in one transaction and leaves an audit trail row."""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.audits.choices import (
    AUDIT_TRANSITIONS,
    FIELDWORK_STATUSES,
    PLANNING_STATUSES,
    AuditAction,
    AuditStatus,
    ChecklistAnswer,
    FindingKind,
    TeamRole,
)
from eiso.audits.clauses import relink_map
from eiso.audits.models import (
    Audit,
    AuditProgramme,
    AuditTeamMember,
    ChecklistFile,
    ChecklistItem,
    Clause,
    ClauseExclusion,
    EditionAdoption,
    Finding,
    ProgrammeEntry,
)
from eiso.audits.planning import checklist_questions, independence_conflicts, suggested_frequency
from eiso.audits.selectors import current_edition, units_of_people
from eiso.core.advisories import advisories_for
from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import full_clean, model_create, model_update, save_checked
from eiso.core.uploads import inspect_upload
from eiso.organizations.choices import Role

IMAGE_SIGNATURES = {"jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
EVIDENCE_TYPES = ("jpg", "png", "pdf", "docx", "xlsx")




def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# --- clauses not applicable ---------------------------------------------------------------------------

@transaction.atomic
def clause_exclusion_create(*, actor, agency, clause, justification: str) -> ClauseExclusion:
    require(actor, "audits.change_clauseexclusion", agency)
    justification = (justification or "").strip()
    if not justification:
        raise _invalid("justification", _("Say why the clause does not apply."))
    if clause.code.split(".")[0] in ("4", "5", "9", "10"):
        # Only clauses of 6–8 can be outside a QMS in practice; 4, 5, 9 and 10 always apply.
        raise _invalid("clause", _("Clause %(code)s always applies and cannot be declared not applicable.")
                       % {"code": clause.code})
    return model_create(model=ClauseExclusion, actor=actor, data={
        "agency": agency, "clause": clause, "justification": justification,
        "declared_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def clause_exclusion_delete(*, actor, exclusion: ClauseExclusion) -> None:
    require(actor, "audits.change_clauseexclusion", exclusion.agency)
    audit_record(actor=actor, action="delete", obj=exclusion,
                 changes={"clause": [exclusion.clause.code, None]}, agency=exclusion.agency)
    exclusion.delete()


# --- ISO 9001 editions ---------------------------------------------------------------------------------

@transaction.atomic
def edition_adopt(*, actor, agency, edition, adopted_on, note: str = "") -> EditionAdoption:
    """The agency follows ``edition`` from ``adopted_on``. Its audits still open (not closed), their
    checklist questions and findings, and its clauses declared not applicable are re-linked to the
    clause of the new edition the correspondence gives; a closed audit keeps the edition it was run
    against. Only a move to a later edition: the correspondence runs forward."""
    require(actor, "audits.change_editionadoption", agency)
    current = current_edition(agency)
    if edition.pk == current.pk:
        raise _invalid("edition", _("The agency already follows %(name)s.") % {"name": edition.name})
    try:
        mapping = relink_map(current.code, edition.code)
    except ValueError:
        raise _invalid("edition", _("An agency moves only to a later edition: it follows %(name)s.")
                       % {"name": current.name})
    last = EditionAdoption.objects.filter(agency=agency).order_by("-adopted_on").first()
    if adopted_on is None:
        raise _invalid("adopted_on", _("Give the date from which the agency follows the edition."))
    if last is not None and adopted_on < last.adopted_on:
        raise _invalid("adopted_on", _("The date cannot be before %(date)s, when the agency adopted %(name)s.")
                       % {"date": last.adopted_on.strftime("%d/%m/%Y"), "name": last.edition.name})
    relinked = _clauses_relink(agency, current, edition, mapping)
    adoption = model_create(model=EditionAdoption, actor=actor, data={
        "agency": agency, "edition": edition, "adopted_on": adopted_on, "note": (note or "").strip(),
        "relinked": relinked, "recorded_by": actor if getattr(actor, "pk", None) else None})
    audit_record(actor=actor, action="update", obj=agency, agency=agency,
                 changes={"iso_edition": [current.code, edition.code], "relinked": relinked})
    return adoption


def _clauses_relink(agency, old_edition, new_edition, mapping: dict[str, str]) -> dict[str, int]:
    new_ids = dict(Clause.objects.filter(edition=new_edition).values_list("code", "pk"))
    target = {pk: new_ids[mapping[code]]
              for pk, code in Clause.objects.filter(edition=old_edition).values_list("pk", "code")
              if mapping.get(code) in new_ids}
    open_audits = Audit.objects.filter(agency=agency).exclude(status=AuditStatus.CLOSED)
    counts = {"audits": 0, "checklist": 0, "findings": 0, "exclusions": 0}
    for old_id, new_id in target.items():
        counts["checklist"] += ChecklistItem.objects.filter(audit__in=open_audits, clause_id=old_id).update(
            clause_id=new_id)
        counts["findings"] += Finding.objects.filter(audit__in=open_audits, clause_id=old_id).update(
            clause_id=new_id)
    for audit in open_audits.prefetch_related("clauses"):
        old = {c.pk for c in audit.clauses.all()}
        new = {target.get(pk, pk) for pk in old}
        if new != old:
            audit.clauses.set(new)
            counts["audits"] += 1
    kept = set(ClauseExclusion.objects.filter(agency=agency, clause__edition=new_edition)
               .values_list("clause_id", flat=True))
    for exclusion in ClauseExclusion.objects.filter(agency=agency, clause__edition=old_edition).order_by("id"):
        new_id = target.get(exclusion.clause_id)
        if new_id is None or new_id in kept:  # two old clauses met in one new clause: one declaration
            exclusion.delete()
            continue
        kept.add(new_id)
        exclusion.clause_id = new_id
        exclusion.save(update_fields=["clause"])
        counts["exclusions"] += 1
    return counts


# --- programmes ---------------------------------------------------------------------------------------

PROGRAMME_FIELDS = ["year", "title", "objectives"]


@transaction.atomic
def programme_create(*, actor, agency, year: int, title: str, objectives: str = "") -> AuditProgramme:
    require(actor, "audits.add_auditprogramme", agency)
    return model_create(model=AuditProgramme, actor=actor, data={
        "agency": agency, "year": year, "title": (title or "").strip(), "objectives": objectives or "",
        "created_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def programme_update(*, actor, programme: AuditProgramme, **data) -> AuditProgramme:
    require(actor, "audits.change_auditprogramme", programme)
    programme, _changes = model_update(obj=_lock(AuditProgramme, programme), data=data,
                                       fields=PROGRAMME_FIELDS, actor=actor)
    return programme


@transaction.atomic
def programme_entry_add(*, actor, programme: AuditProgramme, planned_month: int, unit=None, admin_procedure=None,
                        process: str = "", importance: str = "medium", past_result: str = "new",
                        times_per_year: int | None = None, note: str = "") -> ProgrammeEntry:
    """A line of the programme; its frequency follows importance and past results unless given."""
    require(actor, "audits.change_auditprogramme", programme)
    if unit is None and admin_procedure is None and not (process or "").strip():
        raise _invalid("unit", _("Name the unit, the procedure or the process to audit."))
    for obj, field in ((unit, "unit"), (admin_procedure, "admin_procedure")):
        if obj is not None and obj.agency_id != programme.agency_id:
            raise _invalid(field, _("Choose one of the agency's own."))
    return model_create(model=ProgrammeEntry, actor=actor, data={
        "programme": programme, "unit": unit, "admin_procedure": admin_procedure, "process": (process or "").strip(),
        "planned_month": planned_month, "importance": importance, "past_result": past_result,
        "times_per_year": times_per_year or suggested_frequency(importance, past_result), "note": note or ""})


@transaction.atomic
def programme_entry_delete(*, actor, entry: ProgrammeEntry) -> None:
    require(actor, "audits.change_auditprogramme", entry.programme)
    audit_record(actor=actor, action="delete", obj=entry, changes={"entry": [str(entry), None]},
                 agency=entry.programme.agency_id)
    entry.delete()


# --- audits: scope, dates, team ----------------------------------------------------------------------

def _check_people(agency, lead_auditor, members) -> None:
    """The lead and the members are internal auditors of the agency; the lead is not also a member."""
    for person, field in [(lead_auditor, "lead_auditor")] + [(m, "members") for m in members]:
        membership = person.membership
        if membership is None or membership.agency_id != agency.pk or Role.AUDITOR not in membership.roles:
            raise _invalid(field, _("%(person)s is not an internal auditor of %(agency)s.") % {
                "person": person.get_full_name() or person.get_username(), "agency": agency.name})
    if any(m.pk == lead_auditor.pk for m in members):
        raise _invalid("members", _("%(person)s is the lead auditor; an audit has exactly one lead, "
                                    "who is not listed again as a member.")
                       % {"person": lead_auditor.get_full_name() or lead_auditor.get_username()})


def _check_training(agency, people, field_of) -> None:
    """What later apps say of the team (``audits.team``: training records); a blocking advisory
    (an agency that requires internal auditor training) refuses the team, naming the person.
    ``field_of(person_id)``: the form field the refusal belongs to."""
    for advisory in advisories_for("audits.team", agency=agency, people=list(people)):
        if advisory.blocking:
            field = field_of(advisory.person_id)
            raise ValidationFailed(advisory.message, code="not_trained", errors={field: [advisory.message]})


def team_advisories(audit) -> list[str]:
    """The warnings about an audit's team (a member without internal auditor training on record),
    for the page and the API to show beside the saved plan."""
    people = [audit.lead_auditor, *(m.user for m in audit.members.select_related("user"))]
    return [a.message for a in advisories_for("audits.team", agency=audit.agency, people=people)]


def _check_independence(lead_auditor, members, units) -> None:
    """Refuse any auditor who belongs to a unit the audit covers (ISO 9001 9.2.2 c)."""
    people = [lead_auditor, *members]
    conflicts = independence_conflicts(
        [(p.pk, p.get_full_name() or p.get_username()) for p in people],
        units_of_people(p.pk for p in people),
        {u.pk: u.name for u in units},
    )
    if conflicts:
        first = conflicts[0]
        message = _("%(person)s cannot audit their own unit (%(unit)s): auditors must be independent of "
                    "the work they audit.") % {"person": first.person, "unit": first.unit}
        lead_name = lead_auditor.get_full_name() or lead_auditor.get_username()
        field = "lead_auditor" if first.person == lead_name else "members"
        raise ValidationFailed(message, code="not_independent", errors={field: [message]})


def _check_scope(agency, units, admin_procedures, clauses) -> None:
    for objs, field in ((units, "units"), (admin_procedures, "admin_procedures")):
        if any(o.agency_id != agency.pk for o in objs):
            raise _invalid(field, _("Choose one of the agency's own."))
    excluded = set(ClauseExclusion.objects.filter(agency=agency).values_list("clause_id", flat=True))
    for clause in clauses:
        if clause.pk in excluded:
            raise _invalid("clauses", _("Clause %(code)s is declared not applicable to the agency.")
                           % {"code": clause.code})
    if not units and not admin_procedures and not clauses:
        raise _invalid("units", _("Give the audit a scope: units, procedures or clauses."))


def _set_scope_and_team(audit, *, units, admin_procedures, clauses, members) -> dict:
    before = {"units": sorted(u.name for u in audit.units.all()),
              "admin_procedures": sorted(p.code for p in audit.admin_procedures.all()),
              "clauses": sorted(c.code for c in audit.clauses.all()),
              "members": sorted(str(m.user) for m in audit.members.select_related("user"))}
    audit.units.set(units)
    audit.admin_procedures.set(admin_procedures)
    audit.clauses.set(clauses)
    keep = {m.pk for m in members}
    audit.members.exclude(user_id__in=keep).delete()
    existing = set(audit.members.values_list("user_id", flat=True))
    AuditTeamMember.objects.bulk_create(
        [AuditTeamMember(audit=audit, user=m, role=TeamRole.AUDITOR) for m in members if m.pk not in existing])
    after = {"units": sorted(u.name for u in units), "admin_procedures": sorted(p.code for p in admin_procedures),
             "clauses": sorted(c.code for c in clauses), "members": sorted(str(m) for m in members)}
    return {k: [before[k], after[k]] for k in after if before[k] != after[k]}


def _check_dates(start_date, end_date, year: int | None = None) -> None:
    if start_date and end_date and end_date < start_date:
        raise _invalid("end_date", _("The end date cannot be before the start date."))
    if year is not None:
        for field, day in (("start_date", start_date), ("end_date", end_date)):
            if day and day.year != year:
                raise _invalid(field, _("The audit must take place in its programme's year (%(year)s).")
                               % {"year": year})


@transaction.atomic
def audit_create(*, actor, programme: AuditProgramme, title: str, start_date, end_date, lead_auditor,
                 members=(), units=(), admin_procedures=(), clauses=(), objectives: str = "",
                 criteria: str = "TCVN ISO 9001:2015") -> Audit:
    """Plan an audit of the programme: scope, dates, exactly one lead auditor and the team.
    Nobody audits their own unit."""
    require(actor, "audits.add_audit", programme)
    agency = programme.agency
    members, units, admin_procedures, clauses = list(members), list(units), list(admin_procedures), list(clauses)
    _check_dates(start_date, end_date, programme.year)
    _check_people(agency, lead_auditor, members)
    _check_training(agency, [lead_auditor, *members],
                    lambda pk: "lead_auditor" if pk == lead_auditor.pk else "members")
    _check_scope(agency, units, admin_procedures, clauses)
    _check_independence(lead_auditor, members, units)
    programme = _lock(AuditProgramme, programme)
    number = (programme.audits.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    audit = Audit(agency=agency, programme=programme, number=number, title=(title or "").strip(),
                  objectives=objectives or "", criteria=criteria or "", start_date=start_date, end_date=end_date,
                  lead_auditor=lead_auditor, created_by=actor if getattr(actor, "pk", None) else None)
    full_clean(audit)
    save_checked(audit)
    changes = {"title": [None, audit.title], "start_date": [None, str(start_date)],
               "end_date": [None, str(end_date)], "lead_auditor": [None, str(lead_auditor)]}
    changes.update(_set_scope_and_team(audit, units=units, admin_procedures=admin_procedures, clauses=clauses,
                                       members=members))
    audit_record(actor=actor, action="create", obj=audit, changes=changes)
    return audit


AUDIT_FIELDS = ["title", "objectives", "criteria", "start_date", "end_date", "lead_auditor"]


@transaction.atomic
def audit_update(*, actor, audit: Audit, title: str, start_date, end_date, lead_auditor, members=(), units=(),
                 admin_procedures=(), clauses=(), objectives: str = "", criteria: str = "") -> Audit:
    """Change the plan of an audit that has not started."""
    require(actor, "audits.change_audit", audit)
    audit = _lock(Audit, audit)
    if audit.status not in PLANNING_STATUSES:
        raise Conflict(_("The audit has started; its scope, dates and team can no longer change."))
    members, units, admin_procedures, clauses = list(members), list(units), list(admin_procedures), list(clauses)
    _check_dates(start_date, end_date, audit.programme.year)
    _check_people(audit.agency, lead_auditor, members)
    _check_training(audit.agency, [lead_auditor, *members],
                    lambda pk: "lead_auditor" if pk == lead_auditor.pk else "members")
    _check_scope(audit.agency, units, admin_procedures, clauses)
    _check_independence(lead_auditor, members, units)
    audit, changes = model_update(obj=audit, actor=actor, fields=AUDIT_FIELDS, data={
        "title": (title or "").strip(), "objectives": objectives or "", "criteria": criteria or "",
        "start_date": start_date, "end_date": end_date, "lead_auditor": lead_auditor})
    scope_changes = _set_scope_and_team(audit, units=units, admin_procedures=admin_procedures, clauses=clauses,
                                        members=members)
    if scope_changes:
        audit_record(actor=actor, action="update", obj=audit, changes=scope_changes)
    return audit


@transaction.atomic
def team_member_add(*, actor, audit: Audit, user, role: str = TeamRole.AUDITOR) -> AuditTeamMember:
    """Add one person to the team (the same checks as planning the whole audit)."""
    require(actor, "audits.change_audit", audit)
    audit = _lock(Audit, audit)
    if audit.status not in PLANNING_STATUSES:
        raise Conflict(_("The audit has started; its scope, dates and team can no longer change."))
    if audit.members.filter(user=user).exists():
        raise _invalid("user", _("This person is already in the team."))
    _check_people(audit.agency, audit.lead_auditor, [user])
    _check_training(audit.agency, [user], lambda pk: "user")
    _check_independence(audit.lead_auditor, [user], list(audit.units.all()))
    member = AuditTeamMember.objects.create(audit=audit, user=user, role=role)
    audit_record(actor=actor, action="update", obj=audit, changes={"members": [None, str(user)]})
    return member


def _generate_checklist(audit: Audit) -> int:
    clauses = list(audit.clauses.order_by("sort_key"))
    procedures = list(audit.admin_procedures.order_by("code"))
    questions = checklist_questions(
        [(c.pk, c.questions) for c in clauses],
        [(p.pk, f"{p.code} {p.name}") for p in procedures],
        _("Is the procedure {procedure} carried out as its operational procedure says (steps, time limits, "
          "forms, records)?"),
    )
    ChecklistItem.objects.bulk_create([
        ChecklistItem(audit=audit, position=i, clause_id=q.clause_id, admin_procedure_id=q.procedure_id,
                      question=q.text) for i, q in enumerate(questions, start=1)])
    return len(questions)


@transaction.atomic
def checklist_generate(*, actor, audit: Audit) -> int:
    """(Re)build the checklist of a planned audit from its clauses and procedures."""
    require(actor, "audits.change_audit", audit)
    audit = _lock(Audit, audit)
    if audit.status not in PLANNING_STATUSES and audit.checklist.exists():
        raise Conflict(_("The audit has started; its checklist is being filled."))
    audit.checklist.all().delete()
    count = _generate_checklist(audit)
    audit_record(actor=actor, action="update", obj=audit, changes={"checklist": [None, count]})
    return count


@transaction.atomic
def audit_transition(*, actor, audit: Audit, action: str, conclusion: str = "") -> Audit:
    """Start, report, close or reopen an audit. Starting builds the checklist when there is none;
    reporting records the conclusion and the time."""
    if action not in AUDIT_TRANSITIONS:
        raise _invalid("action", _("Unknown action."))
    require(actor, "audits.transition_audit", audit)
    audit = _lock(Audit, audit)
    sources, target = AUDIT_TRANSITIONS[action]
    if audit.status not in sources:
        raise Conflict(_("An audit that is %(status)s cannot be moved by “%(action)s”.") % {
            "status": AuditStatus(audit.status).label.lower(), "action": AuditAction(action).label})
    before = audit.status
    fields = ["status"]
    if action == AuditAction.START and not audit.checklist.exists():
        _generate_checklist(audit)
    if action == AuditAction.REPORT:
        conclusion = (conclusion or audit.conclusion or "").strip()
        if not conclusion:
            raise _invalid("conclusion", _("Write the audit's conclusion before issuing the report."))
        audit.conclusion, audit.reported_at = conclusion, timezone.now()
        fields += ["conclusion", "reported_at"]
    if action == AuditAction.CLOSE and actor is not None and not actor.has_perm("audits.change_audit", audit):
        raise Forbidden(_("Only the ISO secretary or the agency head closes an audit."))
    audit.status = target
    audit.save(update_fields=fields)
    audit_record(actor=actor, action=action, obj=audit, changes={"status": [before, target]})
    data_changed_announce(sender="audits", agency_id=audit.agency_id, topic="audits")
    return audit


# --- checklist and findings ----------------------------------------------------------------------------

def _require_fieldwork(audit: Audit) -> None:
    if audit.status not in FIELDWORK_STATUSES:
        raise Conflict(_("The checklist and findings are filled while the audit is in progress."))


def checklist_answer(*, actor, item: ChecklistItem, answer: str, evidence: str = "", uploaded=None) -> ChecklistItem:
    """Answer a checklist question, with a photo or file of evidence when ``uploaded``: both are saved
    or neither (a refused file leaves the answer as it was). The file is checked before the
    transaction opens."""
    if uploaded:
        require(actor, "audits.fill_checklist", item.audit)  # no file is read for someone who may not
    checked = inspect_evidence(uploaded) if uploaded else None
    with transaction.atomic():
        audit = _lock(Audit, item.audit)
        require(actor, "audits.fill_checklist", audit)
        _require_fieldwork(audit)
        if answer not in ChecklistAnswer.values:
            raise _invalid("answer", _("Choose an answer."))
        item, _changes = model_update(obj=_lock(ChecklistItem, item), actor=actor, fields=["answer", "evidence"],
                                      data={"answer": answer, "evidence": (evidence or "").strip()})
        ChecklistItem.objects.filter(pk=item.pk).update(
            answered_by=actor if getattr(actor, "pk", None) else None, answered_at=timezone.now())
        if checked:
            _attach(actor=actor, item=item, uploaded=uploaded, checked=checked)
    return item


def inspect_evidence(uploaded):
    """Type (by content), size and checksum of a photo or file of evidence: JPEG/PNG photos,
    PDF, Word and Excel files."""
    name = getattr(uploaded, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".").replace("jpeg", "jpg")
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    image_type = next((t for t, sigs in IMAGE_SIGNATURES.items() if any(head.startswith(s) for s in sigs)), None)
    if image_type is None and extension not in IMAGE_SIGNATURES:
        info = inspect_upload(uploaded, allowed=("pdf", "docx", "xlsx"))
        return info.file_type, info.size, info.sha256
    size = getattr(uploaded, "size", None) or 0
    if size == 0:
        raise _invalid("file", _("The file %(name)s is empty.") % {"name": name})
    if size > settings.EISO_MAX_UPLOAD_BYTES:
        raise _invalid("file", _("The file %(name)s is %(size)s; the limit is %(limit)s.") % {
            "name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.EISO_MAX_UPLOAD_BYTES)})
    if image_type is None or image_type != extension:
        raise _invalid("file", _("%(name)s is not a valid %(types)s file (its content was checked, not only its "
                                 "name).") % {"name": name, "types": "/".join(f".{t}" for t in EVIDENCE_TYPES)})
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return image_type, size, digest.hexdigest()


def checklist_attach(*, actor, item: ChecklistItem, uploaded) -> ChecklistFile:
    require(actor, "audits.fill_checklist", item.audit)
    checked = inspect_evidence(uploaded)
    with transaction.atomic():
        audit = _lock(Audit, item.audit)
        require(actor, "audits.fill_checklist", audit)
        _require_fieldwork(audit)
        return _attach(actor=actor, item=item, uploaded=uploaded, checked=checked)


def _attach(*, actor, item: ChecklistItem, uploaded, checked) -> ChecklistFile:
    file_type, size, sha256 = checked
    attachment = ChecklistFile(item=item, original_name=(getattr(uploaded, "name", "") or "")[-255:],
                               file_type=file_type, size=size, sha256=sha256,
                               uploaded_by=actor if getattr(actor, "pk", None) else None)
    attachment.file.save(attachment.original_name, uploaded, save=False)
    attachment.save()
    audit_record(actor=actor, action="attach", obj=item, agency=item.audit.agency_id,
                 changes={"file": [None, attachment.original_name]})
    return attachment


@transaction.atomic
def finding_create(*, actor, audit: Audit, kind: str, clause, unit, description: str, evidence: str = "",
                   admin_procedure=None, document=None, checklist_item=None) -> Finding:
    """A finding of an audit in progress, tied to a clause and one of the audited units."""
    require(actor, "audits.add_finding", audit)
    audit = _lock(Audit, audit)
    _require_fieldwork(audit)
    if kind not in FindingKind.values:
        raise _invalid("kind", _("Choose the kind of finding."))
    if unit is None or unit.agency_id != audit.agency_id:
        raise _invalid("unit", _("Choose one of the agency's units."))
    audited = set(audit.units.values_list("pk", flat=True))
    if audited and unit.pk not in audited:
        raise _invalid("unit", _("%(unit)s is not in the scope of this audit.") % {"unit": unit.name})
    for obj, field in ((admin_procedure, "admin_procedure"), (document, "document")):
        if obj is not None and obj.agency_id != audit.agency_id:
            raise _invalid(field, _("Choose one of the agency's own."))
    if checklist_item is not None and checklist_item.audit_id != audit.pk:
        raise _invalid("checklist_item", _("This question belongs to another audit."))
    if not (description or "").strip():
        raise _invalid("description", _("Describe the finding."))
    number = (audit.findings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return model_create(model=Finding, actor=actor, data={
        "audit": audit, "number": number, "kind": kind, "clause": clause, "unit": unit,
        "admin_procedure": admin_procedure, "document": document, "checklist_item": checklist_item,
        "description": description.strip(), "evidence": (evidence or "").strip(),
        "created_by": actor if getattr(actor, "pk", None) else None})
