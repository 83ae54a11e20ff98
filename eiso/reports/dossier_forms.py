"""Printed forms of a dossier (Thông tư 01/2018/TT-VPCP): the process control slip (phiếu kiểm
soát quá trình giải quyết hồ sơ) and the apology letter with a new appointment (phiếu xin lỗi và
hẹn lại ngày trả kết quả), in Word and PDF; and the dossier list as a streamed Excel sheet.

Pure functions from the plain data below to bytes (the list export writes rows as they come).
Same page as every official document here (NĐ 30/2020): A4, margins 20/20/30/15 mm, Times New
Roman (Liberation Serif embedded in the PDF), the national title and motto beside the agency.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from eiso.reports import excel, pdf, word
from eiso.reports.content import AgencyHeading, Signer
from eiso.reports.vocabulary import NATIONAL_MOTTO, NATIONAL_TITLE, date_text, dated_line, nfc

RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
SLIP_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
BLANK_MOMENT = "…giờ…phút, ngày…/…/……"
SLIP_WIDTHS_MM = (46, 54, 34)  # the fourth column (notes) takes the rest of the line


@dataclass(frozen=True)
class SlipRow:
    """One hand-over: who gives the dossier to whom, when, and how the giver's step ended."""

    number: int
    giver: str
    receiver: str
    step_name: str
    handed_at: dt.datetime | None  # local time
    due_at: dt.datetime | None
    result: str = ""  # early / on_time / late / ""


@dataclass(frozen=True)
class ControlSlip:
    agency: AgencyHeading
    code: str
    applicant: str
    procedure: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    rows: tuple[SlipRow, ...] = ()
    new_due_at: dt.datetime | None = None  # the apology letter's new appointment, when there is one


@dataclass(frozen=True)
class ApologyLetter:
    agency: AgencyHeading
    code: str
    applicant: str
    procedure: str
    received_at: dt.datetime
    due_at: dt.datetime
    reason: str
    new_due_at: dt.datetime
    issued_on: dt.date
    signer: Signer = Signer()


def moment_text(value: dt.datetime | None) -> str:
    """``10 giờ 00 phút, ngày 13/02/2026`` (a local time), or the blank of the printed form."""
    if value is None:
        return BLANK_MOMENT
    return f"{value.hour:02d} giờ {value.minute:02d} phút, ngày {date_text(value.date())}"


def slip_rows(slip: ControlSlip) -> list[tuple[str, str, str, str]]:
    """The four columns of the slip's table, as printed (the same in Word and PDF)."""
    rows = []
    for r in slip.rows:
        handover = f"{r.number}. Giao: {r.giver or '…'}\nNhận: {r.receiver or '…'}"
        moment = f"{moment_text(r.handed_at)}\nNgười giao    Người nhận"
        note = r.step_name
        if r.due_at is not None:
            note += f"\n(Hạn: {r.due_at:%H:%M} {date_text(r.due_at.date())})"
        rows.append((handover, moment, RESULTS.get(r.result, ""), note))
    return rows


def _facts(slip_or_letter) -> list[tuple[str, str]]:
    return [
        ("Mã hồ sơ", slip_or_letter.code),
        ("Tổ chức, cá nhân nộp hồ sơ", slip_or_letter.applicant or "…"),
        ("Tên thủ tục hành chính", slip_or_letter.procedure),
        ("Thời gian tiếp nhận", moment_text(slip_or_letter.received_at)),
        ("Thời gian hẹn trả kết quả", moment_text(slip_or_letter.due_at)),
    ]


def apology_paragraphs(letter: ApologyLetter) -> list[str]:
    """The body of the letter (Mẫu 04, TT 01/2018/TT-VPCP)."""
    agency = letter.agency.name
    return [
        f"{agency} tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính: {letter.procedure} "
        f"vào {moment_text(letter.received_at)}; mã hồ sơ: {letter.code}.",
        f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {moment_text(letter.due_at)}.",
        f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà.",
        f"Lý do: {letter.reason}",
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {agency} xin lỗi Ông/Bà và hẹn lại thời gian trả "
        f"kết quả vào {moment_text(letter.new_due_at)}.",
        f"{agency} mong nhận được sự thông cảm của Ông/Bà. Trân trọng./.",
    ]


# --- Word -------------------------------------------------------------------------------------------------


def _docx_heading(doc, agency: AgencyHeading, width_mm: float, *, number: str = "", on: dt.date | None = None):
    """The agency (and its number line) beside the national title and motto, then the date line."""
    table = doc.add_table(rows=1, cols=2)
    word._no_borders(table)
    left_w, right_w = width_mm * 0.42, width_mm * 0.58
    left, right = table.rows[0].cells
    if agency.parent_name:
        word._first_para(left, agency.parent_name.upper(), size=12, align=word.CENTER)
        word._para(left, agency.name.upper(), bold=True, size=12, align=word.CENTER, space_after=0)
    else:
        word._first_para(left, agency.name.upper(), bold=True, size=12, align=word.CENTER)
    word._rule(left, left_w, min(left_w * 0.35, 25))
    if number:
        word._para(left, number, size=13, align=word.CENTER, space_after=0)
    word._first_para(right, NATIONAL_TITLE, bold=True, size=12, align=word.CENTER)
    word._para(right, NATIONAL_MOTTO, bold=True, size=13, align=word.CENTER, space_after=0)
    word._rule(right, right_w, 56)
    if on is not None:
        word._para(right, dated_line(agency.place, on), italic=True, size=13, align=word.CENTER, space_before=4)
    word._widths(table, [left_w, right_w])


def _docx_facts(doc, facts) -> None:
    for label, value in facts:
        paragraph = word._para(doc, "", space_after=2)
        word._run(paragraph, f"{label}: ", bold=False)
        word._run(paragraph, value, bold=True)


def control_slip_docx(slip: ControlSlip) -> bytes:
    doc = word.new_document()
    width = word.text_width_mm(doc)
    _docx_heading(doc, slip.agency, width)
    word._para(doc, SLIP_TITLE, bold=True, size=14, align=word.CENTER, space_before=14, space_after=10)
    _docx_facts(doc, _facts(slip))
    if slip.new_due_at is not None:
        _docx_facts(doc, [("Hẹn lại thời gian trả kết quả (phiếu xin lỗi)", moment_text(slip.new_due_at))])
    word._para(doc, "", space_after=2)
    widths = [*SLIP_WIDTHS_MM, width - sum(SLIP_WIDTHS_MM)]
    word.grid_table(
        doc,
        ["TÊN CƠ QUAN, BỘ PHẬN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
         "KẾT QUẢ GIẢI QUYẾT HỒ SƠ\n(Trước hạn/đúng hạn/quá hạn)", "GHI CHÚ"],
        slip_rows(slip) or [("", BLANK_MOMENT, "", "")],
        widths,
        aligns=[word.LEFT, word.CENTER, word.CENTER, word.LEFT],
    )
    note = word._para(doc, "Ghi chú: Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận "
                           "hồ sơ và việc ký nhận thể hiện trong hóa đơn của cơ quan bưu chính.",
                      italic=True, size=11, space_before=6)
    note.paragraph_format.space_after = Pt(0)
    word._page_footer(doc)
    return word.to_bytes(doc)


def apology_docx(letter: ApologyLetter) -> bytes:
    doc = word.new_document()
    width = word.text_width_mm(doc)
    _docx_heading(doc, letter.agency, width, number="Số: …/PXL", on=letter.issued_on)
    word._para(doc, APOLOGY_TITLE, bold=True, size=14, align=word.CENTER, space_before=14, space_after=10)
    paragraph = word._para(doc, "", align=word.CENTER, space_after=10)
    word._run(paragraph, "Kính gửi: ")
    word._run(paragraph, letter.applicant or "Ông/Bà …", bold=True)
    for text in apology_paragraphs(letter):
        paragraph = word._para(doc, text, align=word.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = word.Mm(10)
    word._signature_block(doc, None, ("Thủ trưởng cơ quan", letter.signer), width)
    return word.to_bytes(doc)


# --- PDF --------------------------------------------------------------------------------------------------


def _pdf_doc(buffer, title: str, author: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=word.MARGINS_MM["left"] * mm, rightMargin=word.MARGINS_MM["right"] * mm,
        topMargin=word.MARGINS_MM["top"] * mm, bottomMargin=word.MARGINS_MM["bottom"] * mm,
        title=nfc(title), author=nfc(author), subject="eISO", lang="vi-VN",
        initialFontName=pdf.SERIF, initialFontSize=pdf.BODY_PT)


def _pdf_heading(styles, agency: AgencyHeading, width: float, *, number: str = "", on: dt.date | None = None):
    centre = styles["cell_c"].clone("heading", fontSize=12, leading=15)
    left = []
    if agency.parent_name:
        left.append(pdf._p(agency.parent_name.upper(), centre))
    left.append(pdf._p(agency.name.upper(), centre, bold=True))
    left.append(HRFlowable(width=min(width * 0.42 * 0.35, 25 * mm), thickness=0.6, color="black",
                           spaceBefore=1, spaceAfter=3))
    if number:
        left.append(pdf._p(number, centre.clone("number", fontSize=13)))
    right = [pdf._p(NATIONAL_TITLE, centre, bold=True),
             pdf._p(NATIONAL_MOTTO, centre.clone("motto", fontSize=13, leading=16), bold=True),
             HRFlowable(width=56 * mm, thickness=0.6, color="black", spaceBefore=1, spaceAfter=3)]
    if on is not None:
        right.append(pdf._p(dated_line(agency.place, on), centre.clone("dated", fontSize=13), italic=True))
    table = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _pdf_title(styles, text: str) -> Paragraph:
    style = styles["h1"].clone("title", alignment=TA_CENTER, fontSize=14, leading=18, spaceBefore=14, spaceAfter=10)
    return pdf._p(text, style)


def _pdf_facts(styles, facts) -> list:
    style = styles["bullet"].clone("fact", leftIndent=0, spaceAfter=2)
    return [Paragraph(f"{escape(nfc(label))}: <b>{escape(nfc(value))}</b>", style) for label, value in facts]


def control_slip_pdf(slip: ControlSlip) -> bytes:
    pdf.register_fonts()
    styles = pdf._styles()
    buffer = io.BytesIO()
    doc = _pdf_doc(buffer, f"{SLIP_TITLE} {slip.code}", slip.agency.name)
    width = doc.width
    story = [_pdf_heading(styles, slip.agency, width), _pdf_title(styles, SLIP_TITLE),
             *_pdf_facts(styles, _facts(slip))]
    if slip.new_due_at is not None:
        story += _pdf_facts(styles, [("Hẹn lại thời gian trả kết quả (phiếu xin lỗi)", moment_text(slip.new_due_at))])
    story.append(Spacer(1, 4 * mm))
    width_mm = width / mm
    rows = slip_rows(slip) or [("", BLANK_MOMENT, "", "")]
    cell = styles["cell"]
    centre = styles["cell_c"]
    head = styles["cell_h"]

    def lines(text, style):
        parts = (escape(nfc(part)).replace("  ", "\u00a0 ") for part in text.split("\n"))
        return Paragraph("<br/>".join(parts), style)

    data = [[lines(h, head) for h in ("TÊN CƠ QUAN, BỘ PHẬN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
                                       "KẾT QUẢ GIẢI QUYẾT HỒ SƠ\n(Trước hạn/đúng hạn/quá hạn)", "GHI CHÚ")]]
    data += [[lines(a, cell), lines(b, centre), lines(c, centre), lines(d, cell)] for a, b, c, d in rows]
    table = Table(data, colWidths=[w * mm for w in (*SLIP_WIDTHS_MM, width_mm - sum(SLIP_WIDTHS_MM))], repeatRows=1)
    table.setStyle(TableStyle([*pdf.GRID, ("BACKGROUND", (0, 0), (-1, 0), pdf.GREY)]))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    story.append(pdf._p("Ghi chú: Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận hồ sơ "
                        "và việc ký nhận thể hiện trong hóa đơn của cơ quan bưu chính.",
                        styles["none"].clone("foot", fontSize=11, leading=13)))
    doc.build(story)
    return buffer.getvalue()


def apology_pdf(letter: ApologyLetter) -> bytes:
    pdf.register_fonts()
    styles = pdf._styles()
    buffer = io.BytesIO()
    doc = _pdf_doc(buffer, f"{APOLOGY_TITLE} {letter.code}", letter.agency.name)
    width = doc.width
    centre = styles["cell_c"].clone("centre_body", fontSize=pdf.BODY_PT, leading=pdf.BODY_PT * 1.25, spaceAfter=8)
    story = [
        _pdf_heading(styles, letter.agency, width, number="Số: …/PXL", on=letter.issued_on),
        _pdf_title(styles, APOLOGY_TITLE),
        Paragraph(f"Kính gửi: <b>{escape(nfc(letter.applicant or 'Ông/Bà …'))}</b>", centre),
    ]
    story += [pdf._p(text, styles["body"]) for text in apology_paragraphs(letter)]
    story.append(Spacer(1, 6 * mm))
    sign = [pdf._p("THỦ TRƯỞNG CƠ QUAN", styles["cell_h"]),
            pdf._p("(Ký, ghi rõ họ tên)", styles["cell_c"], italic=True), Spacer(1, 22 * mm)]
    if letter.signer.name:
        sign.append(pdf._p(letter.signer.name, styles["cell_h"]))
    table = Table([["", sign]], colWidths=[width / 2, width / 2])
    story.append(table)
    doc.build(story)
    return buffer.getvalue()


# --- the list, for Excel ------------------------------------------------------------------------------------

LIST_HEADERS = ["Mã hồ sơ", "Cơ quan", "Mã TTHC", "Tên thủ tục hành chính", "Người nộp", "Tiếp nhận",
                "Hẹn trả", "Trả kết quả", "Trạng thái", "Kết quả", "Bước hiện tại", "Đơn vị hiện tại"]
LIST_WIDTHS = [22, 18, 12, 50, 26, 17, 17, 17, 22, 12, 10, 26]


def dossier_list_xlsx(rows: Iterable[tuple], *, title: str) -> tempfile.SpooledTemporaryFile:
    """The dossier list as a write-only workbook: rows are written as the iterable yields them
    (one page of the database at a time), so a province's 100,000 dossiers never sit in memory.
    Times are naive local datetimes shown ``DD/MM/YYYY hh:mm``. Returns the file, rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Hồ sơ")
    workbook.properties.title = nfc(title)
    workbook.properties.creator = "eISO"
    for column, width in enumerate(LIST_WIDTHS, start=1):
        sheet.column_dimensions[excel.get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for text in LIST_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.border = excel.HEADER_FONT, excel.HEADER_FILL, excel.BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=nfc(value) if isinstance(value, str) else value)
            cell.font = excel.CELL_FONT
            if isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY hh:mm"
            cells.append(cell)
        sheet.append(cells)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (handed to the response)
    workbook.save(spool)
    spool.seek(0)
    return spool
