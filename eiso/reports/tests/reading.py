"""Reading the generated files back: Word documents with python-docx."""

import io

import docx
from docx.shared import Mm, Pt

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
