"""The Word files of the demo's forms (``BM-xx-QTyy``): a printable page per form, so that the
demo's revisions carry real .docx files whose text the search finds."""

import functools
import io

import docx


@functools.cache
def _form_template() -> bytes:
    """An empty A4 page in Times New Roman 13 pt with the margins of NĐ 30/2020 (styled once)."""
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def form_docx(agency_name: str, code: str, title: str, fields: tuple[str, ...]) -> bytes:
    """A printable form: agency, code, title, one dotted line per field, place for the signature."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document(io.BytesIO(_form_template()))
    top = document.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    left.paragraphs[0].add_run(agency_name.upper()).bold = True
    right.paragraphs[0].add_run(code).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    national = document.add_paragraph()
    national.alignment = WD_ALIGN_PARAGRAPH.CENTER
    national.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n").bold = True
    national.add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title.upper())
    run.bold, run.font.size = True, Pt(14)
    for label in fields:
        document.add_paragraph(f"{label}: " + "." * max(20, 90 - 2 * len(label)))
    signature = document.add_paragraph("\n…, ngày … tháng … năm …\nNGƯỜI LẬP\n(Ký, ghi rõ họ tên)")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
