"""The blocks of an official document (NĐ 30/2020): the heading with the national title and
motto beside the agency, the title, the signatures, page numbers, and a diagonal mark."""

from docx.oxml import parse_xml
from docx.shared import Mm, Pt
from reportlab.pdfbase.pdfmetrics import stringWidth

from eiso.reports import pdf
from eiso.reports.content import AgencyHeading, Signer
from eiso.reports.vocabulary import NATIONAL_MOTTO, NATIONAL_TITLE, dated_line, heading_lines, nfc
from eiso.reports.word.page import CENTER, HEADER_PT, RIGHT
from eiso.reports.word.tables import keep_rows_together, keep_with_previous, no_borders, widths
from eiso.reports.word.text import border, field, first_para, para, run, xml_escape


def rule(cell, cell_width_mm: float, rule_mm: float) -> None:
    """The short line under an agency name or the motto (NĐ 30/2020), as a bordered empty
    paragraph indented to the line's length."""
    paragraph = cell.add_paragraph()
    side = max((cell_width_mm - rule_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    border(paragraph, "top", 6)


def heading_block(doc, agency: AgencyHeading, on, width_mm: float, *, number: str = "") -> None:
    """The national title and motto beside the agency name (NĐ 30/2020, Phụ lục I), with the
    document's number under the agency when it has one (``Số: 06/HĐKP-STP``), then the place and
    date line."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    left_w, right_w = width_mm * HEADING_SPLIT, width_mm * (1 - HEADING_SPLIT)
    left, right = table.rows[0].cells
    agency_lines(left, agency, left_w)
    rule(left, left_w, min(left_w * 0.35, 25))
    if number:
        para(left, f"Số: {number}", size=13, align=CENTER, space_after=0)
    first_para(right, NATIONAL_TITLE, bold=True, size=12, align=CENTER)
    para(right, NATIONAL_MOTTO, bold=True, size=13, align=CENTER, space_after=0)
    rule(right, right_w, 56)
    widths(table, [left_w, right_w])
    line = para(doc, dated_line(agency.place, on), italic=True, align=RIGHT, space_before=6)
    line.paragraph_format.space_after = Pt(12)


def blank_number(agency: AgencyHeading, kind: str) -> str:
    """The number line of a document numbered when it is registered (``Số: …/BC-STP``): the
    registry fills the number, the layout prints the type of document and the agency's symbol."""
    return f"…/{kind}-{agency.code}" if agency.code else ""


HEADING_SPLIT = 0.43  # the agency's share of the heading's width; the national title needs the rest
CELL_MARGINS_MM = 3.8  # Word's default cell margins, left and right


def fits_line(width_mm: float, *, bold: bool, size: float = 12):
    """Whether a text fits on one line of a column ``width_mm`` wide, measured with the metrics of
    the bundled Liberation Serif (metric-compatible with Times New Roman)."""
    pdf.register_fonts()
    font = f"{pdf.SERIF}-Bold" if bold else pdf.SERIF
    room = (width_mm - CELL_MARGINS_MM) / 25.4 * 72
    return lambda text: stringWidth(nfc(text), font, size) <= room


def agency_lines(cell, agency: AgencyHeading, width_mm: float, *, size: float = 12) -> None:
    """The body above (when there is one) and the agency, in capitals: a name too long for the
    column breaks before its place name, which stays on one line ("TỈNH NGHỆ AN", never
    "NGHỆ / AN")."""
    def lines(name, bold):
        return heading_lines(name.upper(), fits_line(width_mm, bold=bold, size=size))

    if agency.parent_name:
        first_para(cell, "", align=CENTER)
        _lines(cell.paragraphs[0], lines(agency.parent_name, False), bold=False, size=size)
        paragraph = para(cell, "", align=CENTER, space_after=0)
    else:
        paragraph = first_para(cell, "", align=CENTER)
    _lines(paragraph, lines(agency.name, True), bold=True, size=size)


def _lines(paragraph, lines: list[str], *, bold: bool, size: float) -> None:
    for i, line in enumerate(lines):
        if i:
            paragraph.add_run().add_break()
        run(paragraph, line, bold=bold, size=size)


def title(doc, text: str, subtitle: str = "") -> None:
    para(doc, text.upper(), style="Title")
    if subtitle:
        para(doc, subtitle, italic=True, align=CENTER, space_after=10)


Signature = tuple[str, Signer] | None  # (heading, signer), or None for an empty place


def signature_block(doc, left: Signature, right: Signature, width_mm: float, *,
                    more: tuple[tuple[Signature, Signature], ...] = ()) -> None:
    """``NGƯỜI LẬP`` … ``THỦ TRƯỞNG ĐƠN VỊ`` side by side, space for the signature, then the name;
    ``more`` adds rows of two places below. The block never starts a page alone: it is kept
    together and with the last lines before it (keep-with-next, rows that cannot split)."""
    keep_with_previous(doc)
    para(doc, "", space_after=0, keep_with_next=True)
    rows = ((left, right), *more)
    table = doc.add_table(rows=len(rows), cols=2)
    no_borders(table)
    half = width_mm / 2
    for index, (row, pair) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, block in zip(row.cells, pair, strict=True):
            if block is None:
                continue
            heading, signer = block
            paragraph = first_para(cell, heading.upper(), bold=True, align=CENTER)
            if index:
                paragraph.paragraph_format.space_before = Pt(12)
            para(cell, "(Ký, ghi rõ họ tên)", italic=True, align=CENTER, space_after=0)
            for _ in range(3):
                para(cell, "", space_after=0)
            if signer.name:
                para(cell, signer.name, bold=True, align=CENTER, space_after=0)
    widths(table, [half, half])
    keep_rows_together(table)


def page_footer(doc) -> None:
    """``Trang x/y`` at the bottom centre of every page."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.paragraph_format.alignment = CENTER
    run(paragraph, "Trang ", size=HEADER_PT)
    field(paragraph, "PAGE", size=HEADER_PT)
    run(paragraph, "/", size=HEADER_PT)
    field(paragraph, "NUMPAGES", size=HEADER_PT)


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


def watermark(paragraph, text: str) -> None:
    """A diagonal mark across every page (Word's own watermark shape, in the header)."""
    paragraph._p.append(parse_xml(_WATERMARK.format(ns=_VML_NS, text=xml_escape(nfc(text)))))
