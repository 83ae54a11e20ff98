"""The register layouts, from plain data: open what they write with python-docx and openpyxl."""

import io
from dataclasses import replace

from openpyxl import load_workbook

from eiso.reports.content import RegisterRow
from eiso.reports.layouts import registers, spreadsheets
from eiso.reports.tests import factories as samples
from eiso.reports.tests.reading import (
    assert_a4_and_margins,
    assert_times_new_roman,
    body_text,
    heading_agency,
    justified_cells,
    open_docx,
    signature_kept_together,
)

# --- registers in Word -----------------------------------------------------------------------------------


def test_document_register_docx():
    data = samples.register(25)
    document = open_docx(registers.document_register_docx(data))
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
    document = open_docx(registers.revision_history_docx(samples.history()))
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
    document = open_docx(registers.filelist_docx(samples.file_list()))
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
    sheet = open_sheet(spreadsheets.document_register_xlsx(data))
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
            "Tình trạng",
        ],
    )
    assert sheet.max_row == 31 and sheet.auto_filter.ref == "A1:H31"
    first = data.rows[0]
    values = [c.value for c in sheet[2]]
    assert values[:6] == [1, first.code, first.title, first.kind, first.unit, first.issue_number]
    assert values[6].date() == first.effective_date and sheet["G2"].number_format == "DD/MM/YYYY"
    assert values[7] == "Đã ban hành"


def test_registers_print_right_no_justified_cells_no_lonely_signature_no_broken_place():
    for content in (registers.document_register_docx(samples.register(40)),
                    registers.filelist_docx(samples.file_list())):
        document = open_docx(content)
        assert justified_cells(document) == []
        assert signature_kept_together(document)
        agency = heading_agency(document)
        assert "SỞ TƯ PHÁP TỈNH\u00a0NGHỆ\u00a0AN" in agency and "UBND TỈNH\u00a0NGHỆ\u00a0AN" in agency
    assert justified_cells(open_docx(registers.revision_history_docx(samples.history()))) == []


def test_register_lists_issued_documents_and_the_drafts_apart():
    data = replace(samples.register(3), drafts=(
        RegisterRow(code="QT-10", title="Quy trình đang soạn", kind="Quy trình nội bộ", status="Đang soạn thảo"),))
    document = open_docx(registers.document_register_docx(data))
    register, drafts = document.tables[1], document.tables[2]
    assert [r.cells[1].text for r in register.rows[1:]] == [r.code for r in data.rows]  # issued only
    assert [c.text for c in drafts.rows[1].cells][1:] == ["QT-10", "Quy trình đang soạn", "Quy trình nội bộ", "",
                                                          "Đang soạn thảo"]
    assert "Tài liệu chưa ban hành (không thuộc danh mục)" in body_text(document)
    assert "Tổng số: 3 tài liệu đã ban hành." in body_text(document)
    sheet = open_sheet(spreadsheets.document_register_xlsx(data))
    assert [(r[1], r[7]) for r in sheet.iter_rows(min_row=2, values_only=True)][-2:] == [
        (data.rows[-1].code, "Đã ban hành"), ("QT-10", "Đang soạn thảo")]


def test_filelist_and_disposal_xlsx():
    sheet = open_sheet(spreadsheets.filelist_xlsx(samples.file_list()))
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
    sheet = open_sheet(spreadsheets.disposal_xlsx(samples.disposal()))
    assert sheet["B2"].value == "02.HCTP" and sheet["H2"].value.year == 2024


def test_external_register_xlsx():
    sheet = open_sheet(spreadsheets.external_register_xlsx(samples.external()))
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
