"""The PDF toolkit of the printed documents, with real Vietnamese glyphs.

reportlab embeds (subsets of) the Liberation Serif fonts shipped in ``eiso/reports/fonts`` (SIL OFL,
metric-compatible with Times New Roman), so a PDF looks the same on any machine, with or without
fonts installed. Same page as the Word output: A4, margins of NĐ 30/2020, 13 pt body; a two-pass
canvas writes ``Trang x/y`` once the number of pages is known.
"""

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
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from eiso.reports.vocabulary import nfc
from eiso.reports.word.page import MARGINS_MM
from eiso.reports.word.text import BULLET, SUBHEADING

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "LiberationSerif"
FONT_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    f"{SERIF}-Bold": "LiberationSerif-Bold.ttf",
    f"{SERIF}-Italic": "LiberationSerif-Italic.ttf",
    f"{SERIF}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
    "LiberationSans-Bold": "LiberationSans-Bold.ttf",
}
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


def styles() -> dict[str, ParagraphStyle]:
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
        "cell_h": ParagraphStyle("cell_h", parent=cell, fontName=f"{SERIF}-Bold", alignment=TA_CENTER),
        "hdr": ParagraphStyle("hdr", parent=cell, fontSize=HEADER_PT, leading=HEADER_PT * 1.2),
        "hdr_agency": ParagraphStyle("hdr_agency", parent=cell, fontSize=10, leading=12, alignment=TA_CENTER),
        "hdr_title": ParagraphStyle(
            "hdr_title", parent=cell, fontName=f"{SERIF}-Bold", fontSize=13, leading=16, alignment=TA_CENTER
        ),
    }


def paragraph(text: str, style, *, bold=False, italic=False, color: str | None = None) -> Paragraph:
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


def grid(style_sheet, headers, rows, widths_mm, aligns) -> Table:
    """A bordered table with a shaded header row repeated on each page; ``aligns`` has one letter
    per column: l(eft), c(entre). Cells are never justified (word gaps in a narrow column)."""
    cell_style = {"l": style_sheet["cell"], "c": style_sheet["cell_c"]}
    data = [[paragraph(h, style_sheet["cell_h"]) for h in headers]]
    data += [[paragraph(v, cell_style[a]) for v, a in zip(row, aligns, strict=True)] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(TableStyle([*GRID, ("BACKGROUND", (0, 0), (-1, 0), GREY)]))
    return table


def text_block(style_sheet, text: str) -> list:
    """A section's plain text, read as the Word toolkit reads it (``5.1 …`` bold, ``- …`` indented)."""
    flowables = []
    for line in nfc(text).splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if SUBHEADING.match(stripped):
            flowables.append(paragraph(stripped, style_sheet["sub"]))
        elif BULLET.match(stripped):
            flowables.append(paragraph(stripped, style_sheet["bullet"]))
        else:
            flowables.append(paragraph(stripped, style_sheet["body"]))
    return flowables or [paragraph("Không có.", style_sheet["none"])]


def official_document(buffer, title: str, author: str) -> SimpleDocTemplate:
    """An A4 page with the margins of NĐ 30/2020, in Liberation Serif."""
    return SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGINS_MM["left"] * mm, rightMargin=MARGINS_MM["right"] * mm,
        topMargin=MARGINS_MM["top"] * mm, bottomMargin=MARGINS_MM["bottom"] * mm,
        title=nfc(title), author=nfc(author), subject="eISO", lang="vi-VN",
        initialFontName=SERIF, initialFontSize=BODY_PT)


class NumberedCanvas(pdfcanvas.Canvas):
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
