"""The people API (django-ninja), mounted by eiso.api: training courses, their sessions,
attendance and results; the competence matrix of a unit; requirements, position holders and
actions to close gaps; newcomers' onboarding; the agency's training settings.

Reads go through the selectors (another agency's id reads as not found; a person's results and
attendance only for those their role lets see them), writes through the services (permission,
rules, audit row). People are named by their username.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from eiso.core.errors import Forbidden
from eiso.core.text import is_id
from eiso.documents.api import PersonRef
from eiso.documents.models import DocumentRevision
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef, field_error
from eiso.organizations.choices import Role
from eiso.organizations.selectors import job_descriptions_for_user
from eiso.people import selectors, services
from eiso.people.models import Course, CourseKind, Onboarding
from eiso.people.selectors import agency_people

router = Router(tags=["training and competence"])


def _agency(user):
    if user.agency is None:
        raise Forbidden(_("You do not belong to an agency."))
    return user.agency


def _person(agency, username: str, field: str = "person"):
    person = agency_people(agency).filter(username__iexact=(username or "").strip()).first() if username else None
    if person is None:
        raise field_error(field, _("No one of the agency has the username %(name)s.") % {"name": username or "—"})
    return person


def _kind(code: str, field: str = "kind") -> CourseKind:
    kind = selectors.course_kinds().filter(code=code).first()
    if kind is None:
        raise field_error(field, _("Unknown kind of course: %(code)s (one of %(codes)s).") % {
            "code": code, "codes": ", ".join(selectors.course_kinds().values_list("code", flat=True))})
    return kind


# --- courses ------------------------------------------------------------------------------------------

class KindOut(Schema):
    code: str
    name: str
    qualifies_auditor: bool
    is_briefing: bool


class CourseOut(Schema):
    id: int
    agency: AgencyRef
    kind: KindOut
    title: str
    provider: str
    start_date: Day
    end_date: Day
    hours: Decimal
    validity_months: int | None = Field(description="Null: the training does not expire.")
    url: str

    @staticmethod
    def resolve_url(obj: Course) -> str:
        return reverse("people:training-detail", args=[obj.pk])


class SessionOut(Schema):
    id: int
    date: Day
    place: str
    trainer: str
    revision_id: int | None = Field(description="The revision this briefing presents: attending acknowledges it.")


class CourseDetailOut(CourseOut):
    description: str
    sessions: list[SessionOut]

    @staticmethod
    def resolve_sessions(obj: Course):
        return list(obj.sessions.order_by("date", "id"))


class CourseIn(Body):
    kind: Text = Field(description="The code of the kind of course (GET /training-kinds).")
    title: Text = Field(min_length=1, max_length=300)
    provider: Text = Field("", max_length=300)
    start_date: Day
    end_date: Day
    hours: Decimal = Field(ge=0, le=2000, max_digits=6, decimal_places=1)
    validity_months: int | None = Field(None, ge=1, le=240)
    description: Text = Field("", max_length=5000)


@router.get("/training-kinds", response={200: list[KindOut], **ERRORS}, summary="The kinds of course")
def kind_list(request):
    return list(selectors.course_kinds())


@router.get("/trainings", response={200: list[CourseOut], **ERRORS}, summary="Training courses I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def training_list(request, year: int | None = Query(None, ge=2000, le=2999),
                  kind: Annotated[Text, Query("", max_length=40, description="Kind code.")] = "",
                  agency: Annotated[Text, Query("", max_length=40, description="Agency code.")] = "",
                  q: Annotated[Text, Query("", max_length=200)] = ""):
    return selectors.courses_for_user(request.auth, year=year, kind=kind, agency=agency, q=q)


@router.post("/trainings", response={201: CourseDetailOut, **ERRORS}, summary="Plan a training course")
def training_create(request, payload: CourseIn):
    user = request.auth
    data = payload.model_dump()
    data["kind"] = _kind(payload.kind)
    course = services.course_create(actor=user, agency=_agency(user), **data)
    return Status(201, selectors.course_get_for_user(user, course.pk))


@router.get("/trainings/{training_id}", response={200: CourseDetailOut, **ERRORS},
            summary="One course, with its sessions")
def training_detail(request, training_id: int):
    return selectors.course_get_for_user(request.auth, training_id)


class CoursePatch(Body):
    """The fields to change; those left out stay as they are."""

    kind: Text | None = Field(None, max_length=40, description="The code of the kind of course.")
    title: Text | None = Field(None, min_length=1, max_length=300)
    provider: Text | None = Field(None, max_length=300)
    start_date: Day | None = None
    end_date: Day | None = None
    hours: Decimal | None = Field(None, ge=0, le=2000, max_digits=6, decimal_places=1)
    validity_months: int | None = Field(None, ge=1, le=240)
    description: Text | None = Field(None, max_length=5000)


@router.patch("/trainings/{training_id}", response={200: CourseDetailOut, **ERRORS}, summary="Change a course")
def training_update(request, training_id: int, payload: CoursePatch):
    user = request.auth
    course = selectors.course_get_for_user(user, training_id)
    data = payload.model_dump(exclude_unset=True)
    if data.get("kind") is not None:
        data["kind"] = _kind(data["kind"])
    for key in ("kind", "title", "start_date", "end_date", "hours"):
        if key in data and data[key] is None:
            raise field_error(key, _("This field cannot be empty."))
    for key in ("provider", "description"):
        if key in data and data[key] is None:
            data[key] = ""
    services.course_update(actor=user, course=course, **data)
    return selectors.course_get_for_user(user, training_id)


class SessionIn(Body):
    # Optional in the schema and checked after the lookup: another agency's id is a 404 whatever the body.
    date: Day | None = Field(None, description="Required: the day of the session.")
    place: Text = Field("", max_length=200)
    trainer: Text = Field("", max_length=200)
    revision_id: int | None = Field(None, ge=1, le=2**62, description=(
        "For a procedure briefing: an approved or effective revision of the agency. Everyone it concerns is "
        "invited; being present counts as having read it."))


@router.post("/trainings/{training_id}/sessions", response={201: SessionOut, **ERRORS}, summary="Add a session")
def training_addsession(request, training_id: int, payload: SessionIn):
    user = request.auth
    course = selectors.course_get_for_user(user, training_id)
    revision = None
    if payload.revision_id is not None:
        revision = DocumentRevision.objects.filter(pk=payload.revision_id, document__agency=course.agency).first()
        if revision is None:
            raise field_error("revision_id", _("No revision of the agency has this id."))
    session = services.session_create(actor=user, course=course, date=payload.date, place=payload.place,
                                      trainer=payload.trainer, revision=revision)
    return Status(201, session)


class AttendanceOut(Schema):
    session_id: int
    date: Day
    person: PersonRef
    username: str
    status: str = Field(description="invited, present or absent.")

    @staticmethod
    def resolve_date(obj) -> datetime.date:
        return obj.session.date

    @staticmethod
    def resolve_person(obj):
        return obj.user

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username


class Mark(Body):
    person: Text = Field(description="Username.", max_length=150)
    status: Literal["present", "absent", "invited"]


class AttendanceIn(Body):
    # Optional in the schema and checked after the lookup: another agency's id is a 404 whatever the body.
    session_id: int | None = Field(None, ge=1, le=2**62, description="Required: a session of this course.")
    invite: list[Text] = Field([], max_length=2000, description="Usernames to invite.")
    marks: list[Mark] = Field([], max_length=2000, description="Who was present or absent (invited first).")


def _attendance_of(user, course):
    rows = []
    for session in course.sessions.order_by("date", "id"):
        rows += list(selectors.attendance_for_user(user, session).select_related("session"))
    return rows


@router.get("/trainings/{training_id}/attendance", response={200: list[AttendanceOut], **ERRORS},
            summary="Attendance of a course's sessions (the rows my role lets me see)")
def training_attendance(request, training_id: int):
    course = selectors.course_get_for_user(request.auth, training_id)
    return _attendance_of(request.auth, course)


@router.post("/trainings/{training_id}/attendance", response={200: list[AttendanceOut], **ERRORS},
             summary="Invite people to a session and record who was present")
def training_attendance_record(request, training_id: int, payload: AttendanceIn):
    user = request.auth
    course = selectors.course_get_for_user(user, training_id)
    session = course.sessions.filter(pk=payload.session_id).first() if payload.session_id else None
    if session is None:
        raise field_error("session_id", _("This course has no session with this id."))
    if not payload.invite and not payload.marks:
        raise field_error("marks", _("Give people to invite or attendance to record."))
    if payload.invite:
        services.attendance_invite(actor=user, session=session,
                                   people=[_person(course.agency, name, "invite") for name in payload.invite])
    if payload.marks:
        services.attendance_record(actor=user, session=session, marks=[
            (_person(course.agency, m.person, "marks"), m.status) for m in payload.marks])
    return _attendance_of(user, course)


class ResultOut(Schema):
    id: int
    person: PersonRef
    username: str
    passed: bool
    score: str
    certificate_number: str
    issued_on: Day
    valid_until: Day | None = Field(description="Null: does not expire. Past this day it no longer counts.")
    has_certificate_file: bool

    @staticmethod
    def resolve_person(obj):
        return obj.user

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username

    @staticmethod
    def resolve_has_certificate_file(obj) -> bool:
        return bool(obj.file)


class ResultIn(Body):
    # Optional in the schema and checked after the lookup: another agency's id is a 404 whatever the body.
    person: Text = Field("", description="Required: the username.", max_length=150)
    passed: bool = True
    score: Text = Field("", max_length=40)
    certificate_number: Text = Field("", max_length=80)
    issued_on: Day | None = Field(None, description="Required: the day of the result.")
    valid_until: Day | None = Field(None, description="Empty: the course's validity from the issue date.")


@router.get("/trainings/{training_id}/results", response={200: list[ResultOut], **ERRORS},
            summary="Results of a course (those my role lets me see)")
def training_results(request, training_id: int):
    course = selectors.course_get_for_user(request.auth, training_id)
    return list(selectors.results_for_user(request.auth, course=course))


@router.post("/trainings/{training_id}/results", response={201: ResultOut, **ERRORS},
             summary="Record a person's result of a course (the certificate: POST /training-results/{id}/certificate)")
def training_addresult(request, training_id: int, payload: ResultIn):
    user = request.auth
    course = selectors.course_get_for_user(user, training_id)
    result = services.result_record(actor=user, course=course, person=_person(course.agency, payload.person),
                                    passed=payload.passed, score=payload.score,
                                    certificate_number=payload.certificate_number, issued_on=payload.issued_on,
                                    valid_until=payload.valid_until)
    return Status(201, result)


@router.get("/training-results/{result_id}", response={200: ResultOut, **ERRORS},
            summary="One result of a course (if my role lets me see it)")
def training_result(request, result_id: int):
    return selectors.result_get_for_user(request.auth, result_id)


@router.post("/training-results/{result_id}/certificate", response={200: ResultOut, **ERRORS},
             summary="Attach (or replace) the certificate of a result: a PDF, checked by content")
def training_result_certificate(request, result_id: int,
                                file: Annotated[UploadedFile | None, File(None, description="Required: the PDF.")]
                                = None):
    user = request.auth
    result = selectors.result_get_for_user(user, result_id)
    if file is None:
        raise field_error("file", _("Choose the certificate file (PDF)."))
    result = services.result_record(actor=user, course=result.course, person=result.user, passed=result.passed,
                                    score=result.score, certificate_number=result.certificate_number,
                                    issued_on=result.issued_on, valid_until=result.valid_until, uploaded=file)
    return selectors.result_get_for_user(user, result.pk)


# --- competence -------------------------------------------------------------------------------------------

class CellOut(Schema):
    kind: str
    status: str = Field(description="held (valid on the day), expired (does not count), gap; null: not required.")
    training: str | None
    valid_until: Day | None
    planned: str


class MatrixRowOut(Schema):
    person: PersonRef
    username: str
    job: str | None
    cells: list[CellOut | None]
    gaps: int


class MatrixOut(Schema):
    unit: UnitRef
    on: Day
    kinds: list[KindOut]
    held: int
    gaps: int
    expired: int
    people: list[MatrixRowOut]


@router.get("/competence", response={200: MatrixOut, **ERRORS},
            summary="The competence matrix of a unit: each person against the training their job requires")
def competence(request, unit: Annotated[Text, Query(description="The unit's id.", max_length=20)]):
    user = request.auth
    found = selectors.matrix_units(user).filter(pk=int(unit)).first() if is_id(unit) else None
    if found is None:
        raise field_error("unit", _("No unit whose competence you may read has this id."))
    m = selectors.competence_matrix(found)
    return MatrixOut(
        unit=found, on=m.today, kinds=m.kinds, held=m.held, gaps=m.gaps, expired=m.expired,
        people=[MatrixRowOut(
            person=r.person, username=r.person.username, job=str(r.job) if r.job else None, gaps=r.gaps,
            cells=[None if c is None else CellOut(
                kind=k.code, status=str(c.status), training=c.evidence.label if c.evidence else None,
                valid_until=c.evidence.valid_until if c.evidence else None, planned=c.planned)
                for k, c in zip(m.kinds, r.cells, strict=True)]) for r in m.rows])


class RequirementOut(Schema):
    id: int
    kind: KindOut
    job_description: str | None
    role: str
    note: str

    @staticmethod
    def resolve_job_description(obj):
        return obj.job_description.code if obj.job_description_id else None


class RequirementIn(Body):
    kind: Text = Field(max_length=40)
    job_description: Text = Field("", max_length=40, description="The job description's code (empty: a role or "
                                                                 "everyone).")
    role: Literal[("", *Role.values)] = Field("", description="Without a job description: everyone with this role "
                                                               "(empty: everyone in the agency).")
    note: Text = Field("", max_length=300)


@router.get("/competence-requirements", response={200: list[RequirementOut], **ERRORS},
            summary="What each job requires (of my agency and those I read)")
def requirement_list(request):
    return list(selectors.requirements_for_user(request.auth))


@router.post("/competence-requirements", response={201: RequirementOut, **ERRORS},
             summary="State a training a job (a role, everyone) requires")
def requirement_create(request, payload: RequirementIn):
    user = request.auth
    agency = _agency(user)
    job = None
    if payload.job_description:
        job = job_descriptions_for_user(user, agency=str(agency.pk)).filter(code=payload.job_description).first()
        if job is None:
            raise field_error("job_description", _("No job description of the agency has this code."))
    return Status(201, services.requirement_add(actor=user, agency=agency, kind=_kind(payload.kind),
                                                job_description=job, role=payload.role, note=payload.note))


@router.delete("/competence-requirements/{requirement_id}", response={204: None, **ERRORS},
               summary="Remove a requirement")
def requirement_delete(request, requirement_id: int):
    requirement = selectors.requirement_get_for_user(request.auth, requirement_id)
    services.requirement_delete(actor=request.auth, requirement=requirement)
    return Status(204, None)


class HolderOut(Schema):
    id: int
    job_description: str
    person: PersonRef
    since: Day

    @staticmethod
    def resolve_job_description(obj):
        return obj.job_description.code

    @staticmethod
    def resolve_person(obj):
        return obj.user


class HolderIn(Body):
    job_description: Text = Field(max_length=40, description="The job description's code.")
    person: Text = Field(max_length=150, description="Username.")
    since: Day | None = None


@router.post("/position-holders", response={201: HolderOut, **ERRORS}, summary="Record who holds a job")
def holder_create(request, payload: HolderIn):
    user = request.auth
    agency = _agency(user)
    job = job_descriptions_for_user(user, agency=str(agency.pk)).filter(code=payload.job_description).first()
    if job is None:
        raise field_error("job_description", _("No job description of the agency has this code."))
    return Status(201, services.holder_set(actor=user, job_description=job, person=_person(agency, payload.person),
                                           since=payload.since))


@router.delete("/position-holders/{holder_id}", response={204: None, **ERRORS}, summary="Remove a position holder")
def holder_delete(request, holder_id: int):
    holder = selectors.holder_get_for_user(request.auth, holder_id)
    services.holder_remove(actor=request.auth, holder=holder)
    return Status(204, None)


class GapActionOut(Schema):
    id: int
    person: PersonRef
    kind: KindOut
    action: str
    owner: PersonRef | None
    due_on: Day
    course_id: int | None
    status: str

    @staticmethod
    def resolve_person(obj):
        return obj.user


class GapActionIn(Body):
    person: Text = Field(max_length=150, description="Username of the person whose gap closes.")
    kind: Text = Field(max_length=40)
    action: Text = Field(min_length=1, max_length=300)
    owner: Text = Field("", max_length=150, description="Username of who arranges it.")
    due_on: Day
    course_id: int | None = Field(None, ge=1, le=2**62)


@router.get("/gap-actions", response={200: list[GapActionOut], **ERRORS}, summary="Actions to close competence gaps")
@paginate(Pagination, max_limit=MAX_PAGE)
def gap_action_list(request, status: Literal["", "open", "done"] = ""):
    return selectors.gap_actions_for_user(request.auth, status=status)


@router.post("/gap-actions", response={201: GapActionOut, **ERRORS}, summary="Plan how a gap closes")
def gap_action_create(request, payload: GapActionIn):
    user = request.auth
    agency = _agency(user)
    course = None
    if payload.course_id is not None:
        course = selectors.courses_for_user(user, agency=str(agency.pk)).filter(pk=payload.course_id).first()
        if course is None:
            raise field_error("course_id", _("No course of the agency has this id."))
    return Status(201, services.gap_action_create(
        actor=user, person=_person(agency, payload.person), kind=_kind(payload.kind), action=payload.action,
        owner=_person(agency, payload.owner, "owner") if payload.owner else None, due_on=payload.due_on,
        course=course))


@router.post("/gap-actions/{action_id}/complete", response={200: GapActionOut, **ERRORS},
             summary="Mark an action to close a gap done")
def gap_action_complete(request, action_id: int):
    action = selectors.gap_action_get_for_user(request.auth, action_id)
    return services.gap_action_complete(actor=request.auth, gap_action=action)


# --- onboarding -----------------------------------------------------------------------------------------------

class OnboardingOut(Schema):
    id: int
    person: PersonRef
    unit: UnitRef | None
    started_on: Day
    read: int
    to_read: int

    @staticmethod
    def resolve_person(obj):
        return obj.user

    @staticmethod
    def resolve_read(obj) -> int:
        return selectors.onboarding_progress([obj])[obj.pk][0]

    @staticmethod
    def resolve_to_read(obj) -> int:
        return selectors.onboarding_progress([obj])[obj.pk][1]


class OnboardingIn(Body):
    person: Text = Field(max_length=150, description="Username of the newcomer.")
    started_on: Day | None = None


@router.get("/onboarding", response={200: list[OnboardingOut], **ERRORS}, summary="Newcomers' onboarding")
@paginate(Pagination, max_limit=MAX_PAGE)
def onboarding_list(request):
    return selectors.onboardings_for_user(request.auth)


@router.post("/onboarding", response={201: OnboardingOut, **ERRORS},
             summary="Start a newcomer's onboarding (policy, objectives, their unit's procedures to read)")
def onboarding_create(request, payload: OnboardingIn):
    user = request.auth
    onboarding: Onboarding = services.onboarding_start(actor=user, person=_person(_agency(user), payload.person),
                                                       started_on=payload.started_on)
    return Status(201, selectors.onboarding_get_for_user(user, onboarding.pk))


@router.get("/onboarding/{onboarding_id}", response={200: OnboardingOut, **ERRORS}, summary="One onboarding")
def onboarding_detail(request, onboarding_id: int):
    return selectors.onboarding_get_for_user(request.auth, onboarding_id)


# --- settings -------------------------------------------------------------------------------------------------

class SettingsOut(Schema):
    auditor_training_required: bool = Field(description="True: an audit team member without valid internal auditor "
                                                        "training is refused; false: a warning.")


class SettingsIn(Body):
    auditor_training_required: bool


@router.get("/training-settings", response={200: SettingsOut, **ERRORS}, summary="My agency's training settings")
def settings_get(request):
    return selectors.settings_of(_agency(request.auth))


@router.put("/training-settings", response={200: SettingsOut, **ERRORS}, summary="Change my agency's training settings")
def settings_put(request, payload: SettingsIn):
    return services.settings_update(actor=request.auth, agency=_agency(request.auth),
                                    auditor_training_required=payload.auditor_training_required)
