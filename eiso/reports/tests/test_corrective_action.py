"""The corrective action request in Word, downloaded and read back."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from eiso.improvements.tests.factories import DUE, implemented, make_nc, verified
from eiso.reports.tests.reading import (
    body_text,
    heading_agency,
    justified_cells,
    open_docx,
    signature_kept_together,
)

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


def test_the_request_carries_its_own_date_number_and_four_signature_places(client_for, agency_a, unit_a, a_secretary,
                                                                           a_staff, a_head):
    """Dated by its nonconformity (not the day it is printed), numbered as the agency numbers its
    documents, signed by who asks, who acts, who verifies and the head who approves; no justified
    cell, and the signatures never alone on a page."""
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = verified(nc, a_secretary, a_staff, verifier=a_secretary, verification_due_on=DUE)
    with time_machine.travel(dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client_for(a_staff).get(reverse("reports:corrective-action-docx", args=[action.pk]))
    document = open_docx(response.content)
    text = body_text(document)
    assert nc.code == "NC-2026-001"
    assert "Số: 01/HĐKP-STP" in heading_agency(document)
    assert "Ngày 02 tháng 3 năm 2026" in text or ", ngày 02 tháng 3 năm 2026" in text  # DETECTED
    assert "năm 2027" not in text
    for label in ("NGƯỜI YÊU CẦU", "NGƯỜI THỰC HIỆN", "NGƯỜI KIỂM TRA HIỆU LỰC", "LÃNH ĐẠO PHÊ DUYỆT"):
        assert label in text
    signatures = [c.text for row in document.tables[-1].rows for c in row.cells]
    assert [c.split("\n")[-1] for c in signatures] == [a_secretary.full_name, a_staff.full_name,
                                                         a_secretary.full_name, a_head.full_name]
    assert justified_cells(document) == []
    assert signature_kept_together(document)
