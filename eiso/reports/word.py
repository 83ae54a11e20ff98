"""Word (.docx) output: procedures, the document register, revision histories, file lists.

Pure functions from the plain data of ``eiso.reports.content`` to bytes. Layout per Nghị định
30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman (Word on
agency PCs has it; LibreOffice substitutes the metric-compatible Liberation Serif), body 13 pt.
"""

import functools
import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run

from eiso.reports.content import (
    DocumentRegister,
    FileListData,
    ProcedureData,
    RevisionHistory,
    Signer,
)
from eiso.reports.vocabulary import (
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    date_text,
    dated_line,
    issue_text,
    nfc,
)

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
HEADER_PT = 11
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4_MM = (210, 297)
RED = RGBColor(0xC0, 0x00, 0x00)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
# "5.1 Thành phần hồ sơ" inside a section's text (not "200.000 đồng")
SUBHEADING = re.compile(r"^\d{1,2}(\.\d{1,2})+\.?\s+\D")
LONG_TITLE = 90  # characters: a longer title is set one point smaller in the page header


def header_title_pt(title: str) -> int:
    return 12 if len(title) > LONG_TITLE else 13
BULLET = re.compile(r"^[-+•*]\s")


# --- the page and the styles ------------------------------------------------------------------------


def _fonts(rpr, name: str = FONT) -> None:
    """Name the font for every script (Vietnamese letters fall in ascii/hAnsi; eastAsia and cs
    for completeness) and drop the theme fonts the default template uses (Calibri)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme}") or "Theme" in attr:
            del fonts.attrib[attr]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), name)
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
    _fonts(style.element.get_or_add_rPr())


def new_document(*, landscape: bool = False):
    """An empty A4 document with the margins and fonts of NĐ 30/2020 (opened from a prepared
    copy: styling the default template on every call would cost a third of a procedure's time)."""
    return Document(io.BytesIO(_prepared_document(landscape)))


@functools.cache
def _prepared_document(landscape: bool) -> bytes:
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr)
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


# --- paragraphs and runs -----------------------------------------------------------------------------


def _para(
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
        _run(paragraph, text, bold=bold, italic=italic, size=size, color=color)
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


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, color=None):
    """A run built as XML (python-docx's font setters look up and reorder elements at every call:
    they took a third of a procedure's time)."""
    run = OxmlElement("w:r")
    if bold or italic or size or color is not None:
        properties = OxmlElement("w:rPr")
        run.append(properties)
        for flag, tag in ((bold, "w:b"), (italic, "w:i")):
            if flag:
                properties.append(OxmlElement(tag))
        if color is not None:
            properties.append(OxmlElement("w:color", {qn("w:val"): str(color)}))
        if size:
            for tag in ("w:sz", "w:szCs"):
                properties.append(OxmlElement(tag, {qn("w:val"): str(int(size * 2))}))
    if text:
        element = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        element.text = nfc(text)
        run.append(element)
    paragraph._p.append(run)
    return Run(run, paragraph)


def _first_para(cell, text: str = "", **kwargs):
    """Write into the paragraph a new cell already has."""
    paragraph = cell.paragraphs[0]
    if text:
        _run(paragraph, text, **{k: v for k, v in kwargs.items() if k in ("bold", "italic", "size", "color")})
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(kwargs.get("space_after", 0)), Pt(0)
    fmt.alignment = kwargs.get("align", LEFT)
    return paragraph


def _field(paragraph, instruction: str, placeholder: str = "1", size=None, bold=False) -> None:
    """A Word field (PAGE, NUMPAGES) with a cached value, updated by Word and LibreOffice when shown."""

    def run_with(child):
        run = _run(paragraph, "", size=size, bold=bold)
        run._r.append(child)
        return run

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
    _run(paragraph, placeholder, size=size, bold=bold)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _border(paragraph, side: str = "top", size_eighths: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    borders.append(line)
    ppr.append(borders)


def _rule(cell, cell_width_mm: float, rule_mm: float) -> None:
    """The short line under an agency name or the motto (NĐ 30/2020), as a bordered empty
    paragraph indented to the line's length."""
    paragraph = cell.add_paragraph()
    side = max((cell_width_mm - rule_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    _border(paragraph, "top", 6)


def _text_block(container, text: str) -> None:
    """A section's plain text: one paragraph per line; ``5.1 …`` lines bold, ``- …`` lines indented."""
    lines = [line.rstrip() for line in nfc(text).splitlines()]
    if not any(lines):
        _para(container, "Không có.", italic=True, align=JUSTIFY)
        return
    for line in lines:
        if not line.strip():
            continue
        stripped = line.strip()
        if SUBHEADING.match(stripped):
            _para(container, stripped, bold=True, align=JUSTIFY, keep_with_next=True, space_before=4)
        elif BULLET.match(stripped):
            paragraph = _para(container, stripped, align=JUSTIFY)
            paragraph.paragraph_format.left_indent = Mm(5)
            paragraph.paragraph_format.first_line_indent = Mm(0)
        else:
            paragraph = _para(container, stripped, align=JUSTIFY)
            paragraph.paragraph_format.first_line_indent = Mm(10)


# --- tables -----------------------------------------------------------------------------------------


def _table_style(table, style_id: str = "TableGrid") -> None:
    """The bordered "Table Grid" style, set by id (see ``_para``)."""
    tbl_pr = table._tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is None:
        style = OxmlElement("w:tblStyle")
        tbl_pr.insert(0, style)
    style.set(qn("w:val"), style_id)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


def _widths(table, widths_mm) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _shade(cell, fill: str = "E7E6E6") -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


_CELL_XML = (
    '<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vAlign w:val="center"/></w:tcPr>'
    '<w:p><w:pPr><w:spacing w:before="30" w:after="30" w:line="240" w:lineRule="auto"/>'
    '<w:jc w:val="{align}"/>'
    "</w:pPr>{run}</w:p></w:tc>"
)
_RUN_XML = (
    '<w:r><w:rPr>{bold}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    '<w:t xml:space="preserve">{text}</w:t></w:r>'
)
_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_ALIGN_XML = {LEFT: "left", CENTER: "center", RIGHT: "right", JUSTIFY: "both"}


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def grid_table(container, headers, rows, widths_mm, *, aligns=None, size=TABLE_PT):
    """A bordered table with a shaded header row repeated on each page. A row given as a plain
    string is a group heading across the whole width; a line break in a cell starts a new line.

    The body rows are written as XML directly: python-docx's cell API is far too slow for the
    500-row register (about 40 times slower), and the cells here are plain text."""
    aligns = aligns or [LEFT] * len(headers)
    table = container.add_table(rows=1, cols=len(headers))
    _table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _first_para(cell, text, bold=True, size=size, align=CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell)
    _repeat_header(table.rows[0])
    _widths(table, widths_mm)
    twips = [int(w * 1440 / 25.4) for w in widths_mm]
    half_points = str(int(size * 2))
    trs = []
    row_start = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    for values in rows:
        if isinstance(values, str):
            run = _RUN_XML.format(bold="<w:b/>", size=half_points, text=_xml_escape(nfc(values)))
            span = f'<w:gridSpan w:val="{len(twips)}"/>'
            trs.append(
                f"{row_start}{_CELL_XML.format(width=sum(twips), span=span, align='left', run=run)}</w:tr>"
            )
            continue
        cells = []
        for value, width, align in zip(values, twips, aligns, strict=True):
            parts = nfc(value).split("\n")
            runs = "<w:r><w:br/></w:r>".join(
                _RUN_XML.format(bold="", size=half_points, text=_xml_escape(part)) for part in parts if part
            )
            cells.append(_CELL_XML.format(width=width, span="", align=_ALIGN_XML[align], run=runs))
        trs.append(f"{row_start}{''.join(cells)}</w:tr>")
    if trs:  # one parse for all the rows
        table._tbl.extend(list(parse_xml(f"<w:tbl {_NS}>{''.join(trs)}</w:tbl>")))
    return table


def _signature_block(
    doc, left: tuple[str, Signer] | None, right: tuple[str, Signer], width_mm: float
) -> None:
    """``NGƯỜI LẬP`` … ``THỦ TRƯỞNG ĐƠN VỊ`` side by side, space for the signature, then the name."""
    _para(doc, "", space_after=0)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    half = width_mm / 2
    for cell, block in zip(table.rows[0].cells, (left, right), strict=True):
        if block is None:
            continue
        title, signer = block
        _first_para(cell, title.upper(), bold=True, align=CENTER)
        _para(cell, "(Ký, ghi rõ họ tên)", italic=True, align=CENTER, space_after=0)
        for _ in range(3):
            _para(cell, "", space_after=0)
        if signer.name:
            _para(cell, signer.name, bold=True, align=CENTER, space_after=0)
    _widths(table, [half, half])


def _heading_block(doc, agency, on, width_mm: float) -> None:
    """The national title and motto beside the agency name (NĐ 30/2020, Phụ lục I), then the
    place and date line."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left_w, right_w = width_mm * 0.42, width_mm * 0.58
    left, right = table.rows[0].cells
    if agency.parent_name:
        _first_para(left, agency.parent_name.upper(), size=12, align=CENTER)
        _para(left, agency.name.upper(), bold=True, size=12, align=CENTER, space_after=0)
    else:
        _first_para(left, agency.name.upper(), bold=True, size=12, align=CENTER)
    _rule(left, left_w, min(left_w * 0.35, 25))
    _first_para(right, NATIONAL_TITLE, bold=True, size=12, align=CENTER)
    _para(right, NATIONAL_MOTTO, bold=True, size=13, align=CENTER, space_after=0)
    _rule(right, right_w, 56)
    _widths(table, [left_w, right_w])
    line = _para(doc, dated_line(agency.place, on), italic=True, align=RIGHT, space_before=6)
    line.paragraph_format.space_after = Pt(12)


# --- the procedure -----------------------------------------------------------------------------------------

_VML_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)

_WATERMARK = """<w:r {ns}><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/>
<v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="eisoMark" o:spid="_x0000_s2049" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:90pt;rotation:315;z-index:-251654144;
 mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;
 mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#c00000" stroked="f">
<v:fill opacity="22%"/>
<v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt;font-weight:bold"
 string="{text}"/></v:shape></w:pict></w:r>"""


def _watermark(paragraph, text: str) -> None:
    """A diagonal mark across every page (Word's own watermark shape, in the header)."""
    paragraph._p.append(parse_xml(_WATERMARK.format(ns=_VML_NS, text=_xml_escape(nfc(text)))))


def _procedure_header(doc, data: ProcedureData, width_mm: float) -> None:
    """The block on top of every page: agency | title | code, issue, effective date, page x/y."""
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    widths = [width_mm * 0.28, width_mm * 0.44, width_mm * 0.28]
    table = header.add_table(rows=4, cols=3, width=Mm(width_mm))
    _table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    left = table.cell(0, 0).merge(table.cell(3, 0))
    middle = table.cell(0, 1).merge(table.cell(3, 1))
    for cell in (left, middle):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if data.agency.parent_name:
        _first_para(left, data.agency.parent_name.upper(), size=10, align=CENTER)
        _para(left, data.agency.name.upper(), bold=True, size=10, align=CENTER, space_after=0)
    else:
        _first_para(left, data.agency.name.upper(), bold=True, size=10, align=CENTER)
    _first_para(middle, data.title.upper(), bold=True, size=header_title_pt(data.title), align=CENTER)
    if data.mark:
        _para(middle, data.mark, bold=True, size=13, align=CENTER, color=RED, space_after=0)
    lines = [
        f"Mã hiệu: {data.code}",
        f"Lần ban hành: {issue_text(data.issue_number)}",
        f"Ngày hiệu lực: {date_text(data.effective_date) or '…/…/……'}",
    ]
    for row, line in enumerate(lines):
        _first_para(table.cell(row, 2), line, size=HEADER_PT)
    page = _first_para(table.cell(3, 2), "Trang ", size=HEADER_PT)
    _field(page, "PAGE", size=HEADER_PT)
    _run(page, "/", size=HEADER_PT)
    _field(page, "NUMPAGES", size=HEADER_PT)
    # The paragraph python-docx leaves in a new header sits under the table: keep it small, and
    # let it carry the watermark.
    spacer = header.paragraphs[0]
    spacer._p.getparent().remove(spacer._p)
    header._element.append(spacer._p)
    spacer.paragraph_format.space_after = Pt(0)
    if data.mark:
        _watermark(spacer, data.mark)


def _approval_block(doc, data: ProcedureData, width_mm: float) -> None:
    labels = ("Người soạn thảo", "Người xem xét", "Người phê duyệt")
    signers = (data.drafted_by, data.reviewed_by, data.approved_by)
    table = doc.add_table(rows=4, cols=4)
    _table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    first = 30
    widths = [first] + [(width_mm - first) / 3] * 3
    rows = table.rows
    _first_para(rows[0].cells[0], "", size=TABLE_PT)
    for i, (label, signer) in enumerate(zip(labels, signers, strict=True), start=1):
        _first_para(rows[0].cells[i], label, bold=True, size=TABLE_PT, align=CENTER)
        _shade(rows[0].cells[i])
        _first_para(rows[1].cells[i], "", size=TABLE_PT)
        _first_para(rows[2].cells[i], signer.name, size=TABLE_PT, align=CENTER)
        _first_para(rows[3].cells[i], signer.position, size=TABLE_PT, align=CENTER)
    for row, label in zip(rows[1:], ("Chữ ký", "Họ và tên", "Chức vụ"), strict=True):
        _first_para(row.cells[0], label, bold=True, size=TABLE_PT)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    rows[1].height = Mm(18)
    _widths(table, widths)


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
        _para(doc, note, bold=True, color=RED, align=CENTER, space_after=6)
    _approval_block(doc, data, width)
    if data.change_summary and data.issue_number > 1:
        _para(doc, "", space_after=0)
        paragraph = _para(doc, "Nội dung sửa đổi: ", bold=True, align=JUSTIFY)
        _run(paragraph, data.change_summary, italic=True)

    _para(doc, "1. MỤC ĐÍCH", style="Heading1")
    _text_block(doc, data.purpose)
    _para(doc, "2. PHẠM VI", style="Heading1")
    _text_block(doc, data.scope)
    _para(doc, "3. TÀI LIỆU VIỆN DẪN", style="Heading1")
    if data.references:
        for ref in data.references:
            paragraph = _para(doc, "- ", align=JUSTIFY)
            paragraph.paragraph_format.left_indent = Mm(5)
            label = (
                f"{ref.doc_type} {ref.number}".strip()
                if ref.doc_type and not ref.number.lower().startswith(ref.doc_type.lower())
                else ref.number
            )
            _run(paragraph, label, bold=True)
            _run(paragraph, f": {ref.title}" if ref.title else "")
            if ref.status:
                _run(paragraph, f" ({ref.status})", italic=True, color=RED)
    else:
        _para(doc, "Không có.", italic=True)
    _para(doc, "4. ĐỊNH NGHĨA, TỪ VIẾT TẮT", style="Heading1")
    _text_block(doc, data.definitions)
    _para(doc, "5. NỘI DUNG", style="Heading1")
    _text_block(doc, data.content)
    if data.steps:
        _para(doc, "Trình tự thực hiện:", bold=True, keep_with_next=True, space_before=4)
        widths = [14, width - 14 - 36 - 24 - 36, 36, 24, 36]
        grid_table(
            doc,
            ["Bước", "Nội dung công việc", "Trách nhiệm", "Thời gian", "Biểu mẫu/Kết quả"],
            [(s.number, s.action, s.responsible, s.duration, s.result) for s in data.steps],
            widths,
            aligns=[CENTER, JUSTIFY, LEFT, CENTER, LEFT],
        )
    _para(doc, "6. BIỂU MẪU", style="Heading1")
    if data.forms:
        grid_table(
            doc,
            ["TT", "Mã hiệu", "Tên biểu mẫu"],
            [(str(i), f.code, f.title) for i, f in enumerate(data.forms, start=1)],
            [12, 40, width - 52],
            aligns=[CENTER, LEFT, LEFT],
        )
    else:
        _para(doc, "Không có.", italic=True)
    _para(doc, "7. HỒ SƠ CẦN LƯU", style="Heading1")
    if data.records:
        grid_table(
            doc,
            ["TT", "Mã hồ sơ", "Tên hồ sơ", "Nơi lưu", "Thời gian lưu"],
            [(str(i), r.code, r.name, r.place, r.retention) for i, r in enumerate(data.records, start=1)],
            [12, 32, width - 12 - 32 - 42 - 26, 42, 26],
            aligns=[CENTER, LEFT, LEFT, LEFT, CENTER],
        )
        _para(
            doc,
            "Hồ sơ được lưu tại đơn vị trong thời hạn trên, sau đó chuyển lưu trữ cơ quan hoặc tiêu hủy "
            "theo quy định.",
            italic=True,
            space_before=4,
        )
    else:
        _para(doc, "Không có.", italic=True)
    return to_bytes(doc)


# --- registers ---------------------------------------------------------------------------------------------


def _title(doc, text: str, subtitle: str = "") -> None:
    _para(doc, text.upper(), style="Title")
    if subtitle:
        _para(doc, subtitle, italic=True, align=CENTER, space_after=10)


def document_register_docx(data: DocumentRegister) -> bytes:
    """Danh mục tài liệu nội bộ: STT, mã, tên, loại, đơn vị soạn thảo, lần ban hành, ngày hiệu lực."""
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    _heading_block(doc, data.agency, data.on, width)
    _title(doc, "Danh mục tài liệu nội bộ", data.note or f"(Cập nhật đến ngày {date_text(data.on)})")
    widths = [12, 28, width - 12 - 28 - 38 - 44 - 20 - 28, 38, 44, 20, 28]
    grid_table(
        doc,
        [
            "STT",
            "Mã hiệu",
            "Tên tài liệu",
            "Loại tài liệu",
            "Đơn vị soạn thảo",
            "Lần ban hành",
            "Ngày hiệu lực",
        ],
        [
            (str(i), r.code, r.title, r.kind, r.unit, issue_text(r.issue_number), date_text(r.effective_date))
            for i, r in enumerate(data.rows, start=1)
        ],
        widths,
        aligns=[CENTER, LEFT, LEFT, LEFT, LEFT, CENTER, CENTER],
    )
    _para(doc, f"Tổng số: {len(data.rows)} tài liệu.", italic=True, space_before=6)
    _signature_block(doc, ("Người lập", Signer()), ("Thủ trưởng cơ quan", data.signer), width)
    _page_footer(doc)
    return to_bytes(doc)


def revision_history_docx(data: RevisionHistory) -> bytes:
    """Bảng theo dõi sửa đổi: the revision history of one document."""
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    _heading_block(doc, data.agency, data.on, width)
    _title(doc, "Bảng theo dõi sửa đổi tài liệu", f"{data.code} — {data.title}")
    widths = [20, 26, width - 20 - 26 - 3 * 38 - 30, 38, 38, 38, 30]
    grid_table(
        doc,
        [
            "Lần ban hành",
            "Ngày hiệu lực",
            "Nội dung sửa đổi",
            "Người soạn thảo",
            "Người xem xét",
            "Người phê duyệt",
            "Tình trạng",
        ],
        [
            (
                issue_text(r.issue_number),
                date_text(r.date),
                r.change_summary,
                r.drafted_by,
                r.reviewed_by,
                r.approved_by,
                r.status,
            )
            for r in data.rows
        ],
        widths,
        aligns=[CENTER, CENTER, JUSTIFY, LEFT, LEFT, LEFT, LEFT],
    )
    _page_footer(doc)
    return to_bytes(doc)


def filelist_docx(data: FileListData) -> bytes:
    """Danh mục hồ sơ of a unit for a year (NĐ 30/2020, Phụ lục V)."""
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    _heading_block(doc, data.agency, data.on, width)
    _title(doc, f"Danh mục hồ sơ năm {data.year}", data.unit)
    widths = [12, 30, width - 12 - 30 - 26 - 36 - 36 - 30, 26, 36, 36, 30]
    rows = []
    number = 0
    heading = None
    for row in data.rows:
        if row.heading and row.heading != heading:
            heading = row.heading
            rows.append(heading)
        number += 1
        rows.append((str(number), row.code, row.title, row.retention, row.keeper, row.location, row.note))
    grid_table(
        doc,
        ["STT", "Mã hồ sơ", "Tên hồ sơ", "Thời hạn bảo quản", "Người lập", "Vị trí lưu", "Ghi chú"],
        rows,
        widths,
        aligns=[CENTER, LEFT, LEFT, CENTER, LEFT, LEFT, LEFT],
    )
    _para(doc, f"Danh mục này có {number} hồ sơ.", italic=True, space_before=6)
    _signature_block(doc, ("Người lập", data.prepared_by), ("Thủ trưởng cơ quan", data.approved_by), width)
    _page_footer(doc)
    return to_bytes(doc)


def _page_footer(doc) -> None:
    """Registers number their pages at the bottom centre."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.alignment = CENTER
    _run(paragraph, "Trang ", size=HEADER_PT)
    _field(paragraph, "PAGE", size=HEADER_PT)
    _run(paragraph, "/", size=HEADER_PT)
    _field(paragraph, "NUMPAGES", size=HEADER_PT)
