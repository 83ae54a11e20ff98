"""The external (legal) document register through the API: list, one, create."""

import datetime
import json

import pytest

from eiso.documents.choices import ExternalDocumentStatus, ExternalDocumentType
from eiso.documents.models import ExternalDocument
from eiso.documents.services.external import external_document_create

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def body(response):
    assert response["Content-Type"].startswith(JSON), response.content[:300]
    return json.loads(response.content)


def post(client, path, data):
    return client.post(path, json.dumps(data), content_type=JSON)


def add(agency, number, title, **extra):
    return external_document_create(
        actor=None,
        agency=agency,
        number=number,
        doc_type=extra.pop("doc_type", ExternalDocumentType.DECREE),
        title=title,
        issuer=extra.pop("issuer", "Chính phủ"),
        **extra,
    )


@pytest.fixture
def decree_a(agency_a):
    return add(
        agency_a,
        "61/2018/NĐ-CP",
        "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông",
        issued_on=datetime.date(2018, 4, 23),
        effective_on=datetime.date(2018, 6, 21),
    )


@pytest.fixture
def law_b(agency_b):
    return add(agency_b, "50/2014/QH13", "Luật Xây dựng", doc_type=ExternalDocumentType.LAW, issuer="Quốc hội")


PAYLOAD = {
    "number": "118/2025/NĐ-CP",
    "type": "decree",
    "title": "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
    "issuer": "Chính phủ",
    "issued_on": "2025-06-09",
    "effective_on": "2025-07-01",
}


def test_list_is_scoped_and_filtered(api_for, decree_a, law_b, a_staff, b_staff, overseer, q_overseer):
    def numbers(user, **params):
        return [d["number"] for d in body(api_for(user).get("/api/v1/external-documents", params))["items"]]

    assert numbers(a_staff) == ["61/2018/NĐ-CP"]
    assert numbers(b_staff) == ["50/2014/QH13"]
    assert sorted(numbers(overseer)) == ["50/2014/QH13", "61/2018/NĐ-CP"]
    assert numbers(q_overseer) == []
    assert numbers(overseer, type="law") == ["50/2014/QH13"]
    assert numbers(overseer, q="61/2018/nd-cp") == ["61/2018/NĐ-CP"]  # folded
    assert numbers(overseer, agency="STP") == ["61/2018/NĐ-CP"]
    assert numbers(overseer, status="expired") == []
    page = body(api_for(overseer).get("/api/v1/external-documents", {"limit": 1}))
    assert page["count"] == 2 and len(page["items"]) == 1
    assert api_for(a_staff).get("/api/v1/external-documents", {"type": "novel"}).status_code == 422


def test_detail_and_other_agency(api_for, decree_a, a_staff, b_staff, q_overseer):
    data = body(api_for(a_staff).get(f"/api/v1/external-documents/{decree_a.pk}"))
    assert data["number"] == "61/2018/NĐ-CP" and data["type"] == "decree" and data["issuer"] == "Chính phủ"
    assert data["effective_on"] == "2018-06-21" and data["status"] == "in_force" and data["replaced_by"] is None
    assert data["agency"]["code"] == "STP"
    for user in (b_staff, q_overseer):
        client = api_for(user)
        other = client.get(f"/api/v1/external-documents/{decree_a.pk}")
        missing = client.get("/api/v1/external-documents/987654")
        assert other.status_code == missing.status_code == 404 and other.content == missing.content


def test_create_by_the_secretary(api_for, a_secretary, agency_a, decree_a):
    response = post(api_for(a_secretary), "/api/v1/external-documents", PAYLOAD)
    data = body(response)
    assert response.status_code == 201, data
    created = ExternalDocument.objects.get(number="118/2025/NĐ-CP")
    assert created.agency == agency_a and created.doc_type == ExternalDocumentType.DECREE
    assert data["id"] == created.pk and data["effective_on"] == "2025-07-01" and data["type"] == "decree"
    assert "118/2025/NĐ-CP".encode() in response.content
    # and it is searchable, folded
    found = body(api_for(a_secretary).get("/api/v1/search", {"q": "118/2025/nd-cp", "type": "external"}))
    assert [(r["type"], r["id"]) for r in found["results"]] == [("external", created.pk)]


def test_create_replacing_an_old_one(api_for, a_secretary, decree_a):
    response = post(
        api_for(a_secretary),
        "/api/v1/external-documents",
        {**PAYLOAD, "number": "99/2025/NĐ-CP", "replaced_by": "61/2018/NĐ-CP", "status": "expired"},
    )
    data = body(response)
    assert response.status_code == 201, data
    assert data["replaced_by"] == {"id": decree_a.pk, "number": "61/2018/NĐ-CP"}
    assert data["status"] == ExternalDocumentStatus.EXPIRED


@pytest.mark.parametrize("who", ["a_staff", "a_unit_head", "overseer", "q_overseer"])
def test_create_without_permission_is_403(request, api_for, who, agency_a):
    user = request.getfixturevalue(who)
    response = post(api_for(user), "/api/v1/external-documents", PAYLOAD)
    assert response.status_code == 403, body(response)
    assert not ExternalDocument.objects.exists()


def test_create_refuses_bad_bodies_and_another_agencys_replacement(api_for, a_secretary, decree_a, law_b):
    client = api_for(a_secretary)
    data = body(post(client, "/api/v1/external-documents", {**PAYLOAD, "replaced_by": "50/2014/QH13"}))
    assert data["code"] == "invalid" and "replaced_by" in data["errors"]  # B's law does not exist for A
    data = body(post(client, "/api/v1/external-documents", {**PAYLOAD, "number": "61/2018/NĐ-CP"}))
    assert data["code"] == "invalid" and "number" in data["errors"]  # already in the register
    response = post(client, "/api/v1/external-documents", {**PAYLOAD, "expires_on": "2020-01-01"})
    assert response.status_code == 400
    assert post(client, "/api/v1/external-documents", {**PAYLOAD, "type": "novel"}).status_code == 422
    assert post(client, "/api/v1/external-documents", {**PAYLOAD, "agency": "SXD"}).status_code == 422
    assert ExternalDocument.objects.count() == 2
