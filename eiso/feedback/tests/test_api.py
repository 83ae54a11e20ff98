"""The feedback API: importing evaluations, the figures of a period, and complaints."""

import datetime

import pytest
import time_machine

from eiso.feedback.tests.factories import make_dossiers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_import_then_read_a_quarter(api_for, a_secretary, a_staff, agency_a, unit_a, overseer):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=2)
    rows = [{"dossier_code": d.code, "indicator": i, "score": 2 if i != 7 else 1} for d in dossiers
            for i in range(1, 10)]
    created = api_for(a_secretary).post("/api/v1/satisfaction/evaluations", {"rows": rows},
                                        content_type="application/json")
    assert created.status_code == 200 and created.json() == {"created": 2, "updated": 0, "unchanged": 0}
    again = api_for(a_secretary).post("/api/v1/satisfaction/evaluations", {"agency": "STP", "rows": rows},
                                      content_type="application/json")
    assert again.json()["unchanged"] == 2
    body = api_for(a_staff).get("/api/v1/satisfaction?period=2026-Q1").json()
    assert body["agency"]["code"] == "STP" and body["period"] == "2026-Q1" and body["evaluations"] == 2
    assert body["score"] == "17.00" or float(body["score"]) == 17.0
    assert body["grade"] == "excellent"
    assert [float(i["score"]) for i in body["indicators"]][6] == 1.0
    empty = api_for(a_staff).get("/api/v1/satisfaction?period=2026-Q2").json()
    assert empty["score"] is None and empty["grade"] is None and empty["evaluations"] == 0
    province = api_for(overseer).get("/api/v1/satisfaction?period=2026").json()
    assert province["agency"] is None and province["evaluations"] == 2
    assert api_for(overseer).get("/api/v1/satisfaction?agency=STP&period=2026").json()["evaluations"] == 2


def test_import_refusal_names_rows_and_staff_are_refused(api_for, a_secretary, a_staff, agency_a, unit_a):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=1)
    bad = api_for(a_secretary).post("/api/v1/satisfaction/evaluations", {"rows": [
        {"dossier_code": dossiers[0].code, "indicator": 1, "score": 2},
        {"dossier_code": dossiers[0].code, "indicator": 11, "score": 2}]}, content_type="application/json")
    assert bad.status_code == 400 and len(bad.json()["errors"]["file"]) == 1
    assert "3" in bad.json()["errors"]["file"][0]
    forbidden = api_for(a_staff).post("/api/v1/satisfaction/evaluations", {"rows": [
        {"dossier_code": dossiers[0].code, "indicator": 1, "score": 2}]}, content_type="application/json")
    assert forbidden.status_code == 403


def test_bad_period_is_400(api_for, a_staff):
    assert api_for(a_staff).get("/api/v1/satisfaction?period=2026-Q7").status_code == 400


def test_complaints_record_answer_and_nonconformity(api_for, a_staff, a_secretary, b_head, agency_a, unit_a):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=1)
    created = api_for(a_staff).post("/api/v1/complaints", {
        "received_on": "2026-04-01", "channel": "portal", "person": "Lê Văn Dân", "content": "Trả kết quả chậm",
        "dossier_code": dossiers[0].code, "unit": unit_a.code}, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["due_on"] == "2026-04-15" and body["overdue"] is True and body["procedure_code"] == "1.004227"
    pk = body["id"]
    assert api_for(b_head).get(f"/api/v1/complaints/{pk}").status_code == 404
    listing = api_for(a_secretary).get("/api/v1/complaints?state=overdue").json()
    assert [c["id"] for c in listing["items"]] == [pk]
    missing = api_for(a_secretary).post(f"/api/v1/complaints/{pk}/answer", {"answer": "Đã xử lý"},
                                        content_type="application/json")
    assert missing.status_code == 400
    answered = api_for(a_secretary).post(f"/api/v1/complaints/{pk}/answer",
                                         {"answer": "Đã xử lý", "justified": True}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    again = api_for(a_secretary).post(f"/api/v1/complaints/{pk}/answer", {"answer": "Lần hai", "justified": True},
                                      content_type="application/json")
    assert again.status_code == 409
    nc = api_for(a_secretary).post(f"/api/v1/complaints/{pk}/nonconformity")
    assert nc.status_code == 200 and nc.json()["nonconformity"]["code"].startswith("NC-2026-")
    assert api_for(a_secretary).post(f"/api/v1/complaints/{pk}/nonconformity").status_code == 409
