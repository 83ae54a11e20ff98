"""Dates in the API are YYYY-MM-DD text: a number, a date-time or a loose string is refused (422),
never stored as 1970-01-01."""

import pytest

from eiso.documents.models import ExternalDocument

pytestmark = pytest.mark.django_db

URL = "/api/v1/external-documents"


def payload(**dates):
    return {"number": "118/2025/NĐ-CP", "type": "decree", "title": "Nghị định về một cửa", "issuer": "Chính phủ",
            **dates}


@pytest.mark.parametrize("value", [0, 1735689600, 20260101.0, True, "0", "2026-01-01T00:00:00", "01/02/2026", ""])
def test_a_date_that_is_not_yyyy_mm_dd_is_refused(api_for, a_secretary, value):
    response = api_for(a_secretary).post(URL, payload(effective_on=value), content_type="application/json")
    assert response.status_code == 422, response.content
    assert not ExternalDocument.objects.exists()


def test_a_yyyy_mm_dd_date_is_taken(api_for, a_secretary):
    response = api_for(a_secretary).post(URL, payload(effective_on="2026-01-01"), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    assert ExternalDocument.objects.get().effective_on.isoformat() == "2026-01-01"
