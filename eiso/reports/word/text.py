"""Paragraphs, runs and fields, and a section's plain text as paragraphs."""

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from eiso.reports.vocabulary import nfc
from eiso.reports.word.page import JUSTIFY, LEFT

# "5.1 Thành phần hồ sơ" inside a section's text (not "200.000 đồng")
SUBHEADING = re.compile(r"^\d{1,2}(\.\d{1,2})+\.?\s+\D")
BULLET = re.compile(r"^[-+•*]\s")


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(
    container,
    text: str = "",
    *,
    bold=False,
    italic=False,
    size=None,
    align=None,
    color=None,
    space_after=None,
    space_before=None,
    keep_with_next=False,
    style=None,
):
    paragraph = container.add_paragraph()
    if style:  # by id: python-docx's lookup by name walks every style of the template
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style
    if text:
        run(paragraph, text, bold=bold, italic=italic, size=size, color=color)
    fmt = paragraph.paragraph_format
    if align is not None:
        fmt.alignment = align
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    if space_before is not None:
        fmt.space_before = Pt(space_before)
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def run(paragraph, text: str, *, bold=False, italic=False, size=None, color=None):
    """A run built as XML (python-docx's font setters look up and reorder elements at every call:
    they took a third of a procedure's time)."""
    element = OxmlElement("w:r")
    if bold or italic or size or color is not None:
        properties = OxmlElement("w:rPr")
        element.append(properties)
        for flag, tag in ((bold, "w:b"), (italic, "w:i")):
            if flag:
                properties.append(OxmlElement(tag))
        if color is not None:
            properties.append(OxmlElement("w:color", {qn("w:val"): str(color)}))
        if size:
            for tag in ("w:sz", "w:szCs"):
                properties.append(OxmlElement(tag, {qn("w:val"): str(int(size * 2))}))
    if text:
        text_element = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        text_element.text = nfc(text)
        element.append(text_element)
    paragraph._p.append(element)
    return Run(element, paragraph)


def first_para(cell, text: str = "", **kwargs):
    """Write into the paragraph a new cell already has."""
    paragraph = cell.paragraphs[0]
    if text:
        run(paragraph, text, **{k: v for k, v in kwargs.items() if k in ("bold", "italic", "size", "color")})
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(kwargs.get("space_after", 0)), Pt(0)
    fmt.alignment = kwargs.get("align", LEFT)
    return paragraph


def field(paragraph, instruction: str, placeholder: str = "1", size=None, bold=False) -> None:
    """A Word field (PAGE, NUMPAGES) with a cached value, updated by Word and LibreOffice when shown."""

    def run_with(child):
        new = run(paragraph, "", size=size, bold=bold)
        new._r.append(child)
        return new

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    run(paragraph, placeholder, size=size, bold=bold)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def border(paragraph, side: str = "top", size_eighths: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    borders.append(line)
    ppr.append(borders)


def text_block(container, text: str) -> None:
    """A section's plain text: one paragraph per line; ``5.1 …`` lines bold, ``- …`` lines indented."""
    lines = [line.rstrip() for line in nfc(text).splitlines()]
    if not any(lines):
        para(container, "Không có.", italic=True, align=JUSTIFY)
        return
    for line in lines:
        if not line.strip():
            continue
        stripped = line.strip()
        if SUBHEADING.match(stripped):
            para(container, stripped, bold=True, align=JUSTIFY, keep_with_next=True, space_before=4)
        elif BULLET.match(stripped):
            paragraph = para(container, stripped, align=JUSTIFY)
            paragraph.paragraph_format.left_indent = Mm(5)
            paragraph.paragraph_format.first_line_indent = Mm(0)
        else:
            paragraph = para(container, stripped, align=JUSTIFY)
            paragraph.paragraph_format.first_line_indent = Mm(10)
