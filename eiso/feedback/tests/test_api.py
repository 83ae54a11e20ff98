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


def test_complaints_are_handed_on_and_refused_through_the_api(api_for, a_staff, a_secretary, b_head, agency_a,
                                                             unit_a):
    made = api_for(a_staff).post("/api/v1/complaints", {
        "received_on": "2026-03-02", "person": "Bà Lê Thị Hoa", "content": "Hỏi về lệ phí"},
        content_type="application/json")
    pk = made.json()["id"]
    url = f"/api/v1/complaints/{pk}"
    assert api_for(a_staff).post(f"{url}/assign", {"unit": unit_a.code},
                                 content_type="application/json").status_code == 403
    missing = api_for(a_secretary).post(f"{url}/assign", {}, content_type="application/json")
    assert missing.status_code == 400 and "unit" in missing.json()["errors"]
    unknown = api_for(a_secretary).post(f"{url}/assign", {"unit": "NONE"}, content_type="application/json")
    assert unknown.status_code == 400 and "unit" in unknown.json()["errors"]
    assigned = api_for(a_secretary).post(f"{url}/assign", {"unit": unit_a.code}, content_type="application/json")
    assert assigned.status_code == 200 and assigned.json()["unit"]["code"] == unit_a.code
    assert assigned.json()["status"] == "in_progress"
    assert api_for(b_head).post(f"{url}/reject", {"answer": "x"}, content_type="application/json").status_code == 404
    no_reason = api_for(a_secretary).post(f"{url}/reject", {}, content_type="application/json")
    assert no_reason.status_code == 400 and "answer" in no_reason.json()["errors"]
    refused = api_for(a_secretary).post(f"{url}/reject", {"answer": "Không thuộc thẩm quyền của Sở",
                                                          "answered_on": "2026-03-03"},
                                        content_type="application/json")
    assert refused.status_code == 200, refused.json()
    assert (refused.json()["status"], refused.json()["justified"]) == ("rejected", False)
    again = api_for(a_secretary).post(f"{url}/reject", {"answer": "Lần nữa"}, content_type="application/json")
    assert again.status_code == 409
    assert api_for(a_secretary).post(f"{url}/nonconformity").status_code == 409  # not justified


def test_the_days_to_answer_and_the_sipas_figures_through_the_api(api_for, a_staff, a_secretary, b_head,
                                                                  agency_a, overseer):
    assert api_for(a_staff).get("/api/v1/complaints/settings").json()["complaint_due_days"] >= 1
    assert api_for(a_staff).post("/api/v1/complaints/settings", {"complaint_due_days": 5},
                                 content_type="application/json").status_code == 403
    bad = api_for(a_secretary).post("/api/v1/complaints/settings", {"complaint_due_days": 0},
                                    content_type="application/json")
    assert bad.status_code in (400, 422)
    changed = api_for(a_secretary).post("/api/v1/complaints/settings", {"complaint_due_days": 7},
                                        content_type="application/json")
    assert changed.status_code == 200 and changed.json()["complaint_due_days"] == 7
    made = api_for(a_staff).post("/api/v1/complaints", {
        "received_on": "2026-03-02", "person": "Ông An", "content": "Chậm"}, content_type="application/json")
    assert made.json()["due_on"] == "2026-03-11"  # 7 working days after Monday 2 March
    assert api_for(b_head).post("/api/v1/complaints/settings", {"agency": agency_a.code, "complaint_due_days": 3},
                                content_type="application/json").status_code == 400  # not an agency they read
    assert api_for(a_staff).post("/api/v1/satisfaction/sipas", {"year": 2025, "sipas": "84.5"},
                                 content_type="application/json").status_code == 403
    out_of_range = api_for(a_secretary).post("/api/v1/satisfaction/sipas", {"year": 2025, "sipas": "140"},
                                             content_type="application/json")
    assert out_of_range.status_code in (400, 422)
    entered = api_for(a_secretary).post("/api/v1/satisfaction/sipas", {
        "year": 2025, "sipas": "84.5", "note": "QĐ 1001/QĐ-BNV"}, content_type="application/json")
    assert entered.status_code == 200 and entered.json()["sipas"] == "84.50"
    corrected = api_for(a_secretary).post("/api/v1/satisfaction/sipas", {"year": 2025, "sipas": "85.1"},
                                          content_type="application/json")
    assert corrected.json()["sipas"] == "85.10"
    listed = api_for(overseer).get(f"/api/v1/satisfaction/sipas?agency={agency_a.code}").json()
    assert [(b["year"], b["sipas"]) for b in listed] == [(2025, "85.10")]
    assert api_for(b_head).get(f"/api/v1/satisfaction/sipas?agency={agency_a.code}").status_code == 400
    assert api_for(a_staff).get("/api/v1/satisfaction?period=2026-Q1").json()["sipas"] == "85.10"
