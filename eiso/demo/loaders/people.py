"""Demo training of this year: per active department with an ISO secretary, the courses of
``eiso/demo/content/people.json`` (awareness for everyone, internal auditors, two procedure
briefings whose attendance acknowledges the revisions briefed), the competence requirements, and
gaps in one specialist unit (a person absent from the awareness course, an auditor whose old
certificate expired) with a plan to close one. Idempotent: an agency with courses is skipped."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from eiso.demo.content import read
from eiso.documents.choices import PROCEDURE_KINDS, RevisionStatus
from eiso.documents.models import DocumentRevision
from eiso.organizations.choices import AgencyLevel, Role
from eiso.organizations.models import Agency, JobDescription, Membership
from eiso.people import services
from eiso.people.models import Course, CourseKind

_CONTENT = read("people")


class _AgencyTraining:
    def __init__(self, agency: Agency, today: datetime.date):
        self.agency, self.today, self.year = agency, today, today.year
        self.memberships = list(Membership.objects.filter(agency=agency, valid_to__isnull=True, user__is_active=True)
                                .select_related("user", "unit").prefetch_related("role_rows").order_by("user_id"))
        self.kinds = {k.code: k for k in CourseKind.objects.all()}

    def day(self, month_day) -> datetime.date:
        return min(datetime.date(self.year, *month_day), self.today)

    def with_role(self, role):
        return [m.user for m in self.memberships if role in m.roles]

    def course(self, code, data, start, end=None, validity=None) -> Course:
        return services.course_create(actor=None, agency=self.agency, kind=self.kinds[code], title=data["title"],
                                      provider=data.get("provider", ""), start_date=start, end_date=end or start,
                                      hours=Decimal(data["hours"]), validity_months=validity)

    def session(self, course, data, day, people, *, revision=None, absent=()):
        session = services.session_create(actor=None, course=course, date=day, place=data.get("place", ""),
                                          trainer=data.get("trainer", ""), revision=revision)
        if people:
            services.attendance_invite(actor=None, session=session, people=people)
        invited = [a.user for a in session.attendance.select_related("user")]
        services.attendance_record(actor=None, session=session, today=self.today, marks=[
            (p, "absent" if p.pk in absent else "present") for p in invited])
        return session

    def load(self) -> bool:
        secretary = next(iter(self.with_role(Role.QMS_SECRETARY)), None)
        if secretary is None or len(self.memberships) < 3:
            return False
        gap_unit = next((m.unit for m in self.memberships if m.unit and m.unit.kind == _CONTENT["gap_unit_kind"]
                         and Role.AGENCY_HEAD not in m.roles), None)
        absentee = next((m.user for m in self.memberships if gap_unit and m.unit_id == gap_unit.pk
                         and Role.UNIT_HEAD not in m.roles and Role.AUDITOR not in m.roles), None)
        # Awareness for everyone.
        data = _CONTENT["awareness"]
        day = self.day(data["on"])
        awareness = self.course("awareness", data, day)
        self.session(awareness, data, day, [m.user for m in self.memberships],
                     absent={absentee.pk} if absentee else set())
        # Internal auditors: the auditors and the ISO secretary, with certificates.
        data = _CONTENT["auditor"]
        start, end = self.day(data["from"]), self.day(data["to"])
        auditors = list({u.pk: u for u in [*self.with_role(Role.AUDITOR), secretary]}.values())
        auditor_course = self.course("internal_auditor", data, start, end, data["validity_months"])
        self.session(auditor_course, data, start, auditors)
        for n, person in enumerate(auditors, start=1):
            services.result_record(actor=None, course=auditor_course, person=person, issued_on=end, score="Đạt",
                                   certificate_number=data["certificate"].format(year=self.year, n=n))
        # Two procedure briefings of procedures in force (briefing counts as having read them).
        revisions = list(DocumentRevision.objects.filter(
            document__agency=self.agency, document__kind__in=PROCEDURE_KINDS, status=RevisionStatus.EFFECTIVE)
            .select_related("document").order_by("document__code")[:2])
        for data, revision in zip(_CONTENT["briefings"], revisions, strict=False):
            day = self.day(data["on"])
            briefing = self.course("briefing", {**data, "title": data["title"].format(
                code=revision.document.code, n=revision.issue_number)}, day)
            self.session(briefing, data, day, [], revision=revision)
        self.requirements()
        self.gaps(gap_unit, absentee, secretary)
        return True

    def requirements(self) -> None:
        focal = JobDescription.objects.filter(agency=self.agency, code__endswith="-01").order_by("code").first()
        for item in _CONTENT["requirements"]:
            job = focal if item.get("job") == "iso_focal" else None
            if item.get("job") and job is None:
                continue
            services.requirement_add(actor=None, agency=self.agency, kind=self.kinds[item["kind"]],
                                     job_description=job, role=item.get("role", ""), note=item["note"])
        secretary = next(iter(self.with_role(Role.QMS_SECRETARY)), None)
        if focal is not None and secretary is not None:
            services.holder_set(actor=None, job_description=focal, person=secretary,
                                since=datetime.date(self.year - 2, 1, 1))

    def gaps(self, gap_unit, absentee, secretary) -> None:
        """The gap unit: its auditor's older certificate has expired (the new one is valid, so the
        matrix shows both); the absentee's awareness gap has a plan."""
        if gap_unit is None:
            return
        data = _CONTENT["expired_auditor"]
        auditor = next((m.user for m in self.memberships if m.unit_id == gap_unit.pk and Role.AUDITOR in m.roles),
                       None)
        unit_head = next((m.user for m in self.memberships if m.unit_id == gap_unit.pk and Role.UNIT_HEAD in m.roles),
                         None)
        person = unit_head if unit_head is not None and unit_head != auditor else None
        if person is not None:  # the unit head holds only an expired internal auditor certificate
            old = services.course_create(
                actor=None, agency=self.agency, kind=self.kinds["internal_auditor"], title=data["title"],
                provider=data["provider"], start_date=datetime.date(*data["issued"]),
                end_date=datetime.date(*data["issued"]), hours=Decimal("24"))
            services.result_record(actor=None, course=old, person=person, issued_on=datetime.date(*data["issued"]),
                                   valid_until=datetime.date(*data["valid_until"]),
                                   certificate_number=data["certificate"])
            services.requirement_add(actor=None, agency=self.agency, kind=self.kinds["internal_auditor"],
                                     role=Role.UNIT_HEAD, note="Trưởng phòng tham gia đoàn đánh giá nội bộ")
        if absentee is not None:
            action = _CONTENT["gap_action"]
            services.gap_action_create(actor=None, person=absentee, kind=self.kinds["awareness"],
                                       action=action["action"], owner=secretary,
                                       due_on=datetime.date(self.year, *action["due"]))


def load(out: Callable[[str], None] | None = None) -> list[dict]:
    log = out or (lambda _message: None)
    today = timezone.localdate()
    loaded = []
    for agency in Agency.objects.filter(level=AgencyLevel.DEPARTMENT, valid_to__isnull=True).order_by("code"):
        if Course.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            if _AgencyTraining(agency, today).load():
                loaded.append(agency.code)
    log(f"Training, competence requirements and gaps of {', '.join(loaded)}." if loaded
        else "Training already loaded: nothing to create.")
    return []
