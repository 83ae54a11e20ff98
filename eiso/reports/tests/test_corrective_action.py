"""The corrective action request in Word, downloaded and read back."""

import pytest
from django.urls import reverse

from eiso.improvements.tests.factories import implemented, make_nc

pytestmark = pytest.mark.django_db


def test_corrective_action_request_docx(client_for, agency_a, unit_a, a_secretary, a_staff):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = implemented(nc, a_secretary, a_staff)
    response = client_for(a_staff).get(reverse("reports:corrective-action-docx", args=[action.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "PHIẾU YÊU CẦU HÀNH ĐỘNG KHẮC PHỤC" in text and nc.code in text
