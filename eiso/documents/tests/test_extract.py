"""Text extraction for search streams: it stops at its character cap and never holds a whole part."""

import io
import zipfile

import docx
import pytest
from openpyxl import Workbook

from eiso.documents import extract
from eiso.documents.extract import MAX_CHARS, extract_text

DOCUMENT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
PARAGRAPH = "<w:p><w:r><w:t>Bước {n}: tiếp nhận hồ sơ đăng ký khai sinh</w:t></w:r></w:p>"


def long_docx(paragraphs: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            part.write(DOCUMENT.encode())
            for start in range(0, paragraphs, 1000):
                part.write("".join(PARAGRAPH.format(n=n) for n in range(start, start + 1000)).encode())
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


@pytest.fixture
def bytes_unpacked(monkeypatch):
    """How many bytes readers got out of zip parts."""
    count = [0]
    real = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = real(self, n)
        count[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return count


def test_a_long_word_document_is_read_only_up_to_the_cap(bytes_unpacked):
    data = long_docx(400_000)  # word/document.xml is about 30 MB
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    assert size > 25_000_000
    bytes_unpacked[0] = 0
    text = extract_text(io.BytesIO(data), "docx")
    assert len(text) == MAX_CHARS and text.startswith("Bước 0: tiếp nhận hồ sơ đăng ký khai sinh\nBước 1:")
    assert bytes_unpacked[0] < 2_000_000  # stopped after a few MB, not the whole part


def test_word_paragraphs_and_tables_in_document_order():
    document = docx.Document()
    document.add_paragraph("Quy trình cấp bản sao")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Bước", "Thời hạn"), ("Tiếp nhận", "0,5 ngày")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Hết")
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text(buffer, "docx")
    assert text.split("\n") == ["Quy trình cấp bản sao", "Bước | Thời hạn", "Tiếp nhận | 0,5 ngày", "Hết"]


def test_a_sheet_is_read_only_up_to_the_cap(monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 1000)
    workbook = Workbook()
    for n in range(3000):
        workbook.active.append([f"HS-{n:05d}", "Đăng ký khai sinh"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = []
    real = extract._Text.add
    monkeypatch.setattr(extract._Text, "add", lambda self, text: (rows.append(text), real(self, text)))
    text = extract.extract_text(buffer, "xlsx")
    assert text.startswith("HS-00000 Đăng ký khai sinh") and len(text) <= 1000
    assert len(rows) < 50  # stopped reading rows once the cap was reached


def test_damaged_and_hostile_files_give_no_text():
    entity_bomb = (DOCUMENT.replace("<w:document", '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document')
                   + "<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", entity_bomb)
    assert "aaaa" not in extract_text(buffer, "docx")
    assert extract_text(io.BytesIO(b"PK\x03\x04 broken"), "docx") == ""
    assert extract_text(io.BytesIO(b"%PDF-1.4 broken"), "pdf") == ""


def test_reading_stops_when_its_time_is_up(monkeypatch):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n in range(3):
        pdf.drawString(72, 720, f"Trang {n + 1}")
        pdf.showPage()
    pdf.save()
    assert extract_text(io.BytesIO(buffer.getvalue()), "pdf").split() == ["Trang", "1", "Trang", "2", "Trang", "3"]
    monkeypatch.setattr(extract, "MAX_SECONDS", -1)  # already up: the first page only
    assert extract_text(io.BytesIO(buffer.getvalue()), "pdf").split() == ["Trang", "1"]
