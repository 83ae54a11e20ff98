import datetime

import pytest
import time_machine

from eiso.improvements.models import Nonconformity
from eiso.improvements.services import risk_create
from eiso.improvements.tests.factories import implemented, make_action, make_nc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_nonconformities_without_action(api_for, agency_a, unit_a, a_staff, a_secretary):
    lonely = make_nc(agency_a, a_staff, unit=unit_a)
    answered = make_nc(agency_a, a_staff, unit=unit_a)
    make_action(answered, a_secretary, a_staff)
    client = api_for(a_staff)
    everything = client.get("/api/v1/nonconformities").json()
    assert {n["code"] for n in everything["items"]} == {lonely.code, answered.code}
    only = client.get("/api/v1/nonconformities?without_action=true").json()
    assert [n["code"] for n in only["items"]] == [lonely.code]
    assert only["items"][0]["corrective_action"] is None
    detail = client.get(f"/api/v1/nonconformities/{answered.pk}").json()
    assert detail["corrective_action"]["owner"]["full_name"] == a_staff.full_name


def test_close_unverified_is_409_with_a_message(api_for, agency_a, a_staff, a_secretary):
    action = implemented(make_nc(agency_a, a_staff), a_secretary, a_staff)
    client = api_for(a_secretary)
    response = client.post(f"/api/v1/corrective-actions/{action.pk}/close")
    assert response.status_code == 409
    assert response.json()["message"] and response.json()["code"] == "wrong_status"
    verify = client.post(f"/api/v1/corrective-actions/{action.pk}/verify",
                         {"effective": True, "note": "Không còn hồ sơ trễ", "verified_on": "2026-04-20"},
                         content_type="application/json")
    assert verify.status_code == 200 and verify.json()["status"] == "verified_effective"
    assert verify.json()["verifications"][0]["note"] == "Không còn hồ sơ trễ"
    closed = client.post(f"/api/v1/corrective-actions/{action.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_verify_ineffective_reopens_and_needs_permission(api_for, agency_a, a_staff, a_secretary, b_head):
    action = implemented(make_nc(agency_a, a_staff), a_secretary, a_staff)
    url = f"/api/v1/corrective-actions/{action.pk}/verify"
    body = {"effective": False, "note": "Vẫn còn trễ", "verified_on": "2026-04-20"}
    assert api_for(a_staff).post(url, body, content_type="application/json").status_code == 403
    assert api_for(b_head).post(url, body, content_type="application/json").status_code == 404
    assert api_for(a_secretary).post(url, {"effective": "maybe"}, content_type="application/json").status_code == 422
    missing = api_for(a_secretary).post(url, {"note": "x"}, content_type="application/json")
    assert missing.status_code == 400 and "effective" in missing.json()["errors"]
    response = api_for(a_secretary).post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "action_planned"
    again = api_for(a_secretary).post(url, body, content_type="application/json")
    assert again.status_code == 409


def test_risks_and_scope(api_for, agency_a, a_secretary, b_staff, overseer):
    risk = risk_create(actor=a_secretary, agency=agency_a, description="Mất hồ sơ", likelihood=4, impact=4)
    rows = api_for(a_secretary).get("/api/v1/risks?level=high").json()["items"]
    assert [(r["id"], r["score"], r["level"]) for r in rows] == [(risk.pk, 16, "high")]
    assert api_for(b_staff).get("/api/v1/risks").json()["items"] == []
    assert api_for(b_staff).get(f"/api/v1/risks/{risk.pk}").status_code == 404
    assert api_for(overseer).get(f"/api/v1/risks/{risk.pk}").status_code == 200


def test_list_query_count(api_for, agency_a, unit_a, a_staff, a_secretary, django_assert_max_num_queries):
    for _ in range(10):
        make_action(make_nc(agency_a, a_staff, unit=unit_a), a_secretary, a_staff)
    client = api_for(a_secretary)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/nonconformities").json()["items"]) == 10
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/corrective-actions?state=planned").json()["items"]) == 10
    assert Nonconformity.objects.count() == 10
