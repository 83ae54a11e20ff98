"""The printed forms of a dossier (Thông tư 01/2018/TT-VPCP) in Word and PDF: the process control
slip (phiếu kiểm soát quá trình giải quyết hồ sơ) and the apology letter with a new appointment
(phiếu xin lỗi và hẹn lại ngày trả kết quả).

Same page as every official document here (NĐ 30/2020): A4, margins 20/20/30/15 mm, Times New
Roman (Liberation Serif embedded in the PDF), the national title and motto beside the agency.
"""

import datetime
import io
from xml.sax.saxutils import escape

from docx.shared import Mm, Pt
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from eiso.reports import pdf
from eiso.reports.content import AgencyHeading, ApologyLetter, ControlSlip
from eiso.reports.vocabulary import (
    BLANK_MOMENT,
    DOSSIER_RESULTS,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    date_text,
    dated_line,
    heading_lines,
    moment_text,
    nfc,
)
from eiso.reports.word.blocks import HEADING_SPLIT, agency_lines, fits_line, page_footer, rule, signature_block
from eiso.reports.word.page import CENTER, JUSTIFY, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table, no_borders, widths
from eiso.reports.word.text import first_para, para, run

SLIP_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
# Handed over by / to, when (with room for both signatures), result; the fourth column (notes: the
# step and its due time) takes the rest of the line, 50 mm on A4 portrait.
SLIP_WIDTHS_MM = (33, 47, 35)


def slip_rows(slip: ControlSlip) -> list[tuple[str, str, str, str]]:
    """The four columns of the slip's table, as printed (the same in Word and PDF)."""
    rows = []
    for r in slip.rows:
        handover = f"{r.number}. Giao: {r.giver or '…'}\nNhận: {r.receiver or '…'}"
        # the two signature places side by side; on a narrow line each stays whole, one under the other
        moment = f"{moment_text(r.handed_at)}\nNgười\u00a0giao  Người\u00a0nhận"
        note = r.step_name
        if r.due_at is not None:
            note += f"\n(Hạn: {r.due_at:%H:%M} {date_text(r.due_at.date())})"
        rows.append((handover, moment, DOSSIER_RESULTS.get(r.result, ""), note))
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


def _docx_heading(doc, agency: AgencyHeading, width_mm: float, *, number: str = "", on: datetime.date | None = None):
    """The agency (and its number line) beside the national title and motto, then the date line."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    left_w, right_w = width_mm * HEADING_SPLIT, width_mm * (1 - HEADING_SPLIT)
    left, right = table.rows[0].cells
    agency_lines(left, agency, left_w)
    rule(left, left_w, min(left_w * 0.35, 25))
    if number:
        para(left, number, size=13, align=CENTER, space_after=0)
    first_para(right, NATIONAL_TITLE, bold=True, size=12, align=CENTER)
    para(right, NATIONAL_MOTTO, bold=True, size=13, align=CENTER, space_after=0)
    rule(right, right_w, 56)
    if on is not None:
        para(right, dated_line(agency.place, on), italic=True, size=13, align=CENTER, space_before=4)
    widths(table, [left_w, right_w])


def _docx_facts(doc, facts) -> None:
    for label, value in facts:
        paragraph = para(doc, "", space_after=2)
        run(paragraph, f"{label}: ", bold=False)
        run(paragraph, value, bold=True)


def control_slip_docx(slip: ControlSlip) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    _docx_heading(doc, slip.agency, width)
    para(doc, SLIP_TITLE, bold=True, size=14, align=CENTER, space_before=14, space_after=10)
    _docx_facts(doc, _facts(slip))
    if slip.new_due_at is not None:
        _docx_facts(doc, [("Hẹn lại thời gian trả kết quả (phiếu xin lỗi)", moment_text(slip.new_due_at))])
    para(doc, "", space_after=2)
    column_widths = [*SLIP_WIDTHS_MM, width - sum(SLIP_WIDTHS_MM)]
    grid_table(
        doc,
        ["TÊN CƠ QUAN, BỘ PHẬN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
         "KẾT QUẢ GIẢI QUYẾT HỒ SƠ\n(Trước hạn/đúng hạn/quá hạn)", "GHI CHÚ"],
        slip_rows(slip) or [("", BLANK_MOMENT, "", "")],
        column_widths,
        aligns=[LEFT, CENTER, CENTER, LEFT],
    )
    note = para(doc, "Ghi chú: Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận "
                     "hồ sơ và việc ký nhận thể hiện trong hóa đơn của cơ quan bưu chính.",
                italic=True, size=11, space_before=6)
    note.paragraph_format.space_after = Pt(0)
    page_footer(doc)
    return to_bytes(doc)


def apology_docx(letter: ApologyLetter) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    _docx_heading(doc, letter.agency, width, number="Số: …/PXL", on=letter.issued_on)
    para(doc, APOLOGY_TITLE, bold=True, size=14, align=CENTER, space_before=14, space_after=10)
    paragraph = para(doc, "", align=CENTER, space_after=10)
    run(paragraph, "Kính gửi: ")
    run(paragraph, letter.applicant or "Ông/Bà …", bold=True)
    for text in apology_paragraphs(letter):
        paragraph = para(doc, text, align=JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
    signature_block(doc, None, ("Thủ trưởng cơ quan", letter.signer), width)
    return to_bytes(doc)


# --- PDF --------------------------------------------------------------------------------------------------


def _pdf_heading(styles, agency: AgencyHeading, width: float, *, number: str = "", on: datetime.date | None = None):
    centre = styles["cell_c"].clone("heading", fontSize=12, leading=15)
    left = []
    column_mm = width * HEADING_SPLIT / mm
    if agency.parent_name:
        left += [pdf.paragraph(line, centre)
                 for line in heading_lines(agency.parent_name.upper(), fits_line(column_mm, bold=False))]
    left += [pdf.paragraph(line, centre, bold=True)
             for line in heading_lines(agency.name.upper(), fits_line(column_mm, bold=True))]
    left.append(HRFlowable(width=min(width * HEADING_SPLIT * 0.35, 25 * mm), thickness=0.6, color="black",
                           spaceBefore=1, spaceAfter=3))
    if number:
        left.append(pdf.paragraph(number, centre.clone("number", fontSize=13)))
    right = [pdf.paragraph(NATIONAL_TITLE, centre, bold=True),
             pdf.paragraph(NATIONAL_MOTTO, centre.clone("motto", fontSize=13, leading=16), bold=True),
             HRFlowable(width=56 * mm, thickness=0.6, color="black", spaceBefore=1, spaceAfter=3)]
    if on is not None:
        right.append(pdf.paragraph(dated_line(agency.place, on), centre.clone("dated", fontSize=13), italic=True))
    table = Table([[left, right]], colWidths=[width * HEADING_SPLIT, width * (1 - HEADING_SPLIT)])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _pdf_title(styles, text: str) -> Paragraph:
    style = styles["h1"].clone("title", alignment=TA_CENTER, fontSize=14, leading=18, spaceBefore=14, spaceAfter=10)
    return pdf.paragraph(text, style)


def _pdf_facts(styles, facts) -> list:
    style = styles["bullet"].clone("fact", leftIndent=0, spaceAfter=2)
    return [Paragraph(f"{escape(nfc(label))}: <b>{escape(nfc(value))}</b>", style) for label, value in facts]


def control_slip_pdf(slip: ControlSlip) -> bytes:
    pdf.register_fonts()
    styles = pdf.styles()
    buffer = io.BytesIO()
    doc = pdf.official_document(buffer, f"{SLIP_TITLE} {slip.code}", slip.agency.name)
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
    story.append(pdf.paragraph("Ghi chú: Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận "
                               "hồ sơ và việc ký nhận thể hiện trong hóa đơn của cơ quan bưu chính.",
                               styles["none"].clone("foot", fontSize=11, leading=13)))
    doc.build(story)
    return buffer.getvalue()


def apology_pdf(letter: ApologyLetter) -> bytes:
    pdf.register_fonts()
    styles = pdf.styles()
    buffer = io.BytesIO()
    doc = pdf.official_document(buffer, f"{APOLOGY_TITLE} {letter.code}", letter.agency.name)
    width = doc.width
    centre = styles["cell_c"].clone("centre_body", fontSize=pdf.BODY_PT, leading=pdf.BODY_PT * 1.25, spaceAfter=8)
    story = [
        _pdf_heading(styles, letter.agency, width, number="Số: …/PXL", on=letter.issued_on),
        _pdf_title(styles, APOLOGY_TITLE),
        Paragraph(f"Kính gửi: <b>{escape(nfc(letter.applicant or 'Ông/Bà …'))}</b>", centre),
    ]
    story += [pdf.paragraph(text, styles["body"]) for text in apology_paragraphs(letter)]
    story.append(Spacer(1, 6 * mm))
    sign = [pdf.paragraph("THỦ TRƯỞNG CƠ QUAN", styles["cell_h"]),
            pdf.paragraph("(Ký, ghi rõ họ tên)", styles["cell_c"], italic=True), Spacer(1, 22 * mm)]
    if letter.signer.name:
        sign.append(pdf.paragraph(letter.signer.name, styles["cell_h"]))
    table = Table([["", sign]], colWidths=[width / 2, width / 2])
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
