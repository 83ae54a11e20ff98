"""The step table of an operational procedure's Word/PDF output comes from its current process."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from eiso.documents.services.revisions import revision_issue_imported
from eiso.procedures.imports import IMPORTED_SUMMARY
from eiso.procedures.tests.factories import procedure_with_process
from eiso.reports.collectors.documents import step_duration

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(agency_a, unit_a, one_stop_a):
    procedure, _definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    revision_issue_imported(actor=None, document=procedure.process_document, summary=IMPORTED_SUMMARY,
                            on=datetime.date(2026, 3, 2))
    return procedure.process_document


def test_step_duration():
    assert step_duration(16) == "2 ngày làm việc"
    assert step_duration(4) == "4 giờ làm việc"
    assert step_duration("2.50") == "2,5 giờ làm việc"


def test_docx_has_the_step_table(client_for, a_staff, document):
    response = client_for(a_staff).get(reverse("reports:procedure-docx", args=[document.pk]))
    assert response.status_code == 200
    rows = [[c.text for c in r.cells] for t in docx.Document(io.BytesIO(response.content)).tables for r in t.rows]
    row = next(r for r in rows if "Thẩm định, trình ký" in r)
    assert "2" in row and "Phòng Hành chính tư pháp" in row and "2 ngày làm việc" in row and "BM-02" in row
    assert any("Tiếp nhận, kiểm tra hồ sơ" in r and "Bộ phận Một cửa" in r and "4 giờ làm việc" in r for r in rows)


def test_pdf_has_the_step_table(client_for, a_staff, document):
    response = client_for(a_staff).get(reverse("reports:procedure-pdf", args=[document.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Thẩm định, trình ký" in text and "BM-03" in text
