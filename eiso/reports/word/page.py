"""The page of every Word document: A4, margins per Nghị định 30/2020/NĐ-CP (top/bottom 20 mm,
left 30 mm, right 15 mm), Times New Roman (Word on agency PCs has it; LibreOffice substitutes the
metric-compatible Liberation Serif), body 13 pt."""

import functools
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
HEADER_PT = 11
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4_MM = (210, 297)
RED = RGBColor(0xC0, 0x00, 0x00)

CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def fonts(rpr, name: str = FONT) -> None:
    """Name the font for every script (Vietnamese letters fall in ascii/hAnsi; eastAsia and cs
    for completeness) and drop the theme fonts the default template uses (Calibri)."""
    element = rpr.find(qn("w:rFonts"))
    if element is None:
        element = OxmlElement("w:rFonts")
        rpr.insert(0, element)
    for attr in list(element.attrib):
        if attr.endswith("Theme}") or "Theme" in attr:
            del element.attrib[attr]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        element.set(qn(script), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _style_font(style, size: float, bold: bool | None = None, color=None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = color or RGBColor(0, 0, 0)
    fonts(style.element.get_or_add_rPr())


def new_document(*, landscape: bool = False):
    """An empty A4 document with the margins and fonts of NĐ 30/2020 (opened from a prepared
    copy: styling the default template on every call would cost a third of a procedure's time)."""
    return Document(io.BytesIO(_prepared_document(landscape)))


@functools.cache
def _prepared_document(landscape: bool) -> bytes:
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts(rpr)
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.1
    for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT), ("Title", 14)):
        style = doc.styles[name]
        _style_font(style, size, bold=True)
        style.font.italic = False
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(8), Pt(4)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.left_indent = Mm(0)
        # the default template draws a blue rule under "Title"
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    doc.styles["Title"].paragraph_format.alignment = CENTER
    for name in ("Header", "Footer"):
        _style_font(doc.styles[name], HEADER_PT)
    section = doc.sections[0]
    width, height = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    return to_bytes(doc)


def text_width_mm(doc) -> float:
    section = doc.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
