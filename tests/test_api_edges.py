import json

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_json_405(api_for, a_staff):
    response = api_for(a_staff).delete("/api/v1/agencies")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_openapi_schema_has_real_vietnamese_letters(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert "\\u" not in body
    assert "ISO điện tử" in body
    schema = json.loads(body)
    assert "/api/v1/agencies/{agency_id}" in schema["paths"]
