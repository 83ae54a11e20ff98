"""Checking uploaded files by their content, not their name, before anything is stored.

Office files (.docx, .xlsx) are zip archives: ``check_archive`` refuses one whose parts would unpack
too large (a "zip bomb") from the sizes the archive declares, before any parser opens it. Python's
``zipfile`` never unpacks more than a part declares (it stops there and fails the checksum), so the
declared sizes bound what python-docx, openpyxl or our own readers can get out of the file.
"""

import hashlib
import io
import struct
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


RATIO_CHECKED_ABOVE = 1024 * 1024  # a small part (styles, an empty sheet) may compress very well
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={"file": [message]})


def _declared_entry_count(fileobj) -> int | None:
    """The number of parts an archive's end record declares, read before ``zipfile`` builds its
    (possibly huge) list of them; 65535 also stands for a ZIP64 archive, which no Office file is."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    length = min(size, 22 + 65535)
    fileobj.seek(size - length)
    tail = fileobj.read(length)
    fileobj.seek(0)
    at = tail.rfind(_END_OF_CENTRAL_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10:at + 12])[0]


def check_archive(fileobj, name: str = "", *, for_import: bool = False) -> None:
    """Refuse an Office file (a zip) whose parts would unpack too large, naming the limit: too many
    parts, a part or the whole over its size limit, or a part compressed beyond the ratio limit.

    Only the archive's directory is read (not one part is unpacked). A file that is not a valid zip
    is left to the caller's own check. A part of a file kept as a document (a revision's file,
    evidence) may unpack to EISO_UNZIP_MAX_MEMBER_MB: such files are parsed whole when an obsolete
    copy is stamped (python-docx, openpyxl), about 8 times their XML in memory. A part of an imported
    workbook (``for_import``), read row by row, may unpack to EISO_UNZIP_MAX_IMPORT_MEMBER_MB."""
    limits = {
        "members": settings.EISO_UNZIP_MAX_MEMBERS,
        "member": settings.EISO_UNZIP_MAX_IMPORT_MEMBER_BYTES if for_import else settings.EISO_UNZIP_MAX_MEMBER_BYTES,
        "total": settings.EISO_UNZIP_MAX_TOTAL_BYTES,
        "ratio": settings.EISO_UNZIP_MAX_RATIO,
    }
    count = _declared_entry_count(fileobj)
    if count is not None and count > limits["members"]:
        raise _refuse(_("%(name)s is refused: it holds more than %(limit)s parts.") % {
            "name": name, "limit": limits["members"]})
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        fileobj.seek(0)
    if len(members) > limits["members"]:
        raise _refuse(_("%(name)s is refused: it holds more than %(limit)s parts.") % {
            "name": name, "limit": limits["members"]})
    total = 0
    for member in members:
        values = {"name": name, "part": member.filename[:100], "size": filesizeformat(member.file_size)}
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_ABOVE and ratio > limits["ratio"]:
            raise _refuse(_("%(name)s is refused: its part %(part)s unpacks %(ratio)s times larger than it is "
                            "stored (%(size)s); the limit is %(limit)s times.") % {
                **values, "ratio": int(ratio), "limit": limits["ratio"]})
        if member.file_size > limits["member"]:
            raise _refuse(_("%(name)s is refused: its part %(part)s unpacks to %(size)s; the limit is "
                            "%(limit)s.") % {**values, "limit": filesizeformat(limits["member"])})
        total += member.file_size
        if total > limits["total"]:
            raise _refuse(_("%(name)s is refused: it unpacks to more than %(limit)s.") % {
                "name": name, "limit": filesizeformat(limits["total"])})


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


def inspect_upload(uploaded, *, allowed=("docx", "pdf", "xlsx"), max_bytes: int | None = None,
                   for_import: bool = False) -> UploadInfo:
    """Size, type (by content, and the name's extension must agree) and checksum of an upload.

    Raises ValidationFailed with a message a person understands; reads the file in chunks. An Office
    file's parts are checked against the unpacking limits (``check_archive``).
    """
    name = getattr(uploaded, "name", "") or ""
    size = check_size(uploaded, max_bytes)
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"PK\x03\x04"):
        check_archive(uploaded, name, for_import=for_import)  # before zipfile lists a huge directory
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


def upload_temp_clean(*, max_age: int | None = None) -> int:
    """Remove the spooled uploads older than ``EISO_UPLOAD_TEMP_MAX_AGE`` seconds from
    ``FILE_UPLOAD_TEMP_DIR``: a request finished or failed deletes its own, but a worker killed in
    the middle of one leaves it behind. Returns how many were removed. Run when the web server
    starts and by ``eiso clean_uploads`` (cron)."""
    import time
    from pathlib import Path

    max_age = settings.EISO_UPLOAD_TEMP_MAX_AGE if max_age is None else max_age
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
    if not settings.FILE_UPLOAD_TEMP_DIR or not folder.is_dir():
        return 0
    cutoff = time.time() - max_age
    removed = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except OSError:  # removed meanwhile by another worker
            continue
    return removed


IMAGE_SIGNATURES = {"jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",), "webp": (b"RIFF",)}


def inspect_image(uploaded, *, max_bytes: int | None = None) -> UploadInfo:
    """Size, type and checksum of a photo (JPEG, PNG or WebP, as a phone's camera gives them),
    recognised by its content; the name's extension must agree (``.jpeg`` counts as ``.jpg``).
    Raises ValidationFailed naming the file otherwise."""
    name = getattr(uploaded, "name", "") or ""
    size = check_size(uploaded, max_bytes)
    uploaded.seek(0)
    head = uploaded.read(12)
    uploaded.seek(0)
    found = next((t for t, signatures in IMAGE_SIGNATURES.items() if any(head.startswith(s) for s in signatures)),
                 None)
    if found == "webp" and head[8:12] != b"WEBP":
        found = None
    extension = name.rsplit(".", 1)[-1].lower().replace("jpeg", "jpg") if "." in name else ""
    if found is None or extension != found:
        message = _("%(name)s is not a valid %(types)s photo (its content was checked, not only its name).") % {
            "name": name, "types": "/".join(f".{t}" for t in IMAGE_SIGNATURES)}
        raise ValidationFailed(message, errors={"file": [message]})
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return UploadInfo(file_type=found, size=size, sha256=digest.hexdigest(), original_name=name[-255:])
