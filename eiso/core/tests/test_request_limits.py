"""A request body over EISO_MAX_REQUEST_BYTES is refused with 413 before any of it is read (no file
is spooled to the temporary directory); spooled uploads a killed worker left behind are removed."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import multipartparser
from django.urls import reverse

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
    url = reverse("documents:revision-upload", args=[1])
    response = client_for(a_unit_head, language="en").post(url, {"file": big_file()})
    assert response.status_code == 413
    assert not response.has_header("Connection")  # a hop-by-hop header, which WSGI servers refuse
    assert "The request is too large: at most 16.0 KB can be sent at once." in text(response)
    response = client_for(a_unit_head).post(url, {"file": big_file()})
    assert response.status_code == 413 and "16,0 KB" in text(response)


def test_an_api_upload_over_the_limit_is_refused_in_json(settings, api_for, a_secretary, body_never_parsed):
    settings.EISO_MAX_REQUEST_BYTES = 16 * 1024
    response = api_for(a_secretary).post("/api/v1/documents/1/revisions", {"file": big_file(),
                                                                             "change_summary": "x"})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "16" in response.json()["message"]


def test_a_request_under_the_limit_goes_through(settings, client_for, a_unit_head):
    settings.EISO_MAX_REQUEST_BYTES = 1024 * 1024
    response = client_for(a_unit_head).post(reverse("documents:revision-upload", args=[999999]), {"file": big_file()})
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


def asgi_post(path: str, chunks: list[bytes], headers=()) -> tuple[int, bytes, int]:
    """POST ``chunks`` as a streamed body (no length declared) through the ASGI application;
    returns the status, the body and how many chunks the application read."""
    import asyncio

    from eiso.core.asgi import SizeLimitedASGIHandler

    sent, read = [], [0]
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

    async def receive():
        if read[0] < len(messages):
            read[0] += 1
            return messages[read[0] - 1]
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/octet-stream"), *headers],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    asyncio.run(SizeLimitedASGIHandler()(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), read[0]


def test_a_streamed_body_over_the_limit_is_cut_off_and_refused_under_asgi(settings):
    settings.EISO_MAX_REQUEST_BYTES = 16 * 1024
    status, body, read = asgi_post("/api/v1/documents/1/revisions", [b"\0" * 8192] * 100)
    assert status == 413 and b"too_large" in body
    assert read == 3  # stopped reading just past the limit, not after 800 KB
    status, _body, read = asgi_post("/api/v1/documents/1/revisions", [b"\0" * 1024] * 4)
    assert status != 413 and read == 4
