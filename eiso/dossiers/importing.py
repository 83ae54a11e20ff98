"""Reading one-stop exports (.csv, .jsonl, .xlsx) as streams of ``EventRow`` (no writes).

CSV and XLSX: one row per event, columns ``dossier_code, agency_code, procedure_code, channel,
event, at, step, note`` (Vietnamese headings such as `Mã hồ sơ`, `Sự kiện`, `Thời điểm` are the
same columns; ``applicant`` and ``actor`` are optional). JSONL: one dossier per line,
``{"code", "agency", "procedure", "channel", "events": [{"event", "at", "step", "note"}]}``.

Times are local (``YYYY-MM-DD HH:MM``, the site's time zone, Asia/Ho_Chi_Minh) or ISO 8601 with an
offset. Events may be named by their code (``step_done``) or in Vietnamese (`Chuyển bước`).
A value that cannot be read is passed on as it is (an unknown event, a time of None), so the
recording engine names the row; a JSONL line that is not a dossier at all is a ``problem``
reported beside the engine's errors by ``record_file``.

Files are read lazily and can be read again (``rows_again``): a million-dossier file is never
held in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.tabular import choice_lookup, match_choice, read_table
from eiso.dossiers.choices import Channel, EventKind
from eiso.dossiers.services.recording import EventRow, RecordSummary, dossier_events_record, refuse

FORMATS = ("csv", "jsonl", "xlsx")

COLUMNS = {
    "dossier_code": ["code", "dossier", "mã hồ sơ", "ma ho so", "số hồ sơ", "mã số hồ sơ"],
    "agency_code": ["agency", "mã cơ quan", "mã đơn vị", "cơ quan"],
    "procedure_code": ["procedure", "mã thủ tục", "mã TTHC", "thủ tục", "mã thủ tục hành chính"],
    "channel": ["kênh", "kênh tiếp nhận", "hình thức nộp", "hình thức tiếp nhận"],
    "event": ["kind", "sự kiện", "loại sự kiện", "thao tác"],
    "at": ["time", "thời điểm", "thời gian", "ngày giờ"],
    "step": ["bước", "số bước", "step_no"],
    "note": ["ghi chú", "nội dung"],
    "applicant": ["người nộp", "chủ hồ sơ", "tổ chức cá nhân"],
    "actor": ["by", "người xử lý", "người thực hiện", "cán bộ"],
}
REQUIRED = ("dossier_code", "event", "at")

EVENT_NAMES = choice_lookup([
    (EventKind.RECEIVED, ["tiếp nhận", "nhận hồ sơ", "tiếp nhận hồ sơ"]),
    (EventKind.STEP_DONE, ["chuyển bước", "hoàn thành bước", "bàn giao", "chuyển xử lý", "step done"]),
    (EventKind.SUPPLEMENT_REQUESTED, ["yêu cầu bổ sung", "bổ sung hồ sơ"]),
    (EventKind.SUPPLEMENT_RECEIVED, ["nhận bổ sung", "đã bổ sung", "tiếp nhận bổ sung"]),
    (EventKind.PAYMENT_REQUESTED, ["yêu cầu thanh toán", "yêu cầu nộp phí", "chờ thanh toán"]),
    (EventKind.PAYMENT_DONE, ["đã thanh toán", "đã nộp phí", "thanh toán"]),
    (EventKind.RETURNED, ["trả kết quả", "đã trả kết quả"]),
    (EventKind.WITHDRAWN, ["rút hồ sơ", "công dân rút hồ sơ"]),
    (EventKind.STOPPED, ["dừng xử lý", "dừng giải quyết"]),
    (EventKind.REFUSED, ["từ chối", "không tiếp nhận", "từ chối giải quyết"]),
])
CHANNEL_NAMES = choice_lookup([
    (Channel.DIRECT, ["trực tiếp", "tại bộ phận một cửa", "một cửa"]),
    (Channel.ONLINE, ["trực tuyến", "dịch vụ công trực tuyến", "qua mạng"]),
    (Channel.POSTAL, ["bưu chính", "bưu điện", "dịch vụ bưu chính công ích"]),
])
_EVENT_CODES = frozenset(EventKind.values)
_CHANNEL_CODES = frozenset(Channel.values)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


def file_format(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        message = _("Upload a .csv, .jsonl or .xlsx file (%(name)s is none of them).") % {"name": filename or "?"}
        raise ValidationFailed(message, errors={"file": [message]})
    return suffix


# --- values ---------------------------------------------------------------------------------------


def parse_at(value, zone=None) -> dt.datetime | None:
    """An instant from ``YYYY-MM-DD HH:MM[:SS]`` or ``dd/mm/yyyy HH:MM`` in local time, ISO 8601
    with an offset (or Z), or an Excel date-time (local). None when it is not a date and time."""
    zone = zone or timezone.get_default_timezone()
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 16:  # a date alone is not an instant
        return None
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        match = _DMY.match(text)
        if not match:
            return None
        day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            at = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def event_kind(value) -> str:
    """The event code for a code or a Vietnamese name; anything else as it was (the engine names it)."""
    text = "" if value is None else str(value).strip()
    if text in _EVENT_CODES:
        return text
    return match_choice(EVENT_NAMES, text) or text


def channel_code(value) -> str:
    text = "" if value is None else str(value).strip()
    if not text or text in _CHANNEL_CODES:
        return text
    return match_choice(CHANNEL_NAMES, text) or text


def step_number(value) -> int | None:
    """A step number; 0 when blank; None when it is not a whole number (the engine names the row
    if the event needs one)."""
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if not text:
        return 0
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- files ----------------------------------------------------------------------------------------


class JsonlRow:
    """Names an event of a JSONL file in messages: line 3, event 2."""

    __slots__ = ("line", "event")

    def __init__(self, line: int, event: int | None = None):
        self.line, self.event = line, event

    def __str__(self):
        if self.event is None:
            return str(self.line)
        return _("%(line)s (event %(event)s)") % {"line": self.line, "event": self.event}


def table_rows(file, filename: str, zone=None) -> Iterator[EventRow]:
    """Events of a .csv or .xlsx file, one per row, named by the row number a person sees."""
    zone = zone or timezone.get_default_timezone()
    table = read_table(file, filename, aliases=COLUMNS, required=REQUIRED)
    for number, cells in table.rows:
        get = cells.get
        kind = event_kind(get("event"))
        step = step_number(get("step"))
        yield EventRow(row=number, code=_text(get("dossier_code")), kind=kind, at=parse_at(get("at"), zone),
                       step=step if kind == EventKind.STEP_DONE else (step or 0),
                       agency_code=_text(get("agency_code")), procedure_code=_text(get("procedure_code")),
                       channel=channel_code(get("channel")), applicant=_text(get("applicant")),
                       note=_text(get("note")), actor=_text(get("actor")))


def dossier_rows(dossiers, *, zone=None, name: Callable[[int, int], object] | None = None,
                 problems: list | None = None) -> Iterator[EventRow]:
    """Events of dossiers given as mappings (a JSONL line, an API item)."""
    zone = zone or timezone.get_default_timezone()
    name = name or JsonlRow
    for index, dossier in dossiers:
        if not isinstance(dossier, dict):
            if problems is not None:
                problems.append((name(index, None), _("a line must be one dossier: a JSON object with its "
                                                     "code and events.")))
            continue
        events = dossier.get("events")
        if not isinstance(events, list) or not events:
            if problems is not None:
                problems.append((name(index, None), _("the dossier has no list of events.")))
            continue
        code = _text(dossier.get("code"))
        common = {"agency_code": _text(dossier.get("agency")), "channel": channel_code(dossier.get("channel")),
                  "applicant": _text(dossier.get("applicant"))}
        procedure = _text(dossier.get("procedure"))
        for number, event in enumerate(events, start=1):
            if not isinstance(event, dict):
                if problems is not None:
                    problems.append((name(index, number), _("an event must be a JSON object.")))
                continue
            kind = event_kind(event.get("event"))
            step = step_number(event.get("step"))
            yield EventRow(row=name(index, number), code=code, kind=kind, at=parse_at(event.get("at"), zone),
                           step=step if kind == EventKind.STEP_DONE else (step or 0),
                           procedure_code=procedure if kind == EventKind.RECEIVED else "",
                           note=_text(event.get("note")), actor=_text(event.get("actor")), **common)


def jsonl_rows(file, problems: list | None = None, zone=None) -> Iterator[EventRow]:
    """Events of a JSONL file (one dossier per line), read line by line."""

    def dossiers():
        for number, raw in enumerate(file, start=1):
            line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError:
                if problems is not None:
                    problems.append((JsonlRow(number), _("not valid JSON.")))

    return dossier_rows(dossiers(), zone=zone, problems=problems)


def file_rows(opener: Callable[[], object], filename: str, problems: list | None = None) -> Iterator[EventRow]:
    """Events of the file ``opener()`` opens (a binary file object), closed when read through."""
    kind = file_format(filename)
    stream = opener()
    try:
        if kind == "jsonl":
            yield from jsonl_rows(stream, problems)
        else:
            yield from table_rows(stream, filename)
    except UnicodeDecodeError:
        message = _("The file is not UTF-8 text.")
        raise ValidationFailed(message, errors={"file": [message]})
    finally:
        stream.close()


_SENTINEL = "\u2063eiso-problems\u2063"


def record_file(*, actor, opener: Callable[[], object], filename: str, agency=None,
                progress: Callable[[str, int, int], None] | None = None, total: int | None = None,
                source: str = "") -> RecordSummary:
    """Record every event of a file through the engine, reading it twice (check, then write).

    Raises ValidationFailed naming each bad row (``errors["rows"]``) or the file (``errors["file"]``);
    then nothing was written."""
    file_format(filename)
    problems: list = []

    def first_pass():
        yield from file_rows(opener, filename, problems)
        if problems:  # a row the engine is sure to refuse, so that nothing is written
            yield EventRow(row=_SENTINEL, code="", kind="", at=None)

    try:
        return dossier_events_record(actor=actor, rows=first_pass(), source=source or filename, agency=agency,
                                     progress=progress, total=total,
                                     rows_again=lambda: file_rows(opener, filename))
    except ValidationFailed as exc:
        if not problems:
            raise
        lines = [line for line in exc.errors.get("rows", []) if _SENTINEL not in str(line)]
        own = refuse(problems).errors["rows"]
        raise ValidationFailed(exc.message, errors={"rows": own + lines}) from None


def count_lines(path) -> int:
    """Lines of a text file, counted in blocks (for the progress bar of the check)."""
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n
