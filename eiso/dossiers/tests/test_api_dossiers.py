"""POST /api/v1/dossiers/events and GET /api/v1/dossiers/{code}."""

import pytest

from eiso.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/events"
CODE = "STP-260213-0001"


def body(code=CODE, agency="STP", events=None):
    return [{"code": code, "agency": agency, "procedure": "1.004227", "channel": "online", "events": events or [
        {"event": "received", "at": "2026-02-13 10:00"},
        {"event": "step_done", "at": "2026-02-13 14:00", "step": 1, "note": "Chuyển phòng"},
        {"event": "step_done", "at": "2026-02-24T09:00:00+07:00", "step": 2},
        {"event": "step_done", "at": "2026-02-25 11:00", "step": 3},
        {"event": "returned", "at": "2026-02-25T04:00:00Z"},
    ]}]


def post(client, data):
    return client.post(URL, data=data, content_type="application/json")


def test_events_are_recorded_and_the_summary_answered(tthc, api_for, a_secretary):
    response = post(api_for(a_secretary), body())
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 5, "dossiers_created": 1, "dossiers_touched": 1, "events_created": 5,
                                "events_duplicate": 0}
    assert Dossier.objects.get().result == "late"
    again = post(api_for(a_secretary), body()).json()  # idempotent
    assert (again["events_created"], again["events_duplicate"]) == (0, 5)
    assert DossierEvent.objects.count() == 5


def test_a_bad_event_refuses_the_whole_body_naming_it(tthc, api_for, a_secretary):
    events = [{"event": "received", "at": "2026-02-13 10:00"}, {"event": "step_done", "at": "hôm qua", "step": 1},
              {"event": "nộp đơn", "at": "2026-02-13 11:00"}]
    data = body(events=events) + body(code="STP-260213-0002")
    response = post(api_for(a_secretary), data)
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid"
    rows = payload["errors"]["rows"]
    assert len(rows) == 2 and all(CODE in r for r in rows), rows
    assert not Dossier.objects.exists()


def test_a_body_that_is_not_a_list_of_dossiers_is_422(tthc, api_for, a_secretary):
    assert post(api_for(a_secretary), {"code": CODE}).status_code == 422
    assert post(api_for(a_secretary), [{"code": CODE, "events": "no"}]).status_code == 422
    response = api_for(a_secretary).post(URL, data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_staff_may_not_import(tthc, api_for, a_staff):
    assert post(api_for(a_staff), body()).status_code == 403
    assert not Dossier.objects.exists()


def test_no_import_into_another_agency(tthc, api_for, b_head):
    response = post(api_for(b_head), body())
    assert response.status_code == 400
    assert "STP" in " ".join(response.json()["errors"]["rows"])
    assert not Dossier.objects.exists()


def test_get_answers_the_timing_with_offsets(tthc, api_for, a_secretary, a_staff):
    post(api_for(a_secretary), body())
    response = api_for(a_staff).get(f"/api/v1/dossiers/{CODE}")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == CODE and data["status"] == "returned" and data["result"] == "late"
    assert data["received_at"] == "2026-02-13T10:00:00+07:00"
    assert data["due_at"] == "2026-02-25T10:00:00+07:00"
    assert data["finished_at"] == "2026-02-25T11:00:00+07:00"
    assert [s["result"] for s in data["steps"]] == ["on_time", "on_time", "late"]
    assert data["steps"][0] == {"step": 1, "name": "Tiếp nhận, kiểm tra hồ sơ", "due_at": "2026-02-13T15:00:00+07:00",
                                "finished_at": "2026-02-13T14:00:00+07:00", "result": "on_time"}


def test_get_an_open_dossier_has_null_results(tthc, api_for, a_secretary):
    post(api_for(a_secretary), body(events=[{"event": "received", "at": "2026-02-13 10:00"}]))
    data = api_for(a_secretary).get(f"/api/v1/dossiers/{CODE}").json()
    assert data["result"] is None and data["finished_at"] is None
    assert data["due_at"] == "2026-02-25T10:00:00+07:00"
    assert all(s["result"] is None for s in data["steps"])


def test_another_agencys_dossier_is_not_found(tthc, api_for, a_secretary, b_staff, q_overseer):
    post(api_for(a_secretary), body())
    for intruder in (b_staff, q_overseer):
        response = api_for(intruder).get(f"/api/v1/dossiers/{CODE}")
        assert response.status_code == 404
        assert CODE not in response.content.decode()
    assert api_for(a_secretary).get("/api/v1/dossiers/NO-SUCH-CODE").status_code == 404


def test_the_overseer_of_the_province_reads_it(tthc, api_for, a_secretary, overseer):
    post(api_for(a_secretary), body())
    assert api_for(overseer).get(f"/api/v1/dossiers/{CODE}").status_code == 200


def test_an_api_write_counts_for_its_agency_alone(tthc, api_for, a_secretary, monkeypatch):
    """What the writes of one agency's one-stop system make stale (``eiso.core.freshness``): that
    agency's readers' cached pages, not every other agency's people's (the objectives' refresh it
    queues writes the agency's own measurements)."""
    from eiso.core import freshness

    client = api_for(a_secretary)
    written = []
    monkeypatch.setattr(freshness, "data_written", lambda agency_id=None: written.append(agency_id))
    assert post(client, body()).status_code == 200
    assert written and set(written) == {a_secretary.agency.pk}
