"""The people API: plan a course, add a session, invite and record attendance, read the matrix."""

import datetime

import pytest

from eiso.organizations.tests.factories import JobDescriptionFactory
from eiso.people import services
from eiso.people.tests.factories import kind

pytestmark = pytest.mark.django_db


def test_course_session_attendance_and_matrix_through_the_api(api_for, a_secretary, a_staff, a_unit_head, b_head,
                                                              agency_a, unit_a):
    client = api_for(a_secretary)
    response = client.post("/api/v1/trainings", {
        "kind": "internal_auditor", "title": "Chuyên gia ĐGNB", "start_date": "2026-03-02", "end_date": "2026-03-03",
        "hours": "16", "validity_months": 36}, content_type="application/json")
    assert response.status_code == 201, response.content
    course_id = response.json()["id"]
    bad = client.post("/api/v1/trainings", {"kind": "nope", "title": "X", "start_date": "2026-03-02",
                                            "end_date": "2026-03-02", "hours": 1}, content_type="application/json")
    assert bad.status_code == 400 and "internal_auditor" in bad.json()["message"]
    session = client.post(f"/api/v1/trainings/{course_id}/sessions", {"date": "2026-03-02"},
                          content_type="application/json")
    assert session.status_code == 201
    session_id = session.json()["id"]
    response = client.post(f"/api/v1/trainings/{course_id}/attendance", {
        "session_id": session_id, "invite": ["a_staff", "a_unit_head"],
        "marks": [{"person": "a_staff", "status": "present"}]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert {(r["username"], r["status"]) for r in response.json()} == {("a_staff", "present"),
                                                                      ("a_unit_head", "invited")}
    # The staff member reads only their own row; another agency does not find the course.
    assert [r["username"] for r in api_for(a_staff).get(f"/api/v1/trainings/{course_id}/attendance").json()] == [
        "a_staff"]
    assert api_for(b_head).get(f"/api/v1/trainings/{course_id}/attendance").status_code == 404
    unknown = client.post(f"/api/v1/trainings/{course_id}/attendance", {
        "session_id": session_id, "marks": [{"person": "b_head", "status": "present"}]},
        content_type="application/json")
    assert unknown.status_code == 400 and "b_head" in unknown.json()["message"]
    job = JobDescriptionFactory(agency=agency_a, unit=unit_a, code="MTCV-01")
    services.requirement_add(actor=a_secretary, agency=agency_a, kind=kind("internal_auditor"), job_description=job)
    services.holder_set(actor=a_secretary, job_description=job, person=a_staff)
    # Present at the session, no result recorded: attendance counts, for the course's 36 months.
    matrix = api_for(a_unit_head).get(f"/api/v1/competence?unit={unit_a.pk}").json()
    row = next(r for r in matrix["people"] if r["username"] == "a_staff")
    assert row["cells"][0]["status"] == "held" and row["cells"][0]["valid_until"] == "2029-03-01"
    # A failed result overrides the attendance: the gap opens.
    response = client.post(f"/api/v1/trainings/{course_id}/results", {
        "person": "a_staff", "issued_on": "2026-03-03", "passed": False}, content_type="application/json")
    assert response.status_code == 201, response.content
    matrix = api_for(a_unit_head).get(f"/api/v1/competence?unit={unit_a.pk}").json()
    row = next(r for r in matrix["people"] if r["username"] == "a_staff")
    assert row["cells"][0]["status"] == "gap" and matrix["gaps"] == 1 and matrix["held"] == 0
    assert api_for(a_staff).get(f"/api/v1/competence?unit={unit_a.pk}").status_code == 400
    assert datetime.date.fromisoformat(matrix["on"])


def test_course_is_changed_through_the_api_and_bad_dates_change_nothing(api_for, a_secretary, a_staff, agency_a):
    client = api_for(a_secretary)
    course_id = client.post("/api/v1/trainings", {
        "kind": "awareness", "title": "Nhận thức", "start_date": "2026-03-02", "end_date": "2026-03-02",
        "hours": "4"}, content_type="application/json").json()["id"]
    response = client.patch(f"/api/v1/trainings/{course_id}", {"hours": "8", "provider": "Sở KH&CN"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["hours"] == "8.0"
    assert response.json()["provider"] == "Sở KH&CN" and response.json()["title"] == "Nhận thức"
    refused = client.patch(f"/api/v1/trainings/{course_id}", {"end_date": "2026-03-01"},
                           content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert client.get(f"/api/v1/trainings/{course_id}").json()["end_date"] == "2026-03-02"
    assert api_for(a_staff).patch(f"/api/v1/trainings/{course_id}", {"hours": "1"},
                                  content_type="application/json").status_code == 403


def test_a_certificate_is_attached_through_the_api_and_a_bad_file_changes_nothing(api_for, a_secretary, a_staff,
                                                                                 b_head, agency_a, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eiso.documents.tests.factories.revisions import pdf_bytes
    from eiso.people.tests.factories import course as make_course

    course = make_course(agency_a)
    result = services.result_record(actor=a_secretary, course=course, person=a_staff,
                                    issued_on=datetime.date(2026, 3, 3), certificate_number="CC-7")
    url = f"/api/v1/training-results/{result.pk}/certificate"
    client = api_for(a_secretary)
    missing = client.post(url)
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    refused = client.post(url, {"file": SimpleUploadedFile("cc.pdf", b"not a pdf at all")})
    assert refused.status_code == 400
    result.refresh_from_db()
    assert not result.file
    assert api_for(b_head).post(url, {"file": SimpleUploadedFile("cc.pdf", pdf_bytes())}).status_code == 404
    response = client.post(url, {"file": SimpleUploadedFile("cc.pdf", pdf_bytes())})
    assert response.status_code == 200, response.content
    assert response.json()["has_certificate_file"] is True and response.json()["certificate_number"] == "CC-7"
    assert client.get(f"/api/v1/training-results/{result.pk}").json()["has_certificate_file"] is True
