"""The process control slip and the apology letter, in Word and PDF, read back."""

import io

import pytest
import time_machine
from docx import Document
from pypdf import PdfReader

from eiso.dossiers.services.apology import apology_issue
from eiso.dossiers.tests.factories.dossiers import NOW, dossiers_of_agency_a, t

pytestmark = pytest.mark.django_db
clock = time_machine.travel(NOW, tick=False)


@pytest.fixture
def d(agency_a, unit_a, one_stop_a):
    return dossiers_of_agency_a(agency_a, unit_a, one_stop_a)


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ")  # a non-breaking space reads as a space


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\u00a0", " ")


SLIP_TEXTS = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ TƯ PHÁP",
              "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "STP-260213-0001", "Nguyễn Văn An",
              "Đăng ký khai sinh có yếu tố nước ngoài", "10 giờ 00 phút, ngày 13/02/2026",
              "10 giờ 00 phút, ngày 25/02/2026", "Giao: Bộ phận Một cửa", "Nhận: Phòng Hành chính tư pháp",
              "14 giờ 00 phút, ngày 13/02/2026", "Đúng hạn", "Quá hạn", "Thẩm định, trình ký"]


@clock
def test_control_slip_docx(d, client_for, a_staff):
    response = client_for(a_staff).get(f"/reports/dossiers/{d['late'].pk}/control-slip.docx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    for expected in SLIP_TEXTS:
        assert expected in text, expected
    assert "THỜI GIAN GIAO, NHẬN HỒ SƠ" in text and "KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text


@clock
def test_control_slip_result_and_note_columns_are_wide_enough(d, client_for, a_staff):
    """The notes (the step and its due time) were squeezed into 31 mm, one word a line."""
    from docx.shared import Mm

    from eiso.reports.tests.reading import justified_cells

    document = Document(io.BytesIO(client_for(a_staff).get(f"/reports/dossiers/{d['late'].pk}/control-slip.docx")
                                   .content))
    slip = next(t for t in document.tables if "GHI CHÚ" in t.rows[0].cells[-1].text)
    handover, moment, result, note = (round(c.width / Mm(1)) for c in slip.columns)
    assert result >= 35 and note >= 50 and handover + moment + result + note <= 165
    assert justified_cells(document) == []


@clock
def test_control_slip_pdf(d, client_for, a_staff):
    response = client_for(a_staff).get(f"/reports/dossiers/{d['late'].pk}/control-slip.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    for expected in SLIP_TEXTS:
        assert " ".join(expected.split()) in text, expected


@clock
def test_an_open_dossier_prints_blanks_for_hand_overs_still_to_come(d, client_for, a_staff):
    text = docx_text(client_for(a_staff).get(f"/reports/dossiers/{d['overdue'].pk}/control-slip.docx").content)
    assert "11 giờ 00 phút, ngày 02/03/2026" in text and "…giờ…phút, ngày…/…/……" in text


@clock
def test_apology_letter_docx_and_pdf(d, client_for, a_head, a_staff):
    dossier = d["overdue"]
    url = f"/reports/dossiers/{dossier.pk}/apology"
    assert client_for(a_staff).get(f"{url}.docx").status_code == 404  # no letter yet
    apology_issue(actor=a_head, dossier=dossier, reason="Chờ kết quả xác minh của Công an tỉnh",
                  new_due_at=t(2026, 3, 11, 16), now=NOW)
    expected = ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ TƯ PHÁP",
                "Kính gửi: Lê Văn Cường", "STP-260302-0003", "Đăng ký khai sinh có yếu tố nước ngoài",
                "Chờ kết quả xác minh của Công an tỉnh", "16 giờ 00 phút, ngày 11/03/2026",
                "17 giờ 00 phút, ngày 04/03/2026", "xin lỗi Ông/Bà", "ngày 06 tháng 3 năm 2026"]
    text = docx_text(client_for(a_staff).get(f"{url}.docx").content)
    for e in expected:
        assert e in text, e
    text = " ".join(pdf_text(client_for(a_staff).get(f"{url}.pdf").content).split())
    for e in expected:
        assert e in text, e
    # the slip now carries the new appointment
    slip = docx_text(client_for(a_staff).get(f"/reports/dossiers/{dossier.pk}/control-slip.docx").content)
    assert "Hẹn lại thời gian trả kết quả" in slip and "16 giờ 00 phút, ngày 11/03/2026" in slip


@clock
def test_printouts_of_another_agency_are_404(d, client_for, b_head, overseer, q_overseer):
    apology_issue(actor=None, dossier=d["overdue"], reason="Lý do", new_due_at=t(2026, 3, 11, 16), now=NOW)
    for suffix in ("control-slip.docx", "control-slip.pdf", "apology.docx", "apology.pdf"):
        url = f"/reports/dossiers/{d['overdue'].pk}/{suffix}"
        assert client_for(b_head).get(url).status_code == 404
        assert client_for(q_overseer).get(url).status_code == 404
        assert client_for(overseer).get(url).status_code == 200  # the province's overseer reads them


@clock
def test_the_slip_prints_the_last_step_closed_by_the_return(d, client_for, a_staff):
    """Returned with no hand-over of its last step recorded: the slip prints the return as that
    step's hand-over, with its result (it printed the row blank)."""
    from eiso.dossiers.models import Dossier
    from eiso.dossiers.services.recording import EventRow, dossier_events_record

    code = "STP-260302-0009"
    dossier_events_record(actor=None, source="test", rows=[
        EventRow(row=1, code=code, kind="received", at=t(2026, 3, 2, 8), agency_code="STP",
                 procedure_code=d["tthc"].code, applicant="Vũ Thị Hoa"),
        EventRow(row=2, code=code, kind="step_done", at=t(2026, 3, 2, 9), step=1),
        EventRow(row=3, code=code, kind="step_done", at=t(2026, 3, 3, 10), step=2),
        EventRow(row=4, code=code, kind="returned", at=t(2026, 3, 3, 15))])
    dossier = Dossier.objects.get(code=code)
    assert dossier.steps[-1]["finished_at"] is not None and dossier.current_step is None
    text = docx_text(client_for(a_staff).get(f"/reports/dossiers/{dossier.pk}/control-slip.docx").content)
    assert "15 giờ 00 phút, ngày 03/03/2026" in text
