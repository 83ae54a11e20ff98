"""The Vietnamese words printed on official documents, whatever the reader's UI language.

A printed procedure, register or form is an administrative document in Vietnamese (Nghị định
30/2020): its fixed texts are part of the document, like its content, not UI labels, so they are
not translated through gettext. The keys are the codes of each app's ``choices``.

The labels of statuses and kinds are not written twice: they are the choices' own labels in
Vietnamese (``VietnameseLabels``), so a status reads the same on screen, in Word and in Excel.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterator, Mapping

from django.utils import translation

from eiso.audits.choices import FindingKind, TeamRole
from eiso.documents.choices import DocumentKind, ExternalDocumentStatus, ExternalDocumentType, RevisionStatus
from eiso.dossiers.choices import DossierStatus, Result
from eiso.improvements.choices import NonconformitySource, NonconformityStatus


class VietnameseLabels(Mapping):
    """``{code: Vietnamese label}`` of a choices class, read when printed (the catalogue is loaded
    by then), whatever the reader's language."""

    def __init__(self, choices):
        self._choices = choices

    def __getitem__(self, code) -> str:
        label = dict(self._choices.choices)[code]
        with translation.override("vi"):
            return str(label)

    def __iter__(self) -> Iterator[str]:
        return iter(self._choices.values)

    def __len__(self) -> int:
        return len(self._choices.values)


NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

DOCUMENT_KINDS = VietnameseLabels(DocumentKind)

REVISION_STATUSES = VietnameseLabels(RevisionStatus)

EXTERNAL_TYPES = VietnameseLabels(ExternalDocumentType)

EXTERNAL_STATUSES = VietnameseLabels(ExternalDocumentStatus)

# Internal audits
FINDING_KINDS = VietnameseLabels(FindingKind)
AUDIT_TEAM_ROLES = VietnameseLabels(TeamRole)

# Nonconformities and corrective actions
NONCONFORMITY_SOURCES = VietnameseLabels(NonconformitySource)
NONCONFORMITY_STATUSES = VietnameseLabels(NonconformityStatus)

# Dossiers (Thông tư 01/2018/TT-VPCP)
DOSSIER_RESULTS = VietnameseLabels(Result)
DOSSIER_STATUSES = VietnameseLabels(DossierStatus)
BLANK_MOMENT = "…giờ…phút, ngày…/…/……"


def nfc(text) -> str:
    """Text as composed Unicode (``ủ`` one code point): fonts and Word expect it."""
    return unicodedata.normalize("NFC", str(text)) if text else ""


def date_text(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def dated_line(place: str, on: datetime.date) -> str:
    """``Nghệ An, ngày 05 tháng 3 năm 2026`` (NĐ 30/2020: a day below 10 and the months 1 and 2
    take a leading zero)."""
    day = f"{on.day:02d}"
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    prefix = f"{place}, ngày" if place else "Ngày"
    return f"{prefix} {day} tháng {month} năm {on.year}"


def moment_text(value: datetime.datetime | None) -> str:
    """``10 giờ 00 phút, ngày 13/02/2026`` (a local time), or the blank of the printed form."""
    if value is None:
        return BLANK_MOMENT
    return f"{value.hour:02d} giờ {value.minute:02d} phút, ngày {date_text(value.date())}"


def retention_text(years: int | None) -> str:
    return "Vĩnh viễn" if years is None else f"{years:02d} năm"


def issue_text(number: int | None) -> str:
    return f"{number:02d}" if number else ""


NBSP = "\u00a0"
# The words that start a place name in an agency's name ("... tỉnh Nghệ An", "... phường Trường Vinh").
_PLACE_WORDS = re.compile(r"\b(tỉnh|thành phố|đặc khu|thị xã|thị trấn|huyện|quận|xã|phường)\s", re.IGNORECASE)
PLACE_MAX = 32  # a longer tail is left to break anywhere: glued, it would overflow the column


def heading_lines(name: str, fits) -> list[str]:
    """An agency's name as the heading prints it: on one line when ``fits(line)`` says it does,
    else broken before its place name ("SỞ KHOA HỌC VÀ CÔNG NGHỆ" / "TỈNH NGHỆ AN"), the place kept
    on one line either way (``unbreakable_place``)."""
    text = nfc(name).strip()
    matches = list(_PLACE_WORDS.finditer(text))
    if fits(text) or not matches or matches[-1].start() == 0:
        return [unbreakable_place(text)]
    cut = matches[-1].start()
    return [text[:cut].strip(), unbreakable_place(text[cut:])]


def unbreakable_place(name: str) -> str:
    """``name`` with its place name glued by non-breaking spaces, so that a heading breaks before
    "TỈNH NGHỆ AN" rather than inside it ("... TỈNH NGHỆ / AN"): the tail from the last
    administrative word (tỉnh, thành phố, xã, phường, …) to the end, when it is short enough."""
    text = nfc(name)
    matches = list(_PLACE_WORDS.finditer(text))
    last = matches[-1] if matches else None
    if last is None or len(text) - last.start() > PLACE_MAX:
        return text
    return text[:last.start()] + re.sub(r"\s+", NBSP, text[last.start():].strip())


def document_number(code: str, symbol: str, agency_code: str = "") -> str:
    """A record's number in the style of an agency's documents (NĐ 30/2020): its sequence from
    ``code`` (the last digits, two at least), the form's symbol and the agency's, ``06/HĐKP-STP``;
    ``code`` itself when it has no digits."""
    digits = re.findall(r"\d+", code or "")
    if not digits:
        return code
    sequence = f"{int(digits[-1]):02d}"
    return f"{sequence}/{symbol}-{agency_code}" if agency_code else f"{sequence}/{symbol}"
