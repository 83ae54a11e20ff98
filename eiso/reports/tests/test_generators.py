"""The generators, from plain data: open what they write with python-docx, pypdf and openpyxl."""

import io

import docx
import pytest
from docx.shared import Mm, Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from eiso.reports import excel, pdf, word
from eiso.reports.content import MARK_OBSOLETE
from eiso.reports.tests import samples
from eiso.reports.vocabulary import dated_line, retention_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A4_PT = (595.2756, 841.8898)


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def header_text(document) -> str:
    header = document.sections[0].header
    return "\n".join(cell.text for table in header.tables for row in table.rows for cell in row.cells)


def body_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def assert_a4_and_margins(document, *, landscape=False):
    section = document.sections[0]
    size = sorted([round(section.page_width / Mm(1)), round(section.page_height / Mm(1))])
    assert size == [210, 297]
    assert (section.page_width > section.page_height) == landscape
    assert 20 <= round(section.top_margin / Mm(1)) <= 25
    assert 20 <= round(section.bottom_margin / Mm(1)) <= 25
    assert 30 <= round(section.left_margin / Mm(1)) <= 35
    assert 15 <= round(section.right_margin / Mm(1)) <= 20


def assert_times_new_roman(document):
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)
    fonts = normal.element.rPr.find(f"{W}rFonts")
    assert {fonts.get(f"{W}{k}") for k in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    # The document defaults name it too, so no text falls back to the template's Calibri.
    defaults = document.styles.element.find(f"{W}docDefaults").find(f"{W}rPrDefault").find(f"{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}ascii") == "Times New Roman"


# --- the procedure in Word -----------------------------------------------------------------------------


def test_procedure_docx_has_the_seven_sections_in_order():
    document = open_docx(word.procedure_docx(samples.procedure()))
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
    document = open_docx(word.procedure_docx(samples.procedure()))
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
    document = open_docx(word.procedure_docx(samples.procedure()))
    text = header_text(document)
    for expected in (
        "SỞ TƯ PHÁP TỈNH NGHỆ AN",
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
    document = open_docx(word.procedure_docx(samples.procedure()))
    assert_a4_and_margins(document)
    assert_times_new_roman(document)
    assert document.styles["Heading 1"].font.name == "Times New Roman"


def test_procedure_docx_without_steps_forms_or_records():
    data = samples.procedure(steps=(), forms=(), records=(), references=(), definitions="")
    document = open_docx(word.procedure_docx(data))
    text = body_text(document)
    assert "Bước" not in [t.rows[0].cells[0].text for t in document.tables]
    assert text.count("Không có.") == 4  # references, definitions, forms, records


def test_obsolete_procedure_is_marked_in_the_header_body_and_watermark():
    document = open_docx(word.procedure_docx(samples.obsolete_procedure()))
    assert MARK_OBSOLETE in header_text(document)  # every page
    assert document.paragraphs[0].text.startswith(MARK_OBSOLETE)
    assert f'string="{MARK_OBSOLETE}"' in document.sections[0].header._element.xml
    effective = open_docx(word.procedure_docx(samples.procedure()))
    assert MARK_OBSOLETE not in header_text(effective) + body_text(effective)


def test_text_is_stored_composed():
    decomposed = "Thu\u0309 tu\u0323c"  # "Thủ tục" typed with combining marks
    document = open_docx(word.procedure_docx(samples.procedure(purpose=decomposed)))
    assert "Thủ tục" in body_text(document)


# --- the procedure in PDF ------------------------------------------------------------------------------


def test_procedure_pdf_pages_a4_and_vietnamese_text():
    reader = PdfReader(io.BytesIO(pdf.procedure_pdf(samples.procedure())))
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
    reader = PdfReader(io.BytesIO(pdf.procedure_pdf(samples.procedure())))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert all("LiberationSerif" in name for name in fonts), fonts


def test_obsolete_procedure_pdf_is_marked():
    reader = PdfReader(io.BytesIO(pdf.procedure_pdf(samples.obsolete_procedure())))
    assert all(MARK_OBSOLETE in page.extract_text() for page in reader.pages)
    effective = PdfReader(io.BytesIO(pdf.procedure_pdf(samples.procedure())))
    assert all(MARK_OBSOLETE not in page.extract_text() for page in effective.pages)


def test_long_procedure_pdf_numbers_every_page():
    long_text = "\n".join(
        f"- Nội dung công việc thứ {i}: tiếp nhận, thẩm định và trả kết quả đúng hạn." for i in range(150)
    )
    reader = PdfReader(io.BytesIO(pdf.procedure_pdf(samples.procedure(content=long_text))))
    total = len(reader.pages)
    assert total >= 4
    assert f"Trang {total}/{total}" in reader.pages[-1].extract_text()
    assert "Mã hiệu: QT-05/HCTP" in reader.pages[-1].extract_text()


def test_markup_characters_are_text_not_markup():
    data = samples.procedure(purpose="Điều kiện: a < b & c > d <b>không đậm</b>")
    text = PdfReader(io.BytesIO(pdf.procedure_pdf(data))).pages[0].extract_text()
    assert "a < b & c > d <b>không đậm</b>" in text
    assert "a < b & c > d" in body_text(open_docx(word.procedure_docx(data)))


# --- registers in Word -----------------------------------------------------------------------------------


def test_document_register_docx():
    data = samples.register(25)
    document = open_docx(word.document_register_docx(data))
    assert_a4_and_margins(document, landscape=True)
    assert_times_new_roman(document)
    text = body_text(document)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP TỈNH NGHỆ AN",
        "UBND TỈNH NGHỆ AN",
        "DANH MỤC TÀI LIỆU NỘI BỘ",
        "Nghệ An, ngày 05 tháng 3 năm 2026",
    ):
        assert expected in text, expected
    table = document.tables[-2]  # the last one is the signature block
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Mã hiệu",
        "Tên tài liệu",
        "Loại tài liệu",
        "Đơn vị soạn thảo",
        "Lần ban hành",
        "Ngày hiệu lực",
    ]
    assert len(table.rows) == 26
    first = data.rows[0]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        first.code,
        first.title,
        first.kind,
        first.unit,
        f"{first.issue_number:02d}",
        first.effective_date.strftime("%d/%m/%Y"),
    ]
    assert "Nguyễn Văn Hùng" in text


def test_revision_history_docx():
    document = open_docx(word.revision_history_docx(samples.history()))
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "Lần ban hành",
        "Ngày hiệu lực",
        "Nội dung sửa đổi",
        "Người soạn thảo",
        "Người xem xét",
        "Người phê duyệt",
        "Tình trạng",
    ]
    assert [c.text for c in table.rows[1].cells][:3] == [
        "02",
        "01/07/2025",
        "Cập nhật theo Nghị định 118/2025/NĐ-CP",
    ]
    assert "QT-05/HCTP — Quy trình đăng ký khai sinh" in body_text(document)


def test_filelist_docx_groups_files_under_their_record_type():
    document = open_docx(word.filelist_docx(samples.file_list()))
    table = document.tables[-2]
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Mã hồ sơ",
        "Tên hồ sơ",
        "Thời hạn bảo quản",
        "Người lập",
        "Vị trí lưu",
        "Ghi chú",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0][0] == "QT-05 Đăng ký khai sinh"  # a heading row spanning the width
    assert rows[1] == [
        "1",
        "01.HCTP",
        "Hồ sơ đăng ký khai sinh năm 2026",
        "Vĩnh viễn",
        "Phan Thị Mai",
        "Tủ 01, ngăn 2",
        "",
    ]
    assert rows[4][0] == "3" and rows[4][-1] == "Hết hạn bảo quản"
    text = body_text(document)
    assert "DANH MỤC HỒ SƠ NĂM 2026" in text and "Phòng Hành chính tư pháp" in text


# --- Excel ---------------------------------------------------------------------------------------------


def open_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def assert_table_sheet(sheet, headers):
    assert [c.value for c in sheet[1]] == headers
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet["A1"].font.bold
    assert max(d.width for d in sheet.column_dimensions.values()) >= 50  # the title column
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)


def test_document_register_xlsx():
    data = samples.register(30)
    sheet = open_sheet(excel.document_register_xlsx(data))
    assert_table_sheet(
        sheet,
        [
            "STT",
            "Mã hiệu",
            "Tên tài liệu",
            "Loại tài liệu",
            "Đơn vị soạn thảo",
            "Lần ban hành",
            "Ngày hiệu lực",
        ],
    )
    assert sheet.max_row == 31 and sheet.auto_filter.ref == "A1:G31"
    first = data.rows[0]
    values = [c.value for c in sheet[2]]
    assert values[:6] == [1, first.code, first.title, first.kind, first.unit, first.issue_number]
    assert values[6].date() == first.effective_date and sheet["G2"].number_format == "DD/MM/YYYY"


def test_filelist_and_disposal_xlsx():
    sheet = open_sheet(excel.filelist_xlsx(samples.file_list()))
    assert_table_sheet(
        sheet,
        [
            "STT",
            "Mã hồ sơ",
            "Tên hồ sơ",
            "Thời hạn bảo quản",
            "Người lập",
            "Vị trí lưu",
            "Ghi chú",
            "Nhóm hồ sơ",
        ],
    )
    assert [c.value for c in sheet[2]][:4] == [1, "01.HCTP", "Hồ sơ đăng ký khai sinh năm 2026", "Vĩnh viễn"]
    sheet = open_sheet(excel.disposal_xlsx(samples.disposal()))
    assert sheet["B2"].value == "02.HCTP" and sheet["H2"].value.year == 2024


def test_external_register_xlsx():
    sheet = open_sheet(excel.external_register_xlsx(samples.external()))
    assert_table_sheet(
        sheet,
        [
            "STT",
            "Số, ký hiệu",
            "Loại văn bản",
            "Trích yếu",
            "Cơ quan ban hành",
            "Ngày ban hành",
            "Ngày hiệu lực",
            "Ngày hết hiệu lực",
            "Tình trạng",
            "Thay thế bởi",
            "Quy trình viện dẫn",
        ],
    )
    row = [c.value for c in sheet[2]]
    assert row[1] == "61/2018/NĐ-CP" and row[8] == "Hết hiệu lực" and row[9] == "118/2025/NĐ-CP"
    assert row[6].date().isoformat() == "2018-06-21"
    assert sheet["H3"].value is None  # still in force: no expiry date


# --- vocabulary -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2026, 3, 5), "Nghệ An, ngày 05 tháng 3 năm 2026"),
        ((2026, 1, 15), "Nghệ An, ngày 15 tháng 01 năm 2026"),
        ((2025, 12, 31), "Nghệ An, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_dated_line_follows_decree_30(day, expected):
    import datetime

    assert dated_line("Nghệ An", datetime.date(*day)) == expected


def test_retention_text():
    assert retention_text(None) == "Vĩnh viễn"
    assert retention_text(5) == "05 năm"
    assert retention_text(20) == "20 năm"
