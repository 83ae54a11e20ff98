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
    return "\n".join(parts).replace("\u00a0", " ")  # a non-breaking space reads as a space


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


def justified_cells(document) -> list[str]:
    """The text of every paragraph inside a table cell that is justified (word gaps in a narrow
    column): there should be none."""
    found = []
    for cell in document.element.body.iter(W + "tc"):
        for p in cell.iter(W + "p"):
            jc = p.find(f"{W}pPr/{W}jc")
            if jc is not None and jc.get(W + "val") == "both":
                found.append("".join(t.text or "" for t in p.iter(W + "t")))
    return found


def _keeps_next(p) -> bool:
    keep = p.find(f"{W}pPr/{W}keepNext")
    return keep is not None and keep.get(W + "val") in (None, "1", "true", "on")


def signature_kept_together(document) -> bool:
    """The signature block (the last table) cannot start a page alone: its rows cannot split, each
    row is kept with the next, and so are the spacer before it and the last lines before that."""
    blocks = [child for child in document.element.body if child.tag in (W + "p", W + "tbl")]
    index = max(i for i, b in enumerate(blocks) if b.tag == W + "tbl")
    rows = blocks[index].findall(W + "tr")
    if not all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows):
        return False
    if not all(_keeps_next(p) for r in rows[:-1] for p in r.iter(W + "p")):
        return False
    spacer, before = blocks[index - 1], blocks[index - 2]
    if not _keeps_next(spacer):
        return False
    last = before.findall(W + "tr")[-1] if before.tag == W + "tbl" else before
    paragraphs = list(last.iter(W + "p")) if last.tag == W + "tr" else [last]
    return all(_keeps_next(p) for p in paragraphs)


def heading_agency(document) -> str:
    """The agency side of the heading (the first table's first cell), as written (with its
    non-breaking spaces)."""
    cell = document.tables[0].rows[0].cells[0]
    return "\n".join(p.text for p in cell.paragraphs)
