"""Office files are zip archives: one whose parts would unpack too large ("zip bomb") is refused from
its declared sizes, naming the limit, before any parser opens it (uploads and imports alike)."""

import functools
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.core.errors import ValidationFailed
from eiso.core.tabular import read_table
from eiso.core.tests.test_uploads import make_docx, make_xlsx
from eiso.core.uploads import check_archive, inspect_upload

MB = 1024 * 1024


@functools.cache
def bomb(kind: str, megabytes: int = 200) -> bytes:
    """A small Office file (about 200 KB) one part of which unpacks to ``megabytes`` of zeros."""
    part = {"docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if kind == "xlsx":
            archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(part, "w") as stream:
            chunk = b"\0" * MB
            for _ in range(megabytes):
                stream.write(chunk)
    return buffer.getvalue()


def refusal(call) -> str:
    with pytest.raises(ValidationFailed) as exc:
        call()
    assert "file" in exc.value.errors
    return exc.value.message


def test_a_docx_bomb_is_refused_at_upload_naming_the_ratio_limit(settings):
    data = bomb("docx")
    assert len(data) < MB
    message = refusal(lambda: inspect_upload(SimpleUploadedFile("Quy trình.docx", data)))
    assert "Quy trình.docx" in message and "word/document.xml" in message
    assert str(settings.EISO_UNZIP_MAX_RATIO) in message


def test_an_xlsx_bomb_is_refused_by_every_import_before_openpyxl_reads_it(settings):
    message = refusal(lambda: read_table(io.BytesIO(bomb("xlsx")), "ho-so.xlsx", aliases={"code": ["Mã"]},
                                         required=["code"]))
    assert "ho-so.xlsx" in message and "xl/worksheets/sheet1.xml" in message
    assert str(settings.EISO_UNZIP_MAX_RATIO) in message
    message = refusal(lambda: inspect_upload(SimpleUploadedFile("ho-so.xlsx", bomb("xlsx")), allowed=("xlsx",)))
    assert "xl/worksheets/sheet1.xml" in message


def test_limits_on_a_part_and_on_the_whole(settings):
    data = make_docx("Quy trình đăng ký khai sinh " * 2000)
    biggest = max(zipfile.ZipFile(io.BytesIO(data)).infolist(), key=lambda m: m.file_size)
    settings.EISO_UNZIP_MAX_MEMBER_BYTES = biggest.file_size - 1
    message = refusal(lambda: inspect_upload(SimpleUploadedFile("QT-05.docx", data)))
    assert biggest.filename in message and "KB" in message

    settings.EISO_UNZIP_MAX_MEMBER_BYTES = 200 * MB
    total = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    settings.EISO_UNZIP_MAX_TOTAL_BYTES = total - 1
    message = refusal(lambda: inspect_upload(SimpleUploadedFile("QT-05.docx", data)))
    assert "QT-05.docx" in message and "KB" in message

    settings.EISO_UNZIP_MAX_TOTAL_BYTES = total
    assert inspect_upload(SimpleUploadedFile("QT-05.docx", data)).file_type == "docx"


def test_too_many_parts_are_refused_before_the_directory_is_listed(settings, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for n in range(30):
            archive.writestr(f"word/media/{n}.bin", b"x")
    settings.EISO_UNZIP_MAX_MEMBERS = 20

    def no_listing(*args, **kwargs):
        raise AssertionError("the directory was read")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", no_listing)
    message = refusal(lambda: check_archive(io.BytesIO(buffer.getvalue()), "many.docx"))
    assert "many.docx" in message and "20" in message


def test_ordinary_office_files_pass():
    for name, data in (("QT-05.docx", make_docx()), ("BM-01.xlsx", make_xlsx())):
        check_archive(io.BytesIO(data), name)
        assert inspect_upload(SimpleUploadedFile(name, data)).size == len(data)


def test_an_imported_workbook_may_unpack_larger_than_a_document(settings):
    data = make_xlsx()
    biggest = max(zipfile.ZipFile(io.BytesIO(data)).infolist(), key=lambda m: m.file_size)
    settings.EISO_UNZIP_MAX_MEMBER_BYTES = biggest.file_size - 1  # a revision's file is parsed whole
    settings.EISO_UNZIP_MAX_IMPORT_MEMBER_BYTES = biggest.file_size  # an import reads it row by row
    message = refusal(lambda: inspect_upload(SimpleUploadedFile("BM-01.xlsx", data)))
    assert biggest.filename in message
    assert inspect_upload(SimpleUploadedFile("BM-01.xlsx", data), allowed=("xlsx",), for_import=True).size
    assert read_table(io.BytesIO(data), "BM-01.xlsx", aliases={"code": ["Mã hồ sơ"]}, required=["code"]).columns
