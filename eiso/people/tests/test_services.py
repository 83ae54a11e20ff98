"""Training and competence through the services and selectors: courses, sessions, attendance (a
briefing's attendance acknowledges its revision), results and validity, the matrix and its gaps,
the internal auditor warning and refusal, visibility of a person's record, onboarding."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.audits import services as audit_services
from eiso.audits.models import AuditProgramme, Clause
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.documents.models import DistributionEntry
from eiso.documents.services import revisions as doc_services
from eiso.documents.tests.factories.revisions import pdf_bytes, publish
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import JobDescriptionFactory, make_user
from eiso.people import selectors, services
from eiso.people.choices import AttendanceStatus, CellStatus
from eiso.people.models import Attendance, TrainingResult
from eiso.people.tests.factories import course, kind, trained

pytestmark = pytest.mark.django_db
D = datetime.date


# --- courses, sessions, attendance ------------------------------------------------------------------

def test_secretary_plans_a_course_and_staff_cannot(a_secretary, a_staff, agency_a):
    c = course(agency_a, actor=a_secretary, hours=8)
    assert c.agency == agency_a and AuditEvent.objects.filter(object_id=str(c.pk), action="create").exists()
    with pytest.raises(Forbidden):
        course(agency_a, actor=a_staff)
    with pytest.raises(ValidationFailed, match="end date"):
        services.course_create(actor=a_secretary, agency=agency_a, kind=kind("awareness"), title="X",
                               start_date=D(2026, 3, 2), end_date=D(2026, 3, 1), hours=4)


def test_invite_then_record_attendance_only_once_held_and_only_of_the_invited(a_secretary, a_staff, a_unit_head,
                                                                             agency_a, unit_a, b_staff):
    c = course(agency_a, code="awareness", start=D(2026, 3, 2))
    session = services.session_create(actor=a_secretary, course=c, date=D(2026, 3, 2), place="Hội trường")
    # The unit: its secretary, its head and its staff member.
    assert services.attendance_invite(actor=a_secretary, session=session, unit=unit_a) == 3
    assert services.attendance_invite(actor=a_secretary, session=session, people=[a_staff]) == 0
    with pytest.raises(ValidationFailed, match="does not work"):
        services.attendance_invite(actor=a_secretary, session=session, people=[b_staff])
    with pytest.raises(Conflict, match="once it has been held"):
        services.attendance_record(actor=a_secretary, session=session, marks=[(a_staff, "present")],
                                   today=D(2026, 3, 1))
    outsider = make_user(agency_a, [Role.STAFF], username="not_invited")
    with pytest.raises(ValidationFailed, match="not invited"):
        services.attendance_record(actor=a_secretary, session=session, marks=[(outsider, "present")],
                                   today=D(2026, 3, 2))
    assert services.attendance_record(actor=a_secretary, session=session, today=D(2026, 3, 2),
                                      marks=[(a_staff, "present"), (a_unit_head, "absent")]) == 2
    statuses = dict(Attendance.objects.filter(session=session).values_list("user__username", "status"))
    assert statuses == {"a_staff": "present", "a_unit_head": "absent", "a_secretary": "invited"}


def test_briefing_invites_the_people_concerned_and_attendance_acknowledges_the_revision(
        a_secretary, a_head, a_unit_head, a_staff, agency_a, unit_a, one_stop_a):
    other = make_user(agency_a, [Role.STAFF], unit=one_stop_a, username="mc_staff")
    document = doc_services.document_create(actor=a_secretary, agency=agency_a, code="QT-07",
                                            title="Quy trình cấp bản sao", kind="operational_procedure",
                                            owner_unit=unit_a)
    document.distribution_units.set([unit_a])
    revision = publish(document, a_unit_head, a_secretary, a_head)
    briefing = course(agency_a, code="briefing", title="Phổ biến QT-07", start=D(2026, 3, 2))
    with pytest.raises(ValidationFailed, match="Only a procedure briefing"):
        services.session_create(actor=a_secretary, course=course(agency_a, code="awareness"), date=D(2026, 3, 2),
                                revision=revision)
    session = services.session_create(actor=a_secretary, course=briefing, date=D(2026, 3, 2), revision=revision)
    invited = set(session.attendance.values_list("user__username", flat=True))
    assert invited == {"a_secretary", "a_unit_head", "a_staff"} and other.username not in invited
    services.attendance_record(actor=a_secretary, session=session, today=D(2026, 3, 2),
                               marks=[(a_staff, "present"), (a_unit_head, "absent")])
    entries = {e.user.username: e.acknowledged_at for e in DistributionEntry.objects.filter(revision=revision)}
    assert entries["a_staff"] is not None
    assert entries["a_unit_head"] is None  # absent: still has to read it
    event = AuditEvent.objects.filter(object_id=str(revision.pk), action="acknowledge").get()
    assert "02/03/2026" in event.note


# --- results and validity ------------------------------------------------------------------------------------

def test_result_takes_the_course_validity_and_a_certificate_must_be_a_pdf(a_secretary, a_staff, agency_a, media):
    c = course(agency_a, validity_months=36)
    r = services.result_record(actor=a_secretary, course=c, person=a_staff, issued_on=D(2026, 3, 2),
                               uploaded=SimpleUploadedFile("cc.pdf", pdf_bytes()))
    assert r.valid_until == D(2029, 3, 1) and r.file and r.sha256
    with pytest.raises(ValidationFailed, match="not a valid"):
        services.result_record(actor=a_secretary, course=c, person=a_staff, issued_on=D(2026, 3, 2),
                               uploaded=SimpleUploadedFile("cc.pdf", b"not a pdf at all"))
    with pytest.raises(ValidationFailed, match="expire before"):
        services.result_record(actor=a_secretary, course=c, person=a_staff, issued_on=D(2026, 3, 2),
                               valid_until=D(2026, 3, 1))
    # Recording again corrects the same row.
    services.result_record(actor=a_secretary, course=c, person=a_staff, issued_on=D(2026, 3, 2), score="8,5")
    assert TrainingResult.objects.filter(course=c, user=a_staff).get().score == "8,5"
    with pytest.raises(Forbidden):
        services.result_record(actor=a_staff, course=c, person=a_staff, issued_on=D(2026, 3, 2))


# --- the matrix -----------------------------------------------------------------------------------------------

@pytest.fixture
def required(a_secretary, agency_a, unit_a, a_staff, a_unit_head):
    """Everyone needs awareness; the position of a_staff needs internal auditor training."""
    job = JobDescriptionFactory(agency=agency_a, unit=unit_a, code="MTCV-01", position="Chuyên viên đầu mối ISO")
    services.requirement_add(actor=a_secretary, agency=agency_a, kind=kind("awareness"))
    services.requirement_add(actor=a_secretary, agency=agency_a, kind=kind("internal_auditor"), job_description=job)
    services.holder_set(actor=a_secretary, job_description=job, person=a_staff)
    return job


def _cells(matrix):
    codes = [k.code for k in matrix.kinds]
    return {r.person.username: {codes[i]: (c.status if c else None) for i, c in enumerate(r.cells)}
            for r in matrix.rows}


@time_machine.travel("2026-09-01 09:00 +07:00")
def test_matrix_shows_gaps_expired_and_held_and_gaps_close(required, a_secretary, a_staff, a_unit_head, agency_a,
                                                           unit_a):
    trained(a_unit_head, agency_a, code="awareness", issued_on=D(2023, 1, 1), valid_until=D(2026, 1, 1))
    trained(a_staff, agency_a, code="internal_auditor", issued_on=D(2026, 3, 2), passed=False)
    matrix = selectors.competence_matrix(unit_a)
    cells = _cells(matrix)
    assert cells["a_staff"] == {"awareness": CellStatus.GAP, "internal_auditor": CellStatus.GAP}
    assert cells["a_unit_head"] == {"awareness": CellStatus.EXPIRED, "internal_auditor": None}  # not required
    assert matrix.held == 0 and matrix.gaps == 4 and matrix.expired == 1 and matrix.percent == 0
    # A plan shows in the cell; the awareness session attended closes the gap for everyone present.
    services.gap_action_create(actor=a_secretary, person=a_staff, kind=kind("internal_auditor"),
                               action="Cử đi học lớp ĐGNB", due_on=D(2026, 12, 31))
    awareness = course(agency_a, code="awareness", start=D(2026, 8, 20))
    session = services.session_create(actor=a_secretary, course=awareness, date=D(2026, 8, 20))
    services.attendance_invite(actor=a_secretary, session=session, unit=unit_a)
    services.attendance_record(actor=a_secretary, session=session,
                               marks=[(a_staff, "present"), (a_unit_head, "present"), (a_secretary, "absent")])
    matrix = selectors.competence_matrix(unit_a)
    cells = _cells(matrix)
    assert cells["a_staff"]["awareness"] == CellStatus.HELD and cells["a_unit_head"]["awareness"] == CellStatus.HELD
    assert cells["a_secretary"]["awareness"] == CellStatus.GAP
    row = next(r for r in matrix.rows if r.person == a_staff)
    auditor_cell = row.cells[[k.code for k in matrix.kinds].index("internal_auditor")]
    assert auditor_cell.status == CellStatus.GAP and "31/12/2026" in auditor_cell.planned
    assert matrix.held == 2 and matrix.gaps == 2


@time_machine.travel("2026-09-01 09:00 +07:00")
def test_role_requirement_applies_to_everyone_with_the_role(a_secretary, agency_a, unit_a, a_staff):
    services.requirement_add(actor=a_secretary, agency=agency_a, kind=kind("internal_auditor"), role=Role.AUDITOR)
    cells = _cells(selectors.competence_matrix(unit_a))
    assert cells["a_secretary"] == {"internal_auditor": CellStatus.GAP}  # the secretary is also an auditor
    assert cells["a_staff"] == {"internal_auditor": None}
    with pytest.raises(ValidationFailed, match="already"):
        services.requirement_add(actor=a_secretary, agency=agency_a, kind=kind("internal_auditor"), role=Role.AUDITOR)


# --- internal auditors ------------------------------------------------------------------------------------------

@pytest.fixture
def auditors(agency_a, one_stop_a):
    lead = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="lead", full_name="Lý Thị Trưởng Đoàn")
    member = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="member", full_name="Hồ Văn Chưa Học")
    return lead, member


def _plan(actor, agency, lead, members, unit):
    programme = AuditProgramme.objects.filter(agency=agency, year=2026).first() or audit_services.programme_create(
        actor=actor, agency=agency, year=2026, title="Chương trình 2026")
    return audit_services.audit_create(actor=actor, programme=programme, title="Đánh giá", start_date=D(2026, 5, 4),
                                       end_date=D(2026, 5, 5), lead_auditor=lead, members=members, units=[unit],
                                       clauses=[Clause.objects.get(edition__code="2015", code="7.5")])


@time_machine.travel("2026-04-01 09:00 +07:00")
def test_untrained_auditor_is_a_warning_naming_the_person_by_default(auditors, a_secretary, agency_a, unit_a):
    lead, member = auditors
    trained(lead, agency_a, issued_on=D(2025, 6, 1))
    audit = _plan(a_secretary, agency_a, lead, [member], unit_a)
    warnings = audit_services.team_advisories(audit)
    assert warnings == ["Hồ Văn Chưa Học has no internal auditor training on record."]


@time_machine.travel("2026-04-01 09:00 +07:00")
def test_agency_setting_turns_the_warning_into_a_refusal_and_expired_training_does_not_count(
        auditors, a_secretary, a_staff, agency_a, unit_a):
    lead, member = auditors
    trained(lead, agency_a, issued_on=D(2025, 6, 1))
    trained(member, agency_a, issued_on=D(2022, 1, 1), valid_until=D(2025, 1, 1), title="ĐGNB 2022")
    with pytest.raises(Forbidden):
        services.settings_update(actor=a_staff, agency=agency_a, auditor_training_required=True)
    services.settings_update(actor=a_secretary, agency=agency_a, auditor_training_required=True)
    with pytest.raises(ValidationFailed, match="Hồ Văn Chưa Học's internal auditor training") as refused:
        _plan(a_secretary, agency_a, lead, [member], unit_a)
    assert "01/01/2025" in str(refused.value.message) and refused.value.errors["members"]
    audit = _plan(a_secretary, agency_a, lead, [], unit_a)
    with pytest.raises(ValidationFailed, match="Hồ Văn Chưa Học"):
        audit_services.team_member_add(actor=a_secretary, audit=audit, user=member)
    trained(member, agency_a, issued_on=D(2026, 3, 2))
    assert audit_services.team_member_add(actor=a_secretary, audit=audit, user=member).user == member
    assert audit_services.team_advisories(audit) == []


# --- visibility -------------------------------------------------------------------------------------------------

def test_only_managers_the_unit_head_the_person_and_overseers_see_a_result(
        a_head, a_secretary, a_unit_head, a_staff, agency_a, one_stop_a, overseer, b_head, q_overseer):
    colleague = make_user(agency_a, [Role.STAFF], unit=one_stop_a, username="colleague")
    other_unit_head = make_user(agency_a, [Role.UNIT_HEAD], unit=one_stop_a, username="mc_head")
    result = trained(a_staff, agency_a)
    readers = {u.username for u in (a_head, a_secretary, a_unit_head, a_staff, colleague, other_unit_head, overseer,
                                    b_head, q_overseer) if selectors.results_for_user(u).filter(pk=result.pk).exists()}
    assert readers == {"a_head", "a_secretary", "a_unit_head", "a_staff", "overseer"}
    # Courses themselves are the agency's plan: everyone of the agency reads them.
    assert selectors.courses_for_user(colleague).filter(pk=result.course_id).exists()
    assert not selectors.courses_for_user(b_head).filter(pk=result.course_id).exists()


def test_competence_matrix_is_for_managers_of_the_unit(a_head, a_unit_head, a_staff, unit_a, one_stop_a, overseer,
                                                       b_head):
    assert set(selectors.matrix_units(a_unit_head)) == {unit_a}
    assert {unit_a, one_stop_a} <= set(selectors.matrix_units(a_head))
    assert unit_a in set(selectors.matrix_units(overseer))
    assert not selectors.matrix_units(a_staff).exists() and unit_a not in set(selectors.matrix_units(b_head))


# --- onboarding -------------------------------------------------------------------------------------------------

def test_onboarding_puts_policy_objectives_and_unit_procedures_on_the_reading_list(
        a_secretary, a_head, a_unit_head, agency_a, unit_a, one_stop_a):
    policy = doc_services.document_create(actor=a_secretary, agency=agency_a, code="CSCL",
                                          title="Chính sách chất lượng", kind="policy")
    mine = doc_services.document_create(actor=a_secretary, agency=agency_a, code="QT-01", title="Quy trình của phòng",
                                        kind="operational_procedure", owner_unit=unit_a)
    theirs = doc_services.document_create(actor=a_secretary, agency=agency_a, code="QT-02",
                                          title="Quy trình của một cửa", kind="operational_procedure",
                                          owner_unit=one_stop_a)
    revisions = [publish(d, None, None, None) for d in (policy, mine, theirs)]
    newcomer = make_user(agency_a, [Role.STAFF], unit=unit_a, username="newcomer")
    mc_head = make_user(agency_a, [Role.UNIT_HEAD], unit=one_stop_a, username="mc_head")
    with pytest.raises(Forbidden):
        services.onboarding_start(actor=mc_head, person=newcomer)
    onboarding = services.onboarding_start(actor=a_unit_head, person=newcomer)
    assert set(onboarding.revisions.all()) == {revisions[0], revisions[1]}
    assert selectors.onboarding_progress([onboarding])[onboarding.pk] == (0, 2)
    entry = DistributionEntry.objects.get(user=newcomer, revision=revisions[1])
    doc_services.distribution_acknowledge(actor=newcomer, entry=entry)
    assert selectors.onboarding_progress([onboarding])[onboarding.pk] == (1, 2)
    with pytest.raises(ValidationFailed, match="already started"):
        services.onboarding_start(actor=a_unit_head, person=newcomer)
    assert selectors.onboardings_for_user(a_unit_head).filter(pk=onboarding.pk).exists()
    assert not selectors.onboardings_for_user(mc_head).filter(pk=onboarding.pk).exists()
    assert selectors.onboardings_for_user(newcomer).filter(pk=onboarding.pk).exists()


def test_attendance_row_of_absent_person_is_not_evidence(a_secretary, a_staff, agency_a, unit_a):
    c = course(agency_a, code="awareness")
    session = services.session_create(actor=a_secretary, course=c, date=D(2026, 3, 2))
    services.attendance_invite(actor=a_secretary, session=session, people=[a_staff])
    services.attendance_record(actor=a_secretary, session=session, marks=[(a_staff, AttendanceStatus.ABSENT)],
                               today=D(2026, 3, 2))
    assert selectors.evidence_of([a_staff.pk]) == {}
