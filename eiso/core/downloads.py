"""Sending a generated file: a readable name, both an ASCII and a UTF-8 file name (RFC 5987/6266),
and headers that keep it out of shared caches. Used by every area's downloads."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_FORBIDDEN_IN_NAMES = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def filename_for(*parts: str, extension: str = "") -> str:
    """A readable file name: the parts joined, characters Windows refuses replaced, at most 150 chars."""
    name = " ".join(p.strip() for p in parts if p and p.strip())
    name = _FORBIDDEN_IN_NAMES.sub("-", unicodedata.normalize("NFC", name)).strip(" .-") or "eiso"
    name = name[:150].rstrip()
    return f"{name}.{extension}" if extension else name


def content_disposition(filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''…``: old clients take the ASCII name,
    every current browser the UTF-8 one (Vietnamese letters kept)."""
    folded = unicodedata.normalize("NFD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_name = _UNSAFE.sub("_", ascii_name).strip() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
