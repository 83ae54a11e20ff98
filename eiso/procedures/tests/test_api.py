"""The procedures API: the catalogue list (filters, pagination, scope) and one TTHC with its current
steps and the allowance gap; another agency's TTHC is a 404."""

import pytest

from eiso.procedures.services import admin_procedure_create
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth(agency_a, unit_a, one_stop_a):
    procedure, _definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a, days=5)
    return procedure


def test_list_filters_and_paginates(api_for, a_staff, agency_a, birth):
    admin_procedure_create(actor=None, agency=agency_a, code="2.000908", name="Chứng thực bản sao",
                           field="Chứng thực", time_limit_days=1)
    api = api_for(a_staff)
    body = api.get("/api/v1/admin-procedures").json()
    assert body["count"] == 2
    assert {p["code"] for p in body["items"]} == {"1.004227", "2.000908"}
    body = api.get("/api/v1/admin-procedures", {"q": "chung thuc"}).json()
    assert [p["code"] for p in body["items"]] == ["2.000908"]
    assert body["items"][0]["coverage"] == "no_procedure"
    body = api.get("/api/v1/admin-procedures", {"coverage": "not_effective"}).json()
    assert [p["code"] for p in body["items"]] == ["1.004227"]
    body = api.get("/api/v1/admin-procedures", {"limit": 1}).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert api.get("/api/v1/admin-procedures", {"level": "nope"}).status_code in (400, 422)


def test_list_is_scoped(api_for, b_staff, overseer, q_overseer, birth):
    assert api_for(b_staff).get("/api/v1/admin-procedures").json()["count"] == 0
    assert api_for(q_overseer).get("/api/v1/admin-procedures").json()["count"] == 0
    assert api_for(overseer).get("/api/v1/admin-procedures").json()["count"] == 1


def test_detail_has_the_current_steps_and_the_allowance_gap(api_for, a_staff, birth):
    response = api_for(a_staff).get(f"/api/v1/admin-procedures/{birth.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [(s["number"], s["name"], float(s["allowance_hours"])) for s in body["steps"]] == [
        (1, "Tiếp nhận, kiểm tra hồ sơ", 4.0), (2, "Thẩm định, trình ký", 16.0), (3, "Trả kết quả", 4.0)]
    assert body["steps"][1]["unit"]["code"] == "HCTP"
    assert float(body["total_hours"]) == 24 and float(body["allowance_gap_hours"]) == -16  # 5 days = 40 h
    assert body["process_document"]["code"] == "QT-HT-01" and body["process_version"] == 1


def test_detail_of_another_agency_is_404(api_for, b_head, birth):
    response = api_for(b_head).get(f"/api/v1/admin-procedures/{birth.pk}")
    assert response.status_code == 404 and "Đăng ký khai sinh" not in response.content.decode()


def test_anonymous_is_refused(client, birth):
    assert client.get("/api/v1/admin-procedures").status_code == 401
