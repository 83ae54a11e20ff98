"""The procedure layouts, from plain data: open what they write with python-docx and pypdf."""

import io

from pypdf import PdfReader

from eiso.reports.content import MARK_OBSOLETE
from eiso.reports.layouts.procedure_docx import procedure_docx
from eiso.reports.layouts.procedure_pdf import procedure_pdf
from eiso.reports.tests import factories as samples
from eiso.reports.tests.reading import (
    A4_PT,
    W,
    assert_a4_and_margins,
    assert_times_new_roman,
    body_text,
    header_text,
    open_docx,
)

# --- the procedure in Word -----------------------------------------------------------------------------


def test_procedure_docx_has_the_seven_sections_in_order():
    document = open_docx(procedure_docx(samples.procedure()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1. MỤC ĐÍCH",
        "2. PHẠM VI",
        "3. TÀI LIỆU VIỆN DẪN",
        "4. ĐỊNH NGHĨA, TỪ VIẾT TẮT",
        "5. NỘI DUNG",
        "6. BIỂU MẪU",
        "7. HỒ SƠ CẦN LƯU",
    ]
    text = body_text(document)
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Luật 60/2014/QH13: Luật Hộ tịch" in text  # section 3: type, number and title
    assert "Nghị định 61/2018/NĐ-CP" in text and "(hết hiệu lực)" in text
    assert "5.2 Thành phần hồ sơ" in text
    assert "Nội dung sửa đổi" in text


def test_procedure_docx_tables_steps_forms_records_and_approval():
    document = open_docx(procedure_docx(samples.procedure()))
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    approval = tables[("", "Người soạn thảo", "Người xem xét", "Người phê duyệt")]
    assert [c.text for c in approval.rows[2].cells] == [
        "Họ và tên",
        "Phan Thị Mai",
        "Đặng Quốc Bảo",
        "Nguyễn Văn Hùng",
    ]
    steps = tables[("Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả")]
    assert len(steps.rows) == 5 and steps.rows[1].cells[0].text == "B1"
    forms = tables[("TT", "Mã hiệu", "Tên biểu mẫu")]
    assert [c.text for c in forms.rows[1].cells] == ["1", "BM-01-QT05", "Tờ khai đăng ký khai sinh"]
    records = tables[("TT", "Mã hồ sơ", "Tên hồ sơ", "Nơi lưu", "Thời gian lưu")]
    assert [c.text for c in records.rows[2].cells] == [
        "2",
        "HS-QT05-02",
        "Sổ theo dõi hồ sơ",
        "Bộ phận Một cửa",
        "05 năm",
    ]
    assert records.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # header row repeats on each page


def test_procedure_docx_header_on_every_page_with_page_fields():
    document = open_docx(procedure_docx(samples.procedure()))
    text = header_text(document)
    # the agency's name breaks before its place name, kept whole (it read "… TỈNH NGHỆ / AN")
    for expected in (
        "SỞ TƯ PHÁP\nTỈNH\u00a0NGHỆ\u00a0AN",
        "Mã hiệu: QT-05/HCTP",
        "Lần ban hành: 02",
        "Ngày hiệu lực: 01/07/2025",
        "Trang ",
        "QUY TRÌNH GIẢI QUYẾT THỦ TỤC ĐĂNG KÝ KHAI SINH",
    ):
        assert expected in text, expected
    xml = document.sections[0].header._element.xml
    assert " PAGE " in xml and " NUMPAGES " in xml
    assert document.sections[0].different_first_page_header_footer is False  # one header for all pages


def test_procedure_docx_page_and_fonts():
    document = open_docx(procedure_docx(samples.procedure()))
    assert_a4_and_margins(document)
    assert_times_new_roman(document)
    assert document.styles["Heading 1"].font.name == "Times New Roman"


def test_procedure_docx_without_steps_forms_or_records():
    data = samples.procedure(steps=(), forms=(), records=(), references=(), definitions="")
    document = open_docx(procedure_docx(data))
    text = body_text(document)
    assert "Bước" not in [t.rows[0].cells[0].text for t in document.tables]
    assert text.count("Không có.") == 4  # references, definitions, forms, records


def test_obsolete_procedure_is_marked_in_the_header_body_and_watermark():
    document = open_docx(procedure_docx(samples.obsolete_procedure()))
    assert MARK_OBSOLETE in header_text(document)  # every page
    assert document.paragraphs[0].text.startswith(MARK_OBSOLETE)
    assert f'string="{MARK_OBSOLETE}"' in document.sections[0].header._element.xml
    effective = open_docx(procedure_docx(samples.procedure()))
    assert MARK_OBSOLETE not in header_text(effective) + body_text(effective)


def test_text_is_stored_composed():
    decomposed = "Thu\u0309 tu\u0323c"  # "Thủ tục" typed with combining marks
    document = open_docx(procedure_docx(samples.procedure(purpose=decomposed)))
    assert "Thủ tục" in body_text(document)


# --- the procedure in PDF ------------------------------------------------------------------------------


def test_procedure_pdf_pages_a4_and_vietnamese_text():
    reader = PdfReader(io.BytesIO(procedure_pdf(samples.procedure())))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox[2:]] == [round(v, 1) for v in A4_PT]
    text = "\n".join(page.extract_text() for page in reader.pages)
    total = len(reader.pages)
    for n in range(1, total + 1):
        assert f"Trang {n}/{total}" in text
    for expected in (
        "Thủ tục đăng ký khai sinh",
        "Mã hiệu: QT-05/HCTP",
        "Lần ban hành: 02",
        "Ngày hiệu lực: 01/07/2025",
        "1. MỤC ĐÍCH",
        "7. HỒ SƠ CẦN LƯU",
        "Người phê duyệt",
        "Nguyễn Văn Hùng",
        "Đặng Quốc Bảo",
        "Tiếp nhận, kiểm tra hồ sơ",
        "Tờ khai đăng ký khai sinh",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "QT-05/HCTP Quy trình giải quyết Thủ tục đăng ký khai sinh"


def test_procedure_pdf_embeds_its_fonts():
    reader = PdfReader(io.BytesIO(procedure_pdf(samples.procedure())))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert all("LiberationSerif" in name for name in fonts), fonts


def test_obsolete_procedure_pdf_is_marked():
    reader = PdfReader(io.BytesIO(procedure_pdf(samples.obsolete_procedure())))
    assert all(MARK_OBSOLETE in page.extract_text() for page in reader.pages)
    effective = PdfReader(io.BytesIO(procedure_pdf(samples.procedure())))
    assert all(MARK_OBSOLETE not in page.extract_text() for page in effective.pages)


def test_long_procedure_pdf_numbers_every_page():
    long_text = "\n".join(
        f"- Nội dung công việc thứ {i}: tiếp nhận, thẩm định và trả kết quả đúng hạn." for i in range(150)
    )
    reader = PdfReader(io.BytesIO(procedure_pdf(samples.procedure(content=long_text))))
    total = len(reader.pages)
    assert total >= 4
    assert f"Trang {total}/{total}" in reader.pages[-1].extract_text()
    assert "Mã hiệu: QT-05/HCTP" in reader.pages[-1].extract_text()


def test_markup_characters_are_text_not_markup():
    data = samples.procedure(purpose="Điều kiện: a < b & c > d <b>không đậm</b>")
    text = PdfReader(io.BytesIO(procedure_pdf(data))).pages[0].extract_text()
    assert "a < b & c > d <b>không đậm</b>" in text
    assert "a < b & c > d" in body_text(open_docx(procedure_docx(data)))
