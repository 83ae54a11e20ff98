"""Checking uploaded files by their content, not their name, before anything is stored."""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed

OFFICE_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class UploadInfo:
    file_type: str  # docx | pdf | xlsx
    size: int
    sha256: str
    original_name: str


def detect_type(head: bytes, data_for_zip) -> str | None:
    """``pdf``, ``docx``, ``xlsx`` or None, from the bytes themselves."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for file_type, marker in OFFICE_MARKERS.items():
            if marker in names:
                return file_type
    return None


def check_size(uploaded, max_bytes: int | None = None) -> int:
    """The size of an upload; refused, naming the file, when it is empty or over the limit."""
    max_bytes = max_bytes or settings.EISO_MAX_UPLOAD_BYTES
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
    if size == 0:
        message = _("The file %(name)s is empty.") % {"name": name}
        raise ValidationFailed(message, errors={"file": [message]})
    if size > max_bytes:
        message = _("The file %(name)s is %(size)s; the limit is %(limit)s.") % {
            "name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        raise ValidationFailed(message, errors={"file": [message]})
    return size


def inspect_upload(uploaded, *, allowed=("docx", "pdf", "xlsx"), max_bytes: int | None = None) -> UploadInfo:
    """Size, type (by content, and the name's extension must agree) and checksum of an upload.

    Raises ValidationFailed with a message a person understands; reads the file in chunks.
    """
    name = getattr(uploaded, "name", "") or ""
    size = check_size(uploaded, max_bytes)
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    file_type = detect_type(head, uploaded)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if file_type is None or file_type not in allowed or extension != file_type:
        message = _("%(name)s is not a valid %(types)s file (its content was checked, not only its name).") % {
            "name": name, "types": "/".join(f".{t}" for t in allowed)}
        raise ValidationFailed(message, errors={"file": [message]})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return UploadInfo(file_type=file_type, size=size, sha256=digest.hexdigest(), original_name=name[-255:])
