"""Marking the files of an obsolete revision before they are downloaded.

A superseded or withdrawn revision's files are served with a visible mark ("NO LONGER IN FORCE",
"HẾT HIỆU LỰC" in Vietnamese), so a printed or forwarded copy cannot pass for the current one:

- PDF: a red diagonal label over every page (reportlab draws it, pypdf merges it);
- DOCX: a red bold first paragraph and the label at the top of every page header (python-docx);
- XLSX: a red first sheet carrying the label, the label in every sheet's printed header and a red
  sheet tab (openpyxl). Rows are not inserted into the data sheets, which would break formulas.

Pure functions: bytes in, bytes out, no database.
"""

import functools
import io
from pathlib import Path

FONT_NAME = "EisoStampBold"
FONT_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "reports" / "fonts" / "LiberationSans-Bold.ttf",
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
RED = "C00000"
FILE_PREFIX = "HET-HIEU-LUC_"


def stamped_name(original_name: str) -> str:
    """The download name of a stamped file."""
    return original_name if original_name.startswith(FILE_PREFIX) else f"{FILE_PREFIX}{original_name}"


def stamp_obsolete(data: bytes, file_type: str, label: str) -> bytes:
    """``data`` (a .pdf, .docx or .xlsx file) with ``label`` marked on it; other types unchanged."""
    stamp = {"pdf": _stamp_pdf, "docx": _stamp_docx, "xlsx": _stamp_xlsx}.get(file_type)
    return stamp(data, label) if stamp else data


# --- PDF ------------------------------------------------------------------------------------------

@functools.cache
def _font() -> str:
    """A TrueType font with Vietnamese glyphs, registered once; Helvetica-Bold if none is found."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONT_CANDIDATES:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
            return FONT_NAME
    return "Helvetica-Bold"


def _overlay(width: float, height: float, label: str):
    """A one-page PDF of the given size with the label drawn diagonally across it."""
    from pypdf import PdfReader
    from reportlab.lib.colors import Color
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    diagonal = (width ** 2 + height ** 2) ** 0.5
    size = max(12.0, min(90.0, 0.8 * diagonal / max(1.0, stringWidth(label, font, 1))))
    pdf.saveState()
    pdf.translate(width / 2, height / 2)
    pdf.rotate(_angle(width, height))
    pdf.setFillColor(Color(0.8, 0, 0, alpha=0.55))
    pdf.setStrokeColor(Color(0.8, 0, 0, alpha=0.55))
    pdf.setFont(font, size)
    pdf.drawCentredString(0, -size / 3, label)
    pdf.setLineWidth(max(1.0, size / 18))
    text_width = stringWidth(label, font, size)
    pdf.rect(-text_width / 2 - size / 3, -size * 0.6, text_width + 2 * size / 3, size * 1.25)
    pdf.restoreState()
    # A smaller, straight line at the top, readable when the page is printed small.
    pdf.setFillColor(Color(0.8, 0, 0))
    pdf.setFont(font, 11)
    pdf.drawCentredString(width / 2, height - 18, label)
    pdf.showPage()
    pdf.save()
    buffer.seek(0)
    return PdfReader(buffer).pages[0]


def _angle(width: float, height: float) -> float:
    import math

    return math.degrees(math.atan2(height, width))


def _stamp_pdf(data: bytes, label: str) -> bytes:
    from pypdf import PdfWriter, Transformation

    writer = PdfWriter(clone_from=io.BytesIO(data))
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        if (page.get("/Rotate") or 0) % 360:
            page.transfer_rotation_to_content()  # so the label reads straight as the page is shown
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        key = (round(width, 1), round(height, 1))
        if key not in overlays:
            overlays[key] = _overlay(width, height, label)
        left, bottom = float(box.left), float(box.bottom)
        if left or bottom:
            page.merge_transformed_page(overlays[key], Transformation().translate(left, bottom))
        else:
            page.merge_page(overlays[key])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- DOCX -----------------------------------------------------------------------------------------

def _red_bold_run(paragraph, text: str, size_pt: int | None = None):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(RED)
    if size_pt:
        run.font.size = Pt(size_pt)
    return run


def _stamp_docx(data: bytes, label: str) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    first = document.add_paragraph()  # appended at the end, then moved to the top
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _red_bold_run(first, label, 20)
    body.remove(first._p)
    body.insert(0, first._p)
    for section in document.sections:
        for header in {id(h): h for h in (section.header, section.first_page_header, section.even_page_header)
                       }.values():
            if header.is_linked_to_previous:
                header.is_linked_to_previous = False
            paragraphs = header.paragraphs
            line = paragraphs[0].insert_paragraph_before() if paragraphs and paragraphs[0].text else (
                paragraphs[0] if paragraphs else header.add_paragraph())
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _red_bold_run(line, label, 12)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- XLSX -----------------------------------------------------------------------------------------

def _stamp_xlsx(data: bytes, label: str) -> bytes:
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font

    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for header in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            header.center.text = label
            header.center.color = RED
            header.center.font = "Arial,Bold"
            header.center.size = 14
        sheet.sheet_properties.tabColor = RED
    title = "".join(c for c in label if c not in '[]:*?/\\')[:31] or "OBSOLETE"
    while title in workbook.sheetnames:
        title = ("!" + title)[:31]
    mark = workbook.create_sheet(title=title, index=0)
    mark.sheet_properties.tabColor = RED
    mark["A1"] = label
    mark["A1"].font = Font(bold=True, color=RED, size=24)
    mark["A1"].alignment = Alignment(horizontal="left", vertical="center")
    mark.row_dimensions[1].height = 36
    mark.column_dimensions["A"].width = 60
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = False
    workbook.active = 0
    mark.sheet_view.tabSelected = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
