"""A request body over EISO_MAX_REQUEST_BYTES is refused with 413 before any of it is read (no file
is spooled to the temporary directory); spooled uploads a killed worker left behind are removed."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import multipartparser

from eiso.core.uploads import upload_temp_clean

pytestmark = pytest.mark.django_db


@pytest.fixture
def body_never_parsed(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("the request body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", refuse)


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def big_file(size=64 * 1024):
    return SimpleUploadedFile("QT-05.docx", b"PK\x03\x04" + b"\0" * size)


def test_a_page_upload_over_the_limit_is_refused_unread(settings, client_for, a_unit_head, body_never_parsed):
    settings.EISO_MAX_REQUEST_BYTES = 16 * 1024
    response = client_for(a_unit_head, language="en").post("/documents/revisions/1/files/", {"file": big_file()})
    assert response.status_code == 413
    assert "The request is too large: at most 16.0 KB can be sent at once." in text(response)
    response = client_for(a_unit_head).post("/documents/revisions/1/files/", {"file": big_file()})
    assert response.status_code == 413 and "16,0 KB" in text(response)


def test_an_api_upload_over_the_limit_is_refused_in_json(settings, api_for, a_secretary, body_never_parsed):
    settings.EISO_MAX_REQUEST_BYTES = 16 * 1024
    response = api_for(a_secretary).post("/api/v1/documents/1/revisions", {"file": big_file(),
                                                                             "change_summary": "x"})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "16" in response.json()["message"]


def test_a_request_under_the_limit_goes_through(settings, client_for, a_unit_head):
    settings.EISO_MAX_REQUEST_BYTES = 1024 * 1024
    response = client_for(a_unit_head).post("/documents/revisions/999999/files/", {"file": big_file()})
    assert response.status_code == 404  # reached the view


def test_old_spooled_uploads_are_removed_recent_ones_kept(settings, tmp_path, capsys):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.EISO_UPLOAD_TEMP_MAX_AGE = 3600
    old, recent = tmp_path / "tmpa1b2.upload.docx", tmp_path / "tmpc3d4.upload.xlsx"
    old.write_bytes(b"x")
    recent.write_bytes(b"y")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert upload_temp_clean() == 1
    assert not old.exists() and recent.exists()
    call_command("clean_uploads", "--max-age", "0")
    assert not recent.exists() and "1 temporary upload" in capsys.readouterr().out


def test_uploads_are_spooled_under_the_var_directory(settings):
    assert settings.FILE_UPLOAD_TEMP_DIR.startswith(str(settings.VAR_DIR))
