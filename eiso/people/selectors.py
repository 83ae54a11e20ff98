"""Scoped reads of training and competence: courses and sessions, a person's record (attendance,
results, actions, onboarding), the competence matrix of a unit, and the internal auditor check."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.advisories import Advisory
from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import fold, is_id
from eiso.documents.models import DistributionEntry
from eiso.organizations.models import Membership, Unit, User
from eiso.people import competence
from eiso.people.choices import AttendanceStatus, CellStatus, GapActionStatus
from eiso.people.models import (
    Attendance,
    CompetenceRequirement,
    Course,
    CourseKind,
    GapAction,
    Onboarding,
    PeopleSettings,
    PositionHolder,
    TrainingResult,
    TrainingSession,
)
from eiso.people.permissions import policy


def course_kinds() -> QuerySet[CourseKind]:
    return CourseKind.objects.filter(is_active=True).order_by("order", "name")


# --- courses and sessions -----------------------------------------------------------------------------

def courses_for_user(user, *, year: int | None = None, kind: str = "", agency: str = "",
                     q: str = "") -> QuerySet[Course]:
    qs = policy.filter(user, "view_course", Course.objects).select_related("agency", "kind")
    if year:
        qs = qs.filter(start_date__year=year)
    if kind:
        qs = qs.filter(kind__code=kind)
    if q:
        words = q.strip()
        qs = qs.filter(Q(title__icontains=words) | Q(provider__icontains=words))
    qs = qs.annotate(
        session_count=Count("sessions", distinct=True),
        invited_count=Count("sessions__attendance", distinct=True),
        present_count=Count("sessions__attendance", filter=Q(sessions__attendance__status=AttendanceStatus.PRESENT),
                            distinct=True))
    return by_agency(qs, agency).order_by("start_date", "id")


def course_get_for_user(user, pk) -> Course:
    return get_or_404(policy.filter(user, "view_course", Course.objects).select_related("agency", "kind"), pk)


def sessions_of(course: Course) -> QuerySet[TrainingSession]:
    return course.sessions.select_related("revision", "revision__document").annotate(
        invited_count=Count("attendance", distinct=True),
        present_count=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT), distinct=True),
    ).order_by("date", "id")


def session_get_for_user(user, pk) -> TrainingSession:
    return get_or_404(policy.filter(user, "view_course", TrainingSession.objects).select_related(
        "course", "course__agency", "course__kind", "revision", "revision__document"), pk)


def attendance_for_user(user, session: TrainingSession) -> QuerySet[Attendance]:
    """The attendance of a session the user may read: all of it for the managers, their unit's
    for a unit head, their own for anyone else."""
    return policy.filter(user, "view_record", Attendance.objects.filter(session=session)).select_related(
        "user").order_by("user__full_name", "id")


def results_for_user(user, *, course: Course | None = None, person=None) -> QuerySet[TrainingResult]:
    qs = policy.filter(user, "view_record", TrainingResult.objects).select_related("user", "course", "course__kind")
    if course is not None:
        qs = qs.filter(course=course)
    if person is not None:
        qs = qs.filter(user=person)
    return qs.order_by("user__full_name", "id")


def result_get_for_user(user, pk) -> TrainingResult:
    return get_or_404(policy.filter(user, "view_record", TrainingResult.objects).select_related(
        "course", "course__agency", "user"), pk)


def invitations_for(user, *, today: datetime.date | None = None) -> QuerySet[Attendance]:
    """Sessions to come this person is invited to (their own rows)."""
    today = today or timezone.localdate()
    return Attendance.objects.filter(user=user, status=AttendanceStatus.INVITED, session__date__gte=today)


def agency_people(agency) -> QuerySet[User]:
    """The people working in the agency today (a current membership), by name."""
    return User.objects.filter(is_active=True, memberships__agency=agency, memberships__valid_to__isnull=True) \
        .order_by("full_name", "username").distinct()


# --- evidence and requirements --------------------------------------------------------------------------

def evidence_of(user_ids) -> dict[int, list[competence.Evidence]]:
    """Every training each person holds or held (passed results; attendance at courses where they
    have no result), as the pure core reads it."""
    user_ids = list(user_ids)
    found: dict[int, list[competence.Evidence]] = defaultdict(list)
    with_result = set()
    for r in TrainingResult.objects.filter(user_id__in=user_ids).select_related("course"):
        with_result.add((r.course_id, r.user_id))
        if r.passed:
            found[r.user_id].append(competence.Evidence(r.course.kind_id, r.valid_until, r.course.title, r.issued_on))
    for a in Attendance.objects.filter(user_id__in=user_ids, status=AttendanceStatus.PRESENT).select_related(
            "session", "session__course"):
        course = a.session.course
        if (course.pk, a.user_id) in with_result:
            continue
        found[a.user_id].append(competence.Evidence(
            course.kind_id, competence.attendance_valid_until(a.session.date, course.validity_months),
            course.title, a.session.date))
    return found


@dataclass
class PersonRequirements:
    person: User
    job: object = None
    kind_ids: set = field(default_factory=set)


def requirements_of(agency, memberships) -> dict[int, PersonRequirements]:
    """What each person (of ``memberships``, current memberships of ``agency``) is required to hold:
    the agency-wide requirements, those of their roles and those of the job they hold."""
    reqs = list(CompetenceRequirement.objects.filter(agency=agency))
    holders = {h.user_id: h.job_description for h in PositionHolder.objects.filter(
        user_id__in=[m.user_id for m in memberships]).select_related("job_description")}
    out = {}
    for m in memberships:
        roles = m.roles
        job = holders.get(m.user_id)
        kinds = set()
        for r in reqs:
            if r.job_description_id is not None:
                if job is not None and r.job_description_id == job.pk:
                    kinds.add(r.kind_id)
            elif not r.role or r.role in roles:
                kinds.add(r.kind_id)
        out[m.user_id] = PersonRequirements(m.user, job, kinds)
    return out


@dataclass
class MatrixRow:
    person: User
    job: object
    cells: list  # one per kind of the matrix: a competence.Cell, or None when not required
    gaps: int = 0


@dataclass
class Matrix:
    unit: object
    kinds: list
    rows: list
    today: datetime.date
    held: int = 0
    expired: int = 0
    gaps: int = 0  # gaps without and with a plan, expired included

    @property
    def required(self) -> int:
        return self.held + self.gaps

    @property
    def percent(self) -> int | None:
        return round(100 * self.held / self.required) if self.required else None


def competence_matrix(unit, *, today: datetime.date | None = None, person=None) -> Matrix:
    """The matrix of a unit (the caller has checked ``view_competence`` on it): person by person,
    each required kind of training held (valid), expired or missing, with the open plan for a gap.
    ``person``: only that person's row."""
    today = today or timezone.localdate()
    memberships = list(Membership.objects.filter(unit=unit, valid_to__isnull=True, user__is_active=True)
                       .select_related("user").prefetch_related("role_rows").order_by("user__full_name", "id"))
    if person is not None:
        memberships = [m for m in memberships if m.user_id == person.pk]
    required = requirements_of(unit.agency, memberships)
    kind_ids = set().union(*(r.kind_ids for r in required.values())) if required else set()
    kinds = list(CourseKind.objects.filter(pk__in=kind_ids).order_by("order", "name"))
    evidence = evidence_of(required)
    plans = {(a.user_id, a.kind_id): a for a in GapAction.objects.filter(
        user_id__in=list(required), status=GapActionStatus.OPEN).order_by("due_on")}
    matrix = Matrix(unit=unit, kinds=kinds, rows=[], today=today)
    for m in memberships:
        req = required[m.user_id]
        row = MatrixRow(person=m.user, job=req.job, cells=[])
        for kind in kinds:
            if kind.pk not in req.kind_ids:
                row.cells.append(None)
                continue
            plan = plans.get((m.user_id, kind.pk))
            c = competence.cell(evidence.get(m.user_id, ()), kind.pk, today,
                                planned=_("%(what)s by %(day)s") % {"what": plan.action,
                                                                    "day": plan.due_on.strftime("%d/%m/%Y")}
                                if plan else "")
            row.cells.append(c)
            if c.counts:
                matrix.held += 1
            else:
                row.gaps += 1
                matrix.gaps += 1
                matrix.expired += c.status == CellStatus.EXPIRED
        matrix.rows.append(row)
    return matrix


def matrix_units(user) -> QuerySet[Unit]:
    """The units whose competence matrix the user may read, by agency and name."""
    return policy.filter(user, "view_competence", Unit.objects.filter(is_active=True)).select_related(
        "agency").order_by("agency__name", "name")


def requirements_for_user(user, *, agency: str = "") -> QuerySet[CompetenceRequirement]:
    return by_agency(policy.filter(user, "view_requirement", CompetenceRequirement.objects), agency).select_related(
        "agency", "job_description", "kind").order_by("agency__name", "kind__order", "id")


def requirement_get_for_user(user, pk) -> CompetenceRequirement:
    return get_or_404(requirements_for_user(user), pk)


def holders_for_user(user, *, agency: str = "") -> QuerySet[PositionHolder]:
    return by_agency(policy.filter(user, "view_requirement", PositionHolder.objects), agency,
                     "job_description__agency").select_related("job_description", "job_description__unit", "user")


def holder_get_for_user(user, pk) -> PositionHolder:
    return get_or_404(holders_for_user(user), pk)


def gap_actions_for_user(user, *, status: str = "") -> QuerySet[GapAction]:
    qs = policy.filter(user, "view_record", GapAction.objects).select_related("user", "kind", "owner", "course")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def gap_action_get_for_user(user, pk) -> GapAction:
    return get_or_404(gap_actions_for_user(user).select_related("agency"), pk)


# --- onboarding -------------------------------------------------------------------------------------------

def onboardings_for_user(user, *, q: str = "", unit: str = "") -> QuerySet[Onboarding]:
    qs = policy.filter(user, "view_onboarding", Onboarding.objects).select_related("agency", "unit", "user")
    if is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if q:
        qs = qs.filter(user__name_folded__contains=fold(q))
    return qs.prefetch_related(Prefetch("revisions")).order_by("-started_on", "-id")


def onboarding_get_for_user(user, pk) -> Onboarding:
    return get_or_404(onboardings_for_user(user), pk)


def onboarding_progress(onboardings) -> dict[int, tuple[int, int]]:
    """``{onboarding id: (read, to read)}`` in one query for a page of onboardings."""
    onboardings = list(onboardings)
    pairs = {(o.user_id, r.pk) for o in onboardings for r in o.revisions.all()}
    read = set(DistributionEntry.objects.filter(
        user_id__in={u for u, _r in pairs}, revision_id__in={r for _u, r in pairs},
        acknowledged_at__isnull=False).values_list("user_id", "revision_id"))
    return {o.pk: (sum((o.user_id, r.pk) in read for r in o.revisions.all()), len(o.revisions.all()))
            for o in onboardings}


def onboarding_items(onboarding: Onboarding) -> list[tuple[object, DistributionEntry | None]]:
    """Each revision to read with the person's entry on its reading list (read when acknowledged)."""
    entries = {e.revision_id: e for e in DistributionEntry.objects.filter(
        user_id=onboarding.user_id, revision__in=onboarding.revisions.all())}
    return [(r, entries.get(r.pk)) for r in onboarding.revisions.select_related("document").order_by(
        "document__kind", "document__code")]


# --- settings and the internal auditor check ---------------------------------------------------------------

def settings_of(agency) -> PeopleSettings:
    """The agency's settings (defaults when it has none)."""
    return PeopleSettings.objects.filter(agency=agency).first() or PeopleSettings(agency=agency)


def auditor_training(people, *, today: datetime.date | None = None) -> dict[int, tuple[competence.Evidence | None,
                                                                                        bool]]:
    """For each person: their internal auditor training that counts (and True), else the latest
    that expired (and False), else (None, False)."""
    today = today or timezone.localdate()
    people = list(people)
    kinds = list(CourseKind.objects.filter(qualifies_auditor=True).values_list("pk", flat=True))
    evidence = evidence_of(p.pk for p in people)
    out = {}
    for p in people:
        best = [competence.best(evidence.get(p.pk, ()), k, today) for k in kinds]
        valid = [b for b in best if b[1]]
        expired = [b for b in best if b[0] is not None and not b[1]]
        out[p.pk] = valid[0] if valid else (expired[0] if expired else (None, False))
    return out


def auditor_advisories(*, agency, people, today: datetime.date | None = None) -> list[Advisory]:
    """The ``audits.team`` adviser: one advisory per person with no valid internal auditor training
    on record, naming them; blocking when the agency requires the training."""
    blocking = settings_of(agency).auditor_training_required
    people = list({p.pk: p for p in people if p is not None}.values())
    training = auditor_training(people, today=today)
    out = []
    for person in people:
        found, valid = training[person.pk]
        if valid:
            continue
        name = person.get_full_name() or person.get_username()
        if found is None:
            message = _("%(person)s has no internal auditor training on record.") % {"person": name}
        else:
            message = _("%(person)s's internal auditor training (%(course)s) expired on %(day)s.") % {
                "person": name, "course": found.label, "day": found.valid_until.strftime("%d/%m/%Y")}
        out.append(Advisory(message, blocking=blocking, person_id=person.pk))
    return out


def training_of(people) -> dict[int, list[competence.Evidence]]:
    """Each person's trainings, newest first (the audit page lists its team's)."""
    evidence = evidence_of(p.pk for p in people)
    return {p.pk: sorted(evidence.get(p.pk, ()), key=lambda e: e.on, reverse=True) for p in people}
