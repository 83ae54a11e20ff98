"""Tables: the bordered grid with a shaded header row, and the cell-level helpers."""

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from eiso.reports.vocabulary import nfc
from eiso.reports.word.page import CENTER, JUSTIFY, LEFT, RIGHT, TABLE_PT
from eiso.reports.word.text import first_para, xml_escape


def table_style(table, style_id: str = "TableGrid") -> None:
    """The bordered "Table Grid" style, set by id (see ``text.para``)."""
    tbl_pr = table._tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is None:
        style = OxmlElement("w:tblStyle")
        tbl_pr.insert(0, style)
    style.set(qn("w:val"), style_id)


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


def widths(table, widths_mm) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _keep_next(element) -> None:
    """Keep-with-next on every paragraph inside ``element`` (a paragraph, a row, a table)."""
    paragraphs = [element] if element.tag == qn("w:p") else element.iter(qn("w:p"))
    for p in paragraphs:
        Paragraph(p, None).paragraph_format.keep_with_next = True


def keep_rows_together(table) -> None:
    """A table that never splits across pages (a signature block): rows cannot split and each row
    is kept with the next one."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.append(OxmlElement("w:cantSplit"))
    for row in table.rows[:-1]:
        _keep_next(row._tr)


def keep_with_previous(doc) -> None:
    """Keep what comes next on the page of the last block written so far: its paragraph, or the
    last row of its table, is kept with the next paragraph."""
    body = doc.element.body
    blocks = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
    if not blocks:
        return
    last = blocks[-1]
    if last.tag == qn("w:tbl"):
        rows = last.findall(qn("w:tr"))
        if rows:
            _keep_next(rows[-1])
    else:
        _keep_next(last)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def shade(cell, fill: str = "E7E6E6") -> None:
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


def grid_table(container, headers, rows, widths_mm, *, aligns=None, size=TABLE_PT):
    """A bordered table with a shaded header row repeated on each page. A row given as a plain
    string is a group heading across the whole width; a line break in a cell starts a new line;
    a cell asked to be justified is aligned left.

    The body rows are written as XML directly: python-docx's cell API is far too slow for the
    500-row register (about 40 times slower), and the cells here are plain text."""
    # Cells are never justified: in a narrow column, justified lines show wide gaps between words.
    aligns = [LEFT if a == JUSTIFY else a for a in (aligns or [LEFT] * len(headers))]
    table = container.add_table(rows=1, cols=len(headers))
    table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        first_para(cell, text, bold=True, size=size, align=CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        shade(cell)
    repeat_header(table.rows[0])
    widths(table, widths_mm)
    twips = [int(w * 1440 / 25.4) for w in widths_mm]
    half_points = str(int(size * 2))
    trs = []
    row_start = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    for values in rows:
        if isinstance(values, str):
            run = _RUN_XML.format(bold="<w:b/>", size=half_points, text=xml_escape(nfc(values)))
            span = f'<w:gridSpan w:val="{len(twips)}"/>'
            trs.append(
                f"{row_start}{_CELL_XML.format(width=sum(twips), span=span, align='left', run=run)}</w:tr>"
            )
            continue
        cells = []
        for value, width, align in zip(values, twips, aligns, strict=True):
            parts = nfc(value).split("\n")
            runs = "<w:r><w:br/></w:r>".join(
                _RUN_XML.format(bold="", size=half_points, text=xml_escape(part)) for part in parts if part
            )
            cells.append(_CELL_XML.format(width=width, span="", align=_ALIGN_XML[align], run=runs))
        trs.append(f"{row_start}{''.join(cells)}</w:tr>")
    if trs:  # one parse for all the rows
        table._tbl.extend(list(parse_xml(f"<w:tbl {_NS}>{''.join(trs)}</w:tbl>")))
    return table
