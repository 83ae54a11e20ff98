import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from eiso.core.errors import ValidationFailed
from eiso.core.uploads import inspect_upload


def make_docx(text="Quy trình đăng ký khai sinh") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Mã hồ sơ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.mark.parametrize(("name", "data", "file_type"), [
    ("QT-05.docx", make_docx(), "docx"), ("BM-01.xlsx", make_xlsx(), "xlsx"), ("Quyết định.pdf", PDF, "pdf"),
])
def test_accepts_real_files_and_computes_checksum(name, data, file_type):
    import hashlib

    info = inspect_upload(SimpleUploadedFile(name, data))
    assert info.file_type == file_type and info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.original_name == name


def _zip_without_office_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("virus.docx", b"MZ\x90\x00 not a document"),  # an executable renamed
    ("notes.docx", "ghi chú".encode()),  # plain text renamed
    ("archive.docx", _zip_without_office_parts()),  # a zip that is not Office
    ("report.pdf", make_docx()),  # a real docx named .pdf
    ("sheet.xlsx", make_docx()),  # a real docx named .xlsx
    ("script.exe", PDF),  # a real pdf with a forbidden name
])
def test_refuses_files_whose_content_does_not_match(name, data):
    with pytest.raises(ValidationFailed) as exc:
        inspect_upload(SimpleUploadedFile(name, data))
    assert "file" in exc.value.errors and name in exc.value.message


def test_refuses_empty_and_oversized_files(settings):
    with pytest.raises(ValidationFailed):
        inspect_upload(SimpleUploadedFile("a.pdf", b""))
    settings.EISO_MAX_UPLOAD_BYTES = 20
    with pytest.raises(ValidationFailed) as exc:
        inspect_upload(SimpleUploadedFile("a.pdf", PDF))
    assert "20" in exc.value.message or "byte" in exc.value.message.lower()
