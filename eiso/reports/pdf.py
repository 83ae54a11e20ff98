"""PDF output of a procedure, with real Vietnamese glyphs.

reportlab embeds (subsets of) the Liberation Serif fonts shipped in ``eiso/reports/fonts`` (SIL OFL,
metric-compatible with Times New Roman), so the PDF looks the same on any machine, with or without
fonts installed. Same page as the Word output: A4, margins of NĐ 30/2020, 13 pt body, the header
block on every page with ``Trang x/y`` (the total comes from a two-pass canvas).
"""

import io
import threading
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from eiso.reports.content import ProcedureData
from eiso.reports.vocabulary import date_text, issue_text, nfc
from eiso.reports.word import BULLET, MARGINS_MM, SUBHEADING, header_title_pt

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "LiberationSerif"
FONT_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    f"{SERIF}-Bold": "LiberationSerif-Bold.ttf",
    f"{SERIF}-Italic": "LiberationSerif-Italic.ttf",
    f"{SERIF}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
    "LiberationSans-Bold": "LiberationSans-Bold.ttf",
}
PDF_CONTENT_TYPE = "application/pdf"
BODY_PT, TABLE_PT, HEADER_PT = 13, 12, 11
RED = colors.Color(0.75, 0, 0)
GREY = colors.Color(0.906, 0.902, 0.902)
_lock = threading.Lock()


def register_fonts() -> None:
    """Register the bundled fonts once per process (parsing a TTF takes a few milliseconds)."""
    with _lock:
        if SERIF in pdfmetrics.getRegisteredFontNames():
            return
        for name, filename in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(
            SERIF,
            normal=SERIF,
            bold=f"{SERIF}-Bold",
            italic=f"{SERIF}-Italic",
            boldItalic=f"{SERIF}-BoldItalic",
        )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=SERIF, fontSize=BODY_PT, leading=BODY_PT * 1.25, alignment=TA_JUSTIFY, spaceAfter=4
    )
    cell = ParagraphStyle(
        "cell", parent=base, fontSize=TABLE_PT, leading=TABLE_PT * 1.2, alignment=TA_LEFT, spaceAfter=0
    )
    return {
        "body": ParagraphStyle("text", parent=base, firstLineIndent=10 * mm),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=5 * mm),
        "sub": ParagraphStyle("sub", parent=base, fontName=f"{SERIF}-Bold", spaceBefore=3, keepWithNext=True),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=f"{SERIF}-Bold",
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=True,
            alignment=TA_LEFT,
        ),
        "none": ParagraphStyle("none", parent=base, fontName=f"{SERIF}-Italic"),
        "mark": ParagraphStyle(
            "mark", parent=base, fontName=f"{SERIF}-Bold", textColor=RED, alignment=TA_CENTER
        ),
        "cell": cell,
        "cell_c": ParagraphStyle("cell_c", parent=cell, alignment=TA_CENTER),
        "cell_j": ParagraphStyle("cell_j", parent=cell, alignment=TA_JUSTIFY),
        "cell_h": ParagraphStyle("cell_h", parent=cell, fontName=f"{SERIF}-Bold", alignment=TA_CENTER),
        "hdr": ParagraphStyle("hdr", parent=cell, fontSize=HEADER_PT, leading=HEADER_PT * 1.2),
        "hdr_agency": ParagraphStyle("hdr_agency", parent=cell, fontSize=10, leading=12, alignment=TA_CENTER),
        "hdr_title": ParagraphStyle(
            "hdr_title", parent=cell, fontName=f"{SERIF}-Bold", fontSize=13, leading=16, alignment=TA_CENTER
        ),
    }


def _p(text: str, style, *, bold=False, italic=False, color: str | None = None) -> Paragraph:
    markup = escape(nfc(text))
    if bold:
        markup = f"<b>{markup}</b>"
    if italic:
        markup = f"<i>{markup}</i>"
    if color:
        markup = f'<font color="{color}">{markup}</font>'
    return Paragraph(markup, style)


GRID = [
    ("FONTNAME", (0, 0), (-1, -1), SERIF),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
]


def _grid(styles, headers, rows, widths_mm, aligns) -> Table:
    cell_style = {"l": styles["cell"], "c": styles["cell_c"], "j": styles["cell_j"]}
    data = [[_p(h, styles["cell_h"]) for h in headers]]
    data += [[_p(v, cell_style[a]) for v, a in zip(row, aligns, strict=True)] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(TableStyle([*GRID, ("BACKGROUND", (0, 0), (-1, 0), GREY)]))
    return table


def _text_block(styles, text: str) -> list:
    flowables = []
    for line in nfc(text).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if SUBHEADING.match(stripped):
            flowables.append(_p(stripped, styles["sub"]))
        elif BULLET.match(stripped):
            flowables.append(_p(stripped, styles["bullet"]))
        else:
            flowables.append(_p(stripped, styles["body"]))
    return flowables or [_p("Không có.", styles["none"])]


class _NumberedCanvas(pdfcanvas.Canvas):
    """Two passes over the pages: keep each page's drawing, then write "Trang x/y" once the
    total is known (reportlab's canvas cannot go back to a page it has finished)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []
        self.page_label = None  # (x, y, font, size), set by the page template on each page

    def showPage(self):  # noqa: N802 (reportlab's API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self.page_label:
                x, y, font, size = self.page_label
                self.setFont(font, size)
                self.setFillColor(colors.black)
                self.drawString(x, y, f"Trang {self._pageNumber}/{total}")
            super().showPage()
        super().save()


class _ProcedureTemplate(BaseDocTemplate):
    def __init__(self, buffer, data: ProcedureData, styles):
        self.data = data
        self.styles = styles
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
            initialFontName=SERIF,
            initialFontSize=BODY_PT,
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
        if data.agency.parent_name:
            agency.append(_p(data.agency.parent_name.upper(), s["hdr_agency"]))
        agency.append(_p(data.agency.name.upper(), s["hdr_agency"], bold=True))
        size = header_title_pt(data.title)
        title = [_p(data.title.upper(), s["hdr_title"].clone("hdr_title_fit", fontSize=size, leading=size * 1.2))]
        if data.mark:
            title.append(_p(data.mark, s["hdr_title"], color="#c00000"))
        rows = [
            [agency, title, _p(f"Mã hiệu: {data.code}", s["hdr"])],
            ["", "", _p(f"Lần ban hành: {issue_text(data.issue_number)}", s["hdr"])],
            ["", "", _p(f"Ngày hiệu lực: {date_text(data.effective_date) or '…/…/……'}", s["hdr"])],
            ["", "", _p("Trang 99/99", s["hdr"])],  # sizes the row; the real text is drawn at save time
        ]
        widths = [self.text_width * f for f in (0.28, 0.44, 0.28)]
        table = Table(rows, colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    *GRID,
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
        # The last right-hand row is left blank here; _NumberedCanvas writes "Trang x/y" in it.
        table = self.header
        cells = table._cellvalues
        placeholder = cells[3][2]
        cells[3][2] = ""
        table.drawOn(canvas, self.leftMargin, self.header_top - self.header_height)
        cells[3][2] = placeholder
        last_row = table._rowHeights[3]
        x = self.leftMargin + table._colWidths[0] + table._colWidths[1] + 4
        y = self.header_top - self.header_height + (last_row - HEADER_PT) / 2 + 2
        canvas.page_label = (x, y, SERIF, HEADER_PT)
        canvas.restoreState()

    def _watermark(self, canvas):
        page_w, page_h = A4
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.75, 0, 0, alpha=0.18))
        canvas.setFont(f"{SERIF}-Bold", 72)
        canvas.translate(page_w / 2, page_h / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -24, nfc(self.data.mark))
        canvas.restoreState()


def _approval_table(styles, data: ProcedureData, width: float) -> Table:
    head = styles["cell_h"]
    center = styles["cell_c"]
    rows = [
        ["", _p("Người soạn thảo", head), _p("Người xem xét", head), _p("Người phê duyệt", head)],
        [_p("Chữ ký", styles["cell"], bold=True), "", "", ""],
        [
            _p("Họ và tên", styles["cell"], bold=True),
            *(_p(s.name, center) for s in (data.drafted_by, data.reviewed_by, data.approved_by)),
        ],
        [
            _p("Chức vụ", styles["cell"], bold=True),
            *(_p(s.position, center) for s in (data.drafted_by, data.reviewed_by, data.approved_by)),
        ],
    ]
    first = 30 * mm
    table = Table(rows, colWidths=[first] + [(width - first) / 3] * 3, rowHeights=[None, 18 * mm, None, None])
    table.setStyle(TableStyle([*GRID, ("BACKGROUND", (1, 0), (-1, 0), GREY)]))
    return table


def procedure_pdf(data: ProcedureData) -> bytes:
    """The same 7-section procedure as ``procedure_docx``, as PDF."""
    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    doc = _ProcedureTemplate(buffer, data, styles)
    width_mm = doc.text_width / mm
    story: list = []
    if data.mark:
        story.append(_p(data.mark + (f" — {data.mark_note}" if data.mark_note else ""), styles["mark"]))
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
    story.append(_p("1. MỤC ĐÍCH", h1))
    story += _text_block(styles, data.purpose)
    story.append(_p("2. PHẠM VI", h1))
    story += _text_block(styles, data.scope)
    story.append(_p("3. TÀI LIỆU VIỆN DẪN", h1))
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
        story.append(_p("Không có.", styles["none"]))
    story.append(_p("4. ĐỊNH NGHĨA, TỪ VIẾT TẮT", h1))
    story += _text_block(styles, data.definitions)
    story.append(_p("5. NỘI DUNG", h1))
    story += _text_block(styles, data.content)
    if data.steps:
        story.append(_p("Trình tự thực hiện:", styles["sub"]))
        story.append(
            _grid(
                styles,
                ["Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả"],
                [(s.number, s.action, s.responsible, s.duration, s.result) for s in data.steps],
                [14, width_mm - 14 - 36 - 24 - 36, 36, 24, 36],
                "cjlcl",
            )
        )
    story.append(_p("6. BIỂU MẪU", h1))
    if data.forms:
        story.append(
            _grid(
                styles,
                ["TT", "Mã hiệu", "Tên biểu mẫu"],
                [(str(i), f.code, f.title) for i, f in enumerate(data.forms, start=1)],
                [12, 40, width_mm - 52],
                "cll",
            )
        )
    else:
        story.append(_p("Không có.", styles["none"]))
    story.append(_p("7. HỒ SƠ CẦN LƯU", h1))
    if data.records:
        story.append(
            _grid(
                styles,
                ["TT", "Mã hồ sơ", "Tên hồ sơ", "Nơi lưu", "Thời gian lưu"],
                [(str(i), r.code, r.name, r.place, r.retention) for i, r in enumerate(data.records, start=1)],
                [12, 32, width_mm - 12 - 32 - 42 - 26, 42, 26],
                "clllc",
            )
        )
        story.append(Spacer(1, 2 * mm))
        story.append(
            _p(
                "Hồ sơ được lưu tại đơn vị trong thời hạn trên, sau đó chuyển lưu trữ cơ quan hoặc tiêu hủy "
                "theo quy định.",
                styles["none"],
            )
        )
    else:
        story.append(_p("Không có.", styles["none"]))
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
