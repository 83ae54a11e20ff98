"""Writes of training and competence: courses, sessions, invitations and attendance (a briefing's
attendance acknowledges its revision), results and certificates, requirements, position holders,
actions to close gaps, onboarding and the agency's settings. Each function checks the actor's
permission, runs in one transaction and leaves an audit row."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import full_clean, model_create, model_update, save_checked
from eiso.core.uploads import inspect_upload
from eiso.documents.choices import PROCEDURE_KINDS, DocumentKind, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.documents.services.revisions import distribution_acknowledge_for, distribution_add
from eiso.organizations.models import Membership
from eiso.people import competence
from eiso.people.choices import AttendanceStatus, GapActionStatus
from eiso.people.models import (
    Attendance,
    CompetenceRequirement,
    Course,
    GapAction,
    Onboarding,
    PeopleSettings,
    PositionHolder,
    TrainingResult,
    TrainingSession,
)

COURSE_FIELDS = ["kind", "title", "provider", "start_date", "end_date", "hours", "validity_months", "description"]
MAX_INVITED = 2000


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


def _name(person) -> str:
    return person.get_full_name() or person.get_username()


def _works_in(person, agency) -> Membership | None:
    m = person.membership
    return m if m is not None and m.agency_id == agency.pk and person.is_active else None


def _require_member(person, agency, field: str) -> Membership:
    m = _works_in(person, agency)
    if m is None:
        raise _invalid(field, _("%(person)s does not work in %(agency)s.") % {"person": _name(person),
                                                                              "agency": agency.name})
    return m


def _check_course(data: dict) -> None:
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise _invalid("end_date", _("The end date cannot be before the start date."))
    if data.get("kind") is not None and not data["kind"].is_active:
        raise _invalid("kind", _("This kind of course is no longer used."))


# --- courses -------------------------------------------------------------------------------------------

@transaction.atomic
def course_create(*, actor, agency, **data) -> Course:
    """Plan a course of the agency (kind, provider, dates, hours, validity)."""
    require(actor, "people.add_course", agency)
    clean = {k: v for k, v in data.items() if k in COURSE_FIELDS}
    for key in ("title", "provider", "description"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip()
    _check_course(clean)
    return model_create(model=Course, actor=actor, data={
        "agency": agency, **clean, "created_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def course_update(*, actor, course: Course, **data) -> Course:
    require(actor, "people.change_course", course)
    course = Course.objects.select_for_update().get(pk=course.pk)
    merged = {f: data.get(f, getattr(course, f)) for f in COURSE_FIELDS}
    _check_course(merged)
    course, _changes = model_update(obj=course, actor=actor, fields=COURSE_FIELDS, data=data)
    return course


# --- sessions, invitations, attendance ----------------------------------------------------------------------

def _briefed_people(revision: DocumentRevision) -> list:
    """The people a revision concerns: its reading list when it is in force, else the members of the
    document's distribution units (the whole agency when none are set)."""
    document = revision.document
    memberships = Membership.objects.filter(agency_id=document.agency_id, valid_to__isnull=True,
                                            user__is_active=True).select_related("user")
    units = list(document.distribution_units.values_list("pk", flat=True))
    if units:
        memberships = memberships.filter(unit_id__in=units)
    people = {m.user_id: m.user for m in memberships}
    for entry in revision.distribution.select_related("user").filter(user__is_active=True):
        people.setdefault(entry.user_id, entry.user)
    return list(people.values())


@transaction.atomic
def session_create(*, actor, course: Course, date: datetime.date, place: str = "", trainer: str = "",
                   revision: DocumentRevision | None = None) -> TrainingSession:
    """Hold a session of the course. A briefing session attached to a revision coming into force
    invites everyone the revision concerns."""
    require(actor, "people.change_course", course)
    course = Course.objects.select_for_update(of=("self",)).select_related("kind", "agency").get(pk=course.pk)
    if date is None:
        raise _invalid("date", _("Give the date of the session."))
    if revision is not None:
        if revision.document.agency_id != course.agency_id:
            raise _invalid("revision", _("The revision belongs to another agency."))
        if revision.status not in (RevisionStatus.APPROVED, RevisionStatus.EFFECTIVE):
            raise _invalid("revision", _("Only an approved revision or one in force can be briefed."))
        if not course.kind.is_briefing:
            raise _invalid("revision", _("Only a procedure briefing presents a revision; change the kind of "
                                         "course first."))
    session = TrainingSession(course=course, date=date, place=(place or "").strip(), trainer=(trainer or "").strip(),
                              revision=revision)
    full_clean(session)
    save_checked(session)
    audit_record(actor=actor, action="create", obj=session, agency=course.agency_id, changes={
        "date": [None, date.isoformat()], "revision": [None, str(revision) if revision else None]})
    if revision is not None:
        _invite(actor, session, _briefed_people(revision))
    return session


def _invite(actor, session: TrainingSession, people) -> int:
    existing = set(session.attendance.values_list("user_id", flat=True))
    rows = [Attendance(session=session, user=p) for p in {p.pk: p for p in people}.values() if p.pk not in existing]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        audit_record(actor=actor, action="invite", obj=session, agency=session.course.agency_id,
                     changes={"invited": [None, sorted(str(r.user) for r in rows)]})
    return len(rows)


@transaction.atomic
def attendance_invite(*, actor, session: TrainingSession, people=(), unit=None) -> int:
    """Invite people (and/or everyone of a unit) to a session; those already invited stay as they
    are. Returns how many were invited."""
    require(actor, "people.change_course", session)
    session = TrainingSession.objects.select_for_update(of=("self",)).select_related("course__agency").get(
        pk=session.pk)
    agency = session.course.agency
    people = list(people)
    if unit is not None:
        if unit.agency_id != agency.pk:
            raise _invalid("unit", _("The unit belongs to another agency."))
        people += [m.user for m in Membership.objects.filter(unit=unit, valid_to__isnull=True, user__is_active=True)
                   .select_related("user")]
    if not people:
        raise _invalid("people", _("Choose the people to invite, or a unit."))
    if len(people) > MAX_INVITED:
        raise _invalid("people", _("Invite at most %(n)s people at a time.") % {"n": MAX_INVITED})
    for person in people:
        _require_member(person, agency, "people")
    return _invite(actor, session, people)


@transaction.atomic
def attendance_record(*, actor, session: TrainingSession, marks, today: datetime.date | None = None) -> int:
    """Record who was present and who absent (``marks``: pairs of person and status). Everyone
    marked must have been invited; a session still to come records nothing. At a briefing, being
    present acknowledges the revision. Returns how many rows changed."""
    require(actor, "people.change_course", session)
    session = TrainingSession.objects.select_for_update(of=("self",)).select_related(
        "course", "revision", "revision__document").get(pk=session.pk)
    today = today or timezone.localdate()
    marks = list(marks)
    if not marks:
        raise _invalid("marks", _("Mark at least one person present or absent."))
    if session.date > today:
        raise Conflict(_("The session takes place on %(day)s: record attendance once it has been held.")
                       % {"day": session.date.strftime("%d/%m/%Y")}, code="not_held")
    rows = {a.user_id: a for a in session.attendance.select_for_update(of=("self",)).select_related("user")}
    changed, present = [], []
    for person, status in marks:
        if status not in (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.INVITED):
            raise _invalid("marks", _("Unknown attendance status: %(status)s.") % {"status": status})
        row = rows.get(person.pk)
        if row is None:
            raise _invalid("marks", _("%(person)s was not invited to this session.") % {"person": _name(person)})
        if row.status != status:
            changed.append((row, row.status, status))
            row.status, row.updated_at = status, timezone.now()
        if status == AttendanceStatus.PRESENT:
            present.append(row.user)
    Attendance.objects.bulk_update([r for r, _b, _a in changed], ["status", "updated_at"])
    if changed:
        audit_record(actor=actor, action="attendance", obj=session, agency=session.course.agency_id,
                     changes={str(r.user): [before, after] for r, before, after in changed})
    if session.revision is not None and present:
        distribution_acknowledge_for(
            actor=actor, revision=session.revision, users=present,
            note=_("Present at the briefing of %(day)s") % {"day": session.date.strftime("%d/%m/%Y")})
    return len(changed)


# --- results and certificates ------------------------------------------------------------------------------

RESULT_FIELDS = ["passed", "score", "certificate_number", "issued_on", "valid_until"]


@transaction.atomic
def result_record(*, actor, course: Course, person, issued_on: datetime.date, passed: bool = True, score: str = "",
                  certificate_number: str = "", valid_until: datetime.date | None = None,
                  uploaded=None) -> TrainingResult:
    """Record (or correct) a person's result of a course, with the certificate file (PDF) when
    one was issued. Without a validity date the course's validity applies from the issue date."""
    require(actor, "people.change_course", course)
    course = Course.objects.select_for_update(of=("self",)).select_related("agency").get(pk=course.pk)
    _require_member(person, course.agency, "person")
    if issued_on is None:
        raise _invalid("issued_on", _("Give the date of the result."))
    if valid_until is None and course.validity_months:
        valid_until = competence.add_months(issued_on, course.validity_months) - datetime.timedelta(days=1)
    if valid_until is not None and valid_until < issued_on:
        raise _invalid("valid_until", _("A certificate cannot expire before it is issued."))
    info = inspect_upload(uploaded, allowed=("pdf",)) if uploaded is not None else None
    data = {"passed": bool(passed), "score": (score or "").strip(),
            "certificate_number": (certificate_number or "").strip(), "issued_on": issued_on,
            "valid_until": valid_until}
    result = TrainingResult.objects.select_for_update().filter(course=course, user=person).first()
    if result is None:
        result = TrainingResult(course=course, user=person, recorded_by=actor if getattr(actor, "pk", None) else None,
                                **data)
        if info:
            _attach(result, info, uploaded)
        full_clean(result)
        save_checked(result)
        audit_record(actor=actor, action="create", obj=result, agency=course.agency_id,
                     changes={k: [None, str(v)] for k, v in data.items()})
        return result
    result, _changes = model_update(obj=result, actor=actor, fields=RESULT_FIELDS, data=data)
    if info:
        old_name, storage = result.file.name, result.file.storage
        _attach(result, info, uploaded)
        result.save(update_fields=["file", "original_name", "file_type", "size", "sha256"])
        audit_record(actor=actor, action="file_add", obj=result, agency=course.agency_id,
                     changes={"file": [None, info.original_name]})
        if old_name:
            transaction.on_commit(lambda: storage.delete(old_name))
    return result


def _attach(result: TrainingResult, info, uploaded) -> None:
    result.original_name, result.file_type, result.size, result.sha256 = (
        info.original_name, info.file_type, info.size, info.sha256)
    uploaded.seek(0)
    result.file.save(f"{info.sha256[:16]}.{info.file_type}", uploaded, save=False)


# --- requirements and position holders ------------------------------------------------------------------------

@transaction.atomic
def requirement_add(*, actor, agency, kind, job_description=None, role: str = "", note: str = "") \
        -> CompetenceRequirement:
    """State a training a job requires (or everyone with a role, or everyone in the agency)."""
    require(actor, "people.change_requirement", agency)
    if job_description is not None and job_description.agency_id != agency.pk:
        raise _invalid("job_description", _("The job description belongs to another agency."))
    if job_description is not None and role:
        raise _invalid("role", _("Choose a job description or a role, not both."))
    if CompetenceRequirement.objects.filter(agency=agency, job_description=job_description, role=role or "",
                                            kind=kind).exists():
        raise _invalid("kind", _("This requirement is already recorded."))
    return model_create(model=CompetenceRequirement, actor=actor, data={
        "agency": agency, "job_description": job_description, "role": role or "", "kind": kind,
        "note": (note or "").strip()})


@transaction.atomic
def requirement_delete(*, actor, requirement: CompetenceRequirement) -> None:
    require(actor, "people.change_requirement", requirement)
    audit_record(actor=actor, action="delete", obj=requirement, changes={"kind": [str(requirement.kind), None]})
    requirement.delete()


@transaction.atomic
def holder_set(*, actor, job_description, person, since: datetime.date | None = None) -> PositionHolder:
    """Record that a person holds the position of a job description (their previous one ends)."""
    agency = job_description.agency
    require(actor, "people.change_requirement", agency)
    _require_member(person, agency, "person")
    current = PositionHolder.objects.select_for_update().filter(user=person).first()
    since = since or timezone.localdate()
    if current is not None:
        if current.job_description_id == job_description.pk:
            return current
        before = str(current.job_description)
        current.job_description, current.since = job_description, since
        current.save(update_fields=["job_description", "since"])
        audit_record(actor=actor, action="update", obj=current, agency=agency.pk,
                     changes={"job_description": [before, str(job_description)]})
        return current
    return model_create(model=PositionHolder, actor=actor, data={
        "job_description": job_description, "user": person, "since": since})


@transaction.atomic
def holder_remove(*, actor, holder: PositionHolder) -> None:
    require(actor, "people.change_requirement", holder)
    audit_record(actor=actor, action="delete", obj=holder, agency=holder.job_description.agency_id,
                 changes={"user": [str(holder.user), None]})
    holder.delete()


# --- actions to close gaps -----------------------------------------------------------------------------------

@transaction.atomic
def gap_action_create(*, actor, person, kind, action: str, due_on: datetime.date, owner=None,
                      course: Course | None = None) -> GapAction:
    """Plan how a person's gap will close: what, who arranges it, by when (a course, when one is planned)."""
    m = person.membership
    if m is None or m.unit is None:
        raise _invalid("person", _("%(person)s belongs to no unit.") % {"person": _name(person)})
    require(actor, "people.plan_gap", m.unit)
    agency = m.agency
    if owner is not None:
        _require_member(owner, agency, "owner")
    if course is not None and course.agency_id != agency.pk:
        raise _invalid("course", _("The course belongs to another agency."))
    if course is not None and course.kind_id != kind.pk:
        raise _invalid("course", _("The course is of another kind than the training required."))
    if due_on is None:
        raise _invalid("due_on", _("Give the date by which the gap closes."))
    action = (action or "").strip()
    if not action:
        raise _invalid("action", _("Say what will be done."))
    return model_create(model=GapAction, actor=actor, data={
        "agency": agency, "user": person, "kind": kind, "action": action, "owner": owner, "due_on": due_on,
        "course": course})


@transaction.atomic
def gap_action_complete(*, actor, gap_action: GapAction) -> GapAction:
    require(actor, "people.change_gapaction", gap_action)
    locked = GapAction.objects.select_for_update().get(pk=gap_action.pk)
    if locked.status == GapActionStatus.DONE:
        raise Conflict(_("This action is already done."), code="wrong_status")
    locked, _changes = model_update(obj=locked, actor=actor, fields=["status"], data={"status": GapActionStatus.DONE})
    return locked


# --- onboarding --------------------------------------------------------------------------------------------

def onboarding_revisions(agency, unit) -> list[DocumentRevision]:
    """What a newcomer reads: the quality policy and objectives in force, and the procedures in
    force of their unit."""
    effective = DocumentRevision.objects.filter(document__agency=agency, status=RevisionStatus.EFFECTIVE)
    wanted = list(effective.filter(document__kind__in=(DocumentKind.POLICY, DocumentKind.OBJECTIVES)))
    if unit is not None:
        wanted += list(effective.filter(document__kind__in=PROCEDURE_KINDS, document__owner_unit=unit))
    return sorted({r.pk: r for r in wanted}.values(), key=lambda r: r.pk)


@transaction.atomic
def onboarding_start(*, actor, person, started_on: datetime.date | None = None) -> Onboarding:
    """Start a newcomer's onboarding: the policy, the objectives and their unit's procedures go on
    their reading list (they acknowledge each as they read it)."""
    m = person.membership
    if m is None or not person.is_active:
        raise _invalid("person", _("%(person)s works in no agency.") % {"person": _name(person)})
    if m.unit is None:
        raise _invalid("person", _("%(person)s belongs to no unit.") % {"person": _name(person)})
    require(actor, "people.add_onboarding", m.unit)
    if Onboarding.objects.filter(user=person).exists():
        raise _invalid("person", _("%(person)s's onboarding has already started.") % {"person": _name(person)})
    revisions = onboarding_revisions(m.agency, m.unit)
    if not revisions:
        raise Conflict(_("The agency has no quality policy, objectives or procedures of this unit in force to "
                         "read yet."), code="nothing_to_read")
    onboarding = model_create(model=Onboarding, actor=actor, data={
        "agency": m.agency, "unit": m.unit, "user": person, "started_on": started_on or timezone.localdate(),
        "created_by": actor if getattr(actor, "pk", None) else None})
    onboarding.revisions.set(revisions)
    for revision in revisions:
        distribution_add(actor=actor, revision=revision, users=[person])
    return onboarding


# --- settings ----------------------------------------------------------------------------------------------

@transaction.atomic
def settings_update(*, actor, agency, auditor_training_required: bool) -> PeopleSettings:
    require(actor, "people.change_settings", agency)
    current = PeopleSettings.objects.select_for_update().filter(agency=agency).first()
    if current is None:
        return model_create(model=PeopleSettings, actor=actor, data={
            "agency": agency, "auditor_training_required": bool(auditor_training_required)})
    current, _changes = model_update(obj=current, actor=actor, fields=["auditor_training_required"],
                                     data={"auditor_training_required": bool(auditor_training_required)})
    return current
