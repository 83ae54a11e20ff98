"""The training and competence pages through HTTP: list, course, session with the attendance
sheet, the matrix, requirements, onboarding, the Word downloads, and the audit page's panel."""

import datetime
import io
import zipfile

import pytest
from docx import Document as Docx
from docx.shared import Mm

from eiso.audits import services as audit_services
from eiso.audits.models import Clause
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import JobDescriptionFactory, make_user
from eiso.people import services
from eiso.people.models import Attendance, Course
from eiso.people.tests.factories import course, kind, trained

pytestmark = pytest.mark.django_db
D = datetime.date


def test_secretary_plans_a_course_on_the_page_and_bad_dates_change_nothing(client_for, a_secretary, agency_a):
    client = client_for(a_secretary)
    url = "/trainings/new/"
    data = {"kind": kind("awareness").pk, "title": "Nhận thức ISO 9001", "provider": "Sở KH&CN",
            "start_date": "10/03/2026", "end_date": "09/03/2026", "hours": "8"}
    response = client.post(url, data)
    assert response.status_code == 200 and not Course.objects.exists()
    response = client.post(url, {**data, "end_date": "10/03/2026"})
    c = Course.objects.get()
    assert response.status_code == 302 and response.url == f"/trainings/{c.pk}/"
    page = client.get("/trainings/?year=2026").content.decode()
    assert "Nhận thức ISO 9001" in page and "training-chart" in page


def test_attendance_sheet_records_present_and_absent(client_for, a_secretary, a_staff, a_unit_head, agency_a, unit_a):
    c = course(agency_a, code="awareness", start=D(2026, 3, 2))
    session = services.session_create(actor=a_secretary, course=c, date=D(2026, 3, 2))
    client = client_for(a_secretary)
    response = client.post(f"/trainings/sessions/{session.pk}/invite/", {"unit": unit_a.pk})
    assert response.status_code == 302 and Attendance.objects.filter(session=session).count() == 3
    page = client.get(f"/trainings/sessions/{session.pk}/").content.decode()
    assert f'name="status-{a_staff.pk}"' in page
    client.post(f"/trainings/sessions/{session.pk}/attendance/",
                {f"status-{a_staff.pk}": "present", f"status-{a_unit_head.pk}": "absent"})
    assert dict(Attendance.objects.filter(session=session).values_list("user__username", "status")) == {
        "a_staff": "present", "a_unit_head": "absent", "a_secretary": "invited"}
    # A staff member sees only their own row; the attendance list prints.
    own = client_for(a_staff).get(f"/trainings/sessions/{session.pk}/").content.decode()
    assert a_staff.full_name in own and a_unit_head.full_name not in own
    response = client.get(f"/reports/training-sessions/{session.pk}/attendance.docx")
    text = "\n".join(cell.text for t in Docx(io.BytesIO(response.content)).tables for row in t.rows
                     for cell in row.cells)
    assert a_staff.full_name in text and "Có mặt" in text and "Vắng" in text
    # Dated by the session (2 March), not by the day it is printed.
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "ngày 02 tháng 3 năm 2026" in xml
    # Every column is wide enough for a word ("Chức vụ" was 11 mm and broke "Chuyên viên" letter by letter).
    attendance = next(t for t in Docx(io.BytesIO(response.content)).tables if t.rows[0].cells[0].text == "STT")
    assert attendance.rows[0].cells[2].text == "Chức vụ"
    assert min(round(c.width / Mm(1)) for c in attendance.columns) >= 10
    assert round(attendance.columns[2].width / Mm(1)) >= 30


def test_matrix_page_and_training_plan(client_for, a_secretary, a_unit_head, a_staff, agency_a, unit_a):
    job = JobDescriptionFactory(agency=agency_a, unit=unit_a, code="MTCV-09", position="Chuyên viên tiếp nhận")
    services.requirement_add(actor=a_secretary, agency=agency_a, kind=kind("internal_auditor"), job_description=job)
    services.holder_set(actor=a_secretary, job_description=job, person=a_staff)
    page = client_for(a_unit_head).get(f"/competence/?unit={unit_a.pk}").content.decode()
    assert a_staff.full_name in page and "competence-chart" in page
    own = client_for(a_staff).get("/competence/").content.decode()
    assert a_staff.full_name in own and a_unit_head.full_name not in own
    trained(a_staff, agency_a, title="Lớp ĐGNB tháng 3")
    response = client_for(a_secretary).get(f"/reports/agencies/{agency_a.pk}/training-plan.docx?year=2026")
    text = "\n".join(cell.text for t in Docx(io.BytesIO(response.content)).tables for row in t.rows
                     for cell in row.cells)
    assert "Lớp ĐGNB tháng 3" in text and f"Số: …/KH-{agency_a.code}" in text


def test_requirement_page_adds_and_refuses_duplicates(client_for, a_secretary, a_staff, agency_a):
    client = client_for(a_secretary)
    page = client.get("/competence/requirements/").content.decode()
    awareness = kind("awareness")  # the choice reads as the kind's name, never its internal code
    assert f'value="{awareness.pk}">{awareness.name}</option>' in page and "awareness —" not in page
    response = client.post("/competence/requirements/", {"form": "requirement", "kind": kind("awareness").pk})
    assert response.status_code == 302
    response = client.post("/competence/requirements/", {"form": "requirement", "kind": kind("awareness").pk})
    assert response.status_code == 400
    assert client_for(a_staff).post("/competence/requirements/", {"form": "requirement",
                                                                  "kind": kind("fives").pk}).status_code == 403
    assert agency_a.competence_requirements.count() == 1


def test_audit_page_lists_each_members_training_and_warns(client_for, a_secretary, agency_a, unit_a, one_stop_a,
                                                         a_staff):
    lead = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="lead", full_name="Lý Thị Trưởng Đoàn")
    member = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="member", full_name="Hồ Văn Chưa Học")
    trained(lead, agency_a, issued_on=D(2025, 6, 1), title="Lớp ĐGNB khóa 5")
    client = client_for(a_secretary)
    programme = audit_services.programme_create(actor=a_secretary, agency=agency_a, year=2026, title="CT 2026")
    response = client.post(f"/audits/programmes/{programme.pk}/audits/new/", {
        "title": "Đánh giá phòng HCTP", "start_date": "04/05/2026", "end_date": "05/05/2026",
        "lead_auditor": lead.pk, "members": [member.pk], "units": [unit_a.pk],
        "clauses": [Clause.objects.get(edition__code="2015", code="7.5").pk]}, follow=True)
    page = response.content.decode()
    assert "Hồ Văn Chưa Học" in page and "team-training" in page and "Lớp ĐGNB khóa 5" in page
    # Someone who may not read training records sees who is trained, not the courses.
    other = client_for(a_staff).get(response.redirect_chain[-1][0]).content.decode()
    assert "team-training" in other and "Lớp ĐGNB khóa 5" not in other


@pytest.mark.parametrize("odd", ["²", "٣", "99999999999999999999999"])
def test_attendance_sheet_ignores_odd_person_keys(client_for, a_secretary, a_staff, agency_a, unit_a, odd):
    c = course(agency_a, code="awareness", start=D(2026, 3, 2))
    session = services.session_create(actor=a_secretary, course=c, date=D(2026, 3, 2))
    client = client_for(a_secretary)
    client.post(f"/trainings/sessions/{session.pk}/invite/", {"unit": unit_a.pk})
    response = client.post(f"/trainings/sessions/{session.pk}/attendance/",
                           {f"status-{odd}": "present", f"status-{a_staff.pk}": "present"})
    assert response.status_code in (200, 302)
    assert Attendance.objects.get(session=session, user=a_staff).status == "present"
