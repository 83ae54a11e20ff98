"""The procedure in PDF: the same 7 sections as ``procedure_docx``, with the header block drawn on
every page (``Trang x/y`` written by the two-pass canvas of the PDF toolkit)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from eiso.reports import pdf
from eiso.reports.content import ProcedureData
from eiso.reports.layouts.procedure_docx import header_title_pt
from eiso.reports.vocabulary import date_text, heading_lines, issue_text, nfc
from eiso.reports.word.blocks import fits_line
from eiso.reports.word.page import MARGINS_MM


class _ProcedureTemplate(BaseDocTemplate):
    def __init__(self, buffer, data: ProcedureData, style_sheet):
        self.data = data
        self.styles = style_sheet
        page_w, page_h = A4
        left, right = MARGINS_MM["left"] * mm, MARGINS_MM["right"] * mm
        self.text_width = page_w - left - right
        self.header = self._header_table()
        _w, self.header_height = self.header.wrap(self.text_width, page_h)
        self.header_top = page_h - 10 * mm  # the header sits 10 mm from the top edge, as in Word
        frame_top = min(page_h - MARGINS_MM["top"] * mm, self.header_top - self.header_height - 5 * mm)
        bottom = MARGINS_MM["bottom"] * mm
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=left,
            rightMargin=right,
            topMargin=page_h - frame_top,
            bottomMargin=bottom,
            title=nfc(f"{data.code} {data.title}"),
            author=nfc(data.agency.name),
            subject="eISO",
            lang="vi-VN",
            initialFontName=pdf.SERIF,
            initialFontSize=pdf.BODY_PT,
        )
        frame = Frame(
            left,
            bottom,
            self.text_width,
            frame_top - bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._on_page)])

    def _header_table(self) -> Table:
        data, s = self.data, self.styles
        agency = []
        column_mm = self.text_width * 0.28 / mm  # a name too long breaks before its place name
        if data.agency.parent_name:
            agency += [pdf.paragraph(line, s["hdr_agency"]) for line in
                       heading_lines(data.agency.parent_name.upper(), fits_line(column_mm, bold=False, size=10))]
        agency += [pdf.paragraph(line, s["hdr_agency"], bold=True) for line in
                   heading_lines(data.agency.name.upper(), fits_line(column_mm, bold=True, size=10))]
        size = header_title_pt(data.title)
        fit = s["hdr_title"].clone("hdr_title_fit", fontSize=size, leading=size * 1.2)
        title = [pdf.paragraph(data.title.upper(), fit)]
        if data.mark:
            title.append(pdf.paragraph(data.mark, s["hdr_title"], color="#c00000"))
        rows = [
            [agency, title, pdf.paragraph(f"Mã hiệu: {data.code}", s["hdr"])],
            ["", "", pdf.paragraph(f"Lần ban hành: {issue_text(data.issue_number)}", s["hdr"])],
            ["", "", pdf.paragraph(f"Ngày hiệu lực: {date_text(data.effective_date) or '…/…/……'}", s["hdr"])],
            ["", "", pdf.paragraph("Trang 99/99", s["hdr"])],  # sizes the row; the real text is drawn at save time
        ]
        widths = [self.text_width * f for f in (0.28, 0.44, 0.28)]
        table = Table(rows, colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    *pdf.GRID,
                    ("SPAN", (0, 0), (0, 3)),
                    ("SPAN", (1, 0), (1, 3)),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return table

    def _on_page(self, canvas, doc):
        canvas.saveState()
        if self.data.mark:
            self._watermark(canvas)
        # The last right-hand row is left blank here; pdf.NumberedCanvas writes "Trang x/y" in it.
        table = self.header
        cells = table._cellvalues
        placeholder = cells[3][2]
        cells[3][2] = ""
        table.drawOn(canvas, self.leftMargin, self.header_top - self.header_height)
        cells[3][2] = placeholder
        last_row = table._rowHeights[3]
        x = self.leftMargin + table._colWidths[0] + table._colWidths[1] + 4
        y = self.header_top - self.header_height + (last_row - pdf.HEADER_PT) / 2 + 2
        canvas.page_label = (x, y, pdf.SERIF, pdf.HEADER_PT)
        canvas.restoreState()

    def _watermark(self, canvas):
        page_w, page_h = A4
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0, 0, alpha=0.18))
        canvas.setFont(f"{pdf.SERIF}-Bold", 72)
        canvas.translate(page_w / 2, page_h / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -24, nfc(self.data.mark))
        canvas.restoreState()


def _approval_table(styles, data: ProcedureData, width: float) -> Table:
    head = styles["cell_h"]
    center = styles["cell_c"]
    rows = [
        ["", *(pdf.paragraph(label, head) for label in ("Người soạn thảo", "Người xem xét", "Người phê duyệt"))],
        [pdf.paragraph("Chữ ký", styles["cell"], bold=True), "", "", ""],
        [
            pdf.paragraph("Họ và tên", styles["cell"], bold=True),
            *(pdf.paragraph(s.name, center) for s in (data.drafted_by, data.reviewed_by, data.approved_by)),
        ],
        [
            pdf.paragraph("Chức vụ", styles["cell"], bold=True),
            *(pdf.paragraph(s.position, center) for s in (data.drafted_by, data.reviewed_by, data.approved_by)),
        ],
    ]
    first = 30 * mm
    table = Table(rows, colWidths=[first] + [(width - first) / 3] * 3, rowHeights=[None, 18 * mm, None, None])
    table.setStyle(TableStyle([*pdf.GRID, ("BACKGROUND", (1, 0), (-1, 0), pdf.GREY)]))
    return table


def procedure_pdf(data: ProcedureData) -> bytes:
    """The same 7-section procedure as ``procedure_docx``, as PDF."""
    pdf.register_fonts()
    styles = pdf.styles()
    buffer = io.BytesIO()
    doc = _ProcedureTemplate(buffer, data, styles)
    width_mm = doc.text_width / mm
    story: list = []
    if data.mark:
        story.append(pdf.paragraph(data.mark + (f" — {data.mark_note}" if data.mark_note else ""), styles["mark"]))
    story.append(_approval_table(styles, data, doc.text_width))
    story.append(Spacer(1, 4 * mm))
    if data.change_summary and data.issue_number > 1:
        story.append(
            Paragraph(
                f"<b>Nội dung sửa đổi:</b> <i>{escape(nfc(data.change_summary))}</i>",
                styles["bullet"].clone("change", leftIndent=0),
            )
        )
    h1 = styles["h1"]
    story.append(pdf.paragraph("1. MỤC ĐÍCH", h1))
    story += pdf.text_block(styles, data.purpose)
    story.append(pdf.paragraph("2. PHẠM VI", h1))
    story += pdf.text_block(styles, data.scope)
    story.append(pdf.paragraph("3. TÀI LIỆU VIỆN DẪN", h1))
    for ref in data.references:
        label = (
            f"{ref.doc_type} {ref.number}"
            if ref.doc_type and not ref.number.lower().startswith(ref.doc_type.lower())
            else ref.number
        )
        markup = f"- <b>{escape(nfc(label))}</b>"
        if ref.title:
            markup += f": {escape(nfc(ref.title))}"
        if ref.status:
            markup += f' <i><font color="#c00000">({escape(nfc(ref.status))})</font></i>'
        story.append(Paragraph(markup, styles["bullet"]))
    if not data.references:
        story.append(pdf.paragraph("Không có.", styles["none"]))
    story.append(pdf.paragraph("4. ĐỊNH NGHĨA, TỪ VIẾT TẮT", h1))
    story += pdf.text_block(styles, data.definitions)
    story.append(pdf.paragraph("5. NỘI DUNG", h1))
    story += pdf.text_block(styles, data.content)
    if data.steps:
        story.append(pdf.paragraph("Trình tự thực hiện:", styles["sub"]))
        story.append(
            pdf.grid(
                styles,
                ["Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả"],
                [(s.number, s.action, s.responsible, s.duration, s.result) for s in data.steps],
                [14, width_mm - 14 - 36 - 24 - 36, 36, 24, 36],
                "cllcl",
            )
        )
    story.append(pdf.paragraph("6. BIỂU MẪU", h1))
    if data.forms:
        story.append(
            pdf.grid(
                styles,
                ["TT", "Mã hiệu", "Tên biểu mẫu"],
                [(str(i), f.code, f.title) for i, f in enumerate(data.forms, start=1)],
                [12, 40, width_mm - 52],
                "cll",
            )
        )
    else:
        story.append(pdf.paragraph("Không có.", styles["none"]))
    story.append(pdf.paragraph("7. HỒ SƠ CẦN LƯU", h1))
    if data.records:
        story.append(
            pdf.grid(
                styles,
                ["TT", "Mã hồ sơ", "Tên hồ sơ", "Nơi lưu", "Thời gian lưu"],
                [(str(i), r.code, r.name, r.place, r.retention) for i, r in enumerate(data.records, start=1)],
                [12, 32, width_mm - 12 - 32 - 42 - 26, 42, 26],
                "clllc",
            )
        )
        story.append(Spacer(1, 2 * mm))
        story.append(
            pdf.paragraph(
                "Hồ sơ được lưu tại đơn vị trong thời hạn trên, sau đó chuyển lưu trữ cơ quan hoặc tiêu hủy "
                "theo quy định.",
                styles["none"],
            )
        )
    else:
        story.append(pdf.paragraph("Không có.", styles["none"]))
    doc.build(story, canvasmaker=pdf.NumberedCanvas)
    return buffer.getvalue()
