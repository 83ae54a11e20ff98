"""The procedure in Word: the 7 sections of DOMAIN.md §4 under a header block on every page
(agency | title | code, issue, effective date, page x/y), with a diagonal mark on an obsolete or
draft revision."""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt

from eiso.reports.content import ProcedureData
from eiso.reports.vocabulary import date_text, issue_text, nfc
from eiso.reports.word.blocks import agency_lines, watermark
from eiso.reports.word.page import (
    CENTER,
    HEADER_PT,
    JUSTIFY,
    LEFT,
    RED,
    TABLE_PT,
    new_document,
    text_width_mm,
    to_bytes,
)
from eiso.reports.word.tables import grid_table, shade, table_style, widths
from eiso.reports.word.text import field, first_para, para, run, text_block

LONG_TITLE = 90  # characters: a longer title is set one point smaller in the page header


def header_title_pt(title: str) -> int:
    return 12 if len(title) > LONG_TITLE else 13


def _procedure_header(doc, data: ProcedureData, width_mm: float) -> None:
    """The block on top of every page: agency | title | code, issue, effective date, page x/y."""
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    column_widths = [width_mm * 0.28, width_mm * 0.44, width_mm * 0.28]
    table = header.add_table(rows=4, cols=3, width=Mm(width_mm))
    table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, column_widths)
    left = table.cell(0, 0).merge(table.cell(3, 0))
    middle = table.cell(0, 1).merge(table.cell(3, 1))
    for cell in (left, middle):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    agency_lines(left, data.agency, column_widths[0], size=10)
    first_para(middle, data.title.upper(), bold=True, size=header_title_pt(data.title), align=CENTER)
    if data.mark:
        para(middle, data.mark, bold=True, size=13, align=CENTER, color=RED, space_after=0)
    lines = [
        f"Mã hiệu: {data.code}",
        f"Lần ban hành: {issue_text(data.issue_number)}",
        f"Ngày hiệu lực: {date_text(data.effective_date) or '…/…/……'}",
    ]
    for row, line in enumerate(lines):
        first_para(table.cell(row, 2), line, size=HEADER_PT)
    page = first_para(table.cell(3, 2), "Trang ", size=HEADER_PT)
    field(page, "PAGE", size=HEADER_PT)
    run(page, "/", size=HEADER_PT)
    field(page, "NUMPAGES", size=HEADER_PT)
    # The paragraph python-docx leaves in a new header sits under the table: keep it small, and
    # let it carry the watermark.
    spacer = header.paragraphs[0]
    spacer._p.getparent().remove(spacer._p)
    header._element.append(spacer._p)
    spacer.paragraph_format.space_after = Pt(0)
    if data.mark:
        watermark(spacer, data.mark)


def _approval_block(doc, data: ProcedureData, width_mm: float) -> None:
    labels = ("Người soạn thảo", "Người xem xét", "Người phê duyệt")
    signers = (data.drafted_by, data.reviewed_by, data.approved_by)
    table = doc.add_table(rows=4, cols=4)
    table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    first = 30
    column_widths = [first] + [(width_mm - first) / 3] * 3
    rows = table.rows
    first_para(rows[0].cells[0], "", size=TABLE_PT)
    for i, (label, signer) in enumerate(zip(labels, signers, strict=True), start=1):
        first_para(rows[0].cells[i], label, bold=True, size=TABLE_PT, align=CENTER)
        shade(rows[0].cells[i])
        first_para(rows[1].cells[i], "", size=TABLE_PT)
        first_para(rows[2].cells[i], signer.name, size=TABLE_PT, align=CENTER)
        first_para(rows[3].cells[i], signer.position, size=TABLE_PT, align=CENTER)
    for row, label in zip(rows[1:], ("Chữ ký", "Họ và tên", "Chức vụ"), strict=True):
        first_para(row.cells[0], label, bold=True, size=TABLE_PT)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    rows[1].height = Mm(18)
    widths(table, column_widths)


def procedure_docx(data: ProcedureData) -> bytes:
    """The 7-section procedure of DOMAIN.md §4, with its header on every page."""
    doc = new_document()
    width = text_width_mm(doc)
    core = doc.core_properties
    core.title, core.subject, core.author = nfc(f"{data.code} {data.title}"), "eISO", nfc(data.agency.name)
    core.language = "vi-VN"
    _procedure_header(doc, data, width)

    if data.mark:
        note = data.mark + (f" — {data.mark_note}" if data.mark_note else "")
        para(doc, note, bold=True, color=RED, align=CENTER, space_after=6)
    _approval_block(doc, data, width)
    if data.change_summary and data.issue_number > 1:
        para(doc, "", space_after=0)
        paragraph = para(doc, "Nội dung sửa đổi: ", bold=True, align=JUSTIFY)
        run(paragraph, data.change_summary, italic=True)

    para(doc, "1. MỤC ĐÍCH", style="Heading1")
    text_block(doc, data.purpose)
    para(doc, "2. PHẠM VI", style="Heading1")
    text_block(doc, data.scope)
    para(doc, "3. TÀI LIỆU VIỆN DẪN", style="Heading1")
    if data.references:
        for ref in data.references:
            paragraph = para(doc, "- ", align=JUSTIFY)
            paragraph.paragraph_format.left_indent = Mm(5)
            label = (
                f"{ref.doc_type} {ref.number}".strip()
                if ref.doc_type and not ref.number.lower().startswith(ref.doc_type.lower())
                else ref.number
            )
            run(paragraph, label, bold=True)
            run(paragraph, f": {ref.title}" if ref.title else "")
            if ref.status:
                run(paragraph, f" ({ref.status})", italic=True, color=RED)
    else:
        para(doc, "Không có.", italic=True)
    para(doc, "4. ĐỊNH NGHĨA, TỪ VIẾT TẮT", style="Heading1")
    text_block(doc, data.definitions)
    para(doc, "5. NỘI DUNG", style="Heading1")
    text_block(doc, data.content)
    if data.steps:
        para(doc, "Trình tự thực hiện:", bold=True, keep_with_next=True, space_before=4)
        column_widths = [14, width - 14 - 36 - 24 - 36, 36, 24, 36]
        grid_table(
            doc,
            ["Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả"],
            [(s.number, s.action, s.responsible, s.duration, s.result) for s in data.steps],
            column_widths,
            aligns=[CENTER, LEFT, LEFT, CENTER, LEFT],
        )
    para(doc, "6. BIỂU MẪU", style="Heading1")
    if data.forms:
        grid_table(
            doc,
            ["TT", "Mã hiệu", "Tên biểu mẫu"],
            [(str(i), f.code, f.title) for i, f in enumerate(data.forms, start=1)],
            [12, 40, width - 52],
            aligns=[CENTER, LEFT, LEFT],
        )
    else:
        para(doc, "Không có.", italic=True)
    para(doc, "7. HỒ SƠ CẦN LƯU", style="Heading1")
    if data.records:
        grid_table(
            doc,
            ["TT", "Mã hồ sơ", "Tên hồ sơ", "Nơi lưu", "Thời gian lưu"],
            [(str(i), r.code, r.name, r.place, r.retention) for i, r in enumerate(data.records, start=1)],
            [12, 32, width - 12 - 32 - 42 - 26, 42, 26],
            aligns=[CENTER, LEFT, LEFT, LEFT, CENTER],
        )
        para(
            doc,
            "Hồ sơ được lưu tại đơn vị trong thời hạn trên, sau đó chuyển lưu trữ cơ quan hoặc tiêu hủy "
            "theo quy định.",
            italic=True,
            space_before=4,
        )
    else:
        para(doc, "Không có.", italic=True)
    return to_bytes(doc)
