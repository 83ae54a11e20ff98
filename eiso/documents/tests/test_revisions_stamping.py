"""stamp_obsolete: every page, every sheet and the start of a Word file carry the mark; the rest of
the content is kept; Vietnamese labels survive (a TrueType font with Vietnamese glyphs)."""

import io

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from eiso.documents.stamping import FILE_PREFIX, stamp_obsolete, stamped_name
from eiso.documents.tests.factories.revisions import docx_bytes, pdf_bytes, xlsx_bytes

LABEL = "HẾT HIỆU LỰC"


def test_pdf_every_page_carries_the_label_and_keeps_its_text():
    stamped = stamp_obsolete(pdf_bytes("Quy trinh cap phep", pages=3), "pdf", LABEL)
    pages = PdfReader(io.BytesIO(stamped)).pages
    assert len(pages) == 3
    for n, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert LABEL in text and f"trang {n}" in text


def test_pdf_rotated_and_odd_sized_pages():
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    rotated = writer.add_blank_page(width=595, height=842)
    rotated.rotate(90)
    buffer = io.BytesIO()
    writer.write(buffer)
    pages = PdfReader(io.BytesIO(stamp_obsolete(buffer.getvalue(), "pdf", LABEL))).pages
    assert [LABEL in p.extract_text() for p in pages] == [True, True]


def test_docx_starts_with_the_label_in_red_bold_and_every_header_has_it():
    source = docx.Document(io.BytesIO(docx_bytes("Nội dung quy trình")))
    source.sections[0].header.paragraphs[0].text = "QT-05 — Lần ban hành 1"
    buffer = io.BytesIO()
    source.save(buffer)
    document = docx.Document(io.BytesIO(stamp_obsolete(buffer.getvalue(), "docx", LABEL)))
    first = document.paragraphs[0]
    assert first.text == LABEL
    assert first.runs[0].bold and str(first.runs[0].font.color.rgb) == "C00000"
    assert [p.text for p in document.paragraphs][1:] == ["Nội dung quy trình"]
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert header[0] == LABEL and "QT-05 — Lần ban hành 1" in header


def test_xlsx_gets_a_first_sheet_and_headers_and_keeps_the_data():
    workbook = load_workbook(io.BytesIO(stamp_obsolete(xlsx_bytes("Mã hồ sơ"), "xlsx", LABEL)))
    mark, data = workbook.worksheets
    assert workbook.active.title == mark.title
    assert mark["A1"].value == LABEL and mark["A1"].font.b
    assert data["A1"].value == "Mã hồ sơ" and data["B2"].value == "=1+1"  # formulas untouched
    assert data.oddHeader.center.text == LABEL


def test_other_types_are_returned_unchanged():
    assert stamp_obsolete(b"abc", "txt", LABEL) == b"abc"


@pytest.mark.parametrize(("name", "expected"), [
    ("QT-05.docx", f"{FILE_PREFIX}QT-05.docx"),
    (f"{FILE_PREFIX}QT-05.pdf", f"{FILE_PREFIX}QT-05.pdf"),
])
def test_stamped_name(name, expected):
    assert stamped_name(name) == expected
