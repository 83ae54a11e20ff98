"""Reading one-stop exports (.csv, .jsonl, .xlsx) as streams of ``EventRow`` (no writes).

CSV and XLSX: one row per event, columns ``dossier_code, agency_code, procedure_code, channel,
event, at, step, note`` (Vietnamese headings such as `Mã hồ sơ`, `Sự kiện`, `Thời điểm` are the
same columns; ``applicant`` and ``actor`` are optional). JSONL: one dossier per line,
``{"code", "agency", "procedure", "channel", "events": [{"event", "at", "step", "note"}]}``.

Values are read by ``recording.rows`` (times, event and channel names); a value that cannot be
read is passed on as it is, so the recording engine names the row. A JSONL line that is not a
dossier at all is named by this reader in the same ``RowErrors`` as the engine's errors
(``record_file``).

Files are read lazily, once: the engine stages the rows as it checks them, so a million-dossier
file is never held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core import tabular
from eiso.core.tabular import RowErrors, read_table, refuse_file
from eiso.dossiers.choices import EventKind
from eiso.dossiers.services.recording import EventRow, RecordSummary, dossier_events_record, dossier_events_record_csv
from eiso.dossiers.services.recording.rows import Fallback, channel_code, event_kind, parse_at, step_number

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

FORMATS_MESSAGE = gettext_lazy("Upload a .csv, .jsonl or .xlsx file (%(name)s is none of them).")


def file_format(filename: str) -> str:
    return tabular.file_format(filename, FORMATS, FORMATS_MESSAGE)


def _text(value) -> str:
    if type(value) is str:  # a CSV cell: the usual case, first
        return value.strip()
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
                 problems: RowErrors | None = None) -> Iterator[EventRow]:
    """Events of dossiers given as mappings (a JSONL line, an API item)."""
    zone = zone or timezone.get_default_timezone()
    name = name or JsonlRow
    for index, dossier in dossiers:
        if not isinstance(dossier, dict):
            if problems is not None:
                problems.add(name(index, None), _("a line must be one dossier: a JSON object with its "
                                                  "code and events."))
            continue
        events = dossier.get("events")
        if not isinstance(events, list) or not events:
            if problems is not None:
                problems.add(name(index, None), _("the dossier has no list of events."))
            continue
        code = _text(dossier.get("code"))
        common = {"agency_code": _text(dossier.get("agency")), "channel": channel_code(dossier.get("channel")),
                  "applicant": _text(dossier.get("applicant"))}
        procedure = _text(dossier.get("procedure"))
        for number, event in enumerate(events, start=1):
            if not isinstance(event, dict):
                if problems is not None:
                    problems.add(name(index, number), _("an event must be a JSON object."))
                continue
            kind = event_kind(event.get("event"))
            step = step_number(event.get("step"))
            yield EventRow(row=name(index, number), code=code, kind=kind, at=parse_at(event.get("at"), zone),
                           step=step if kind == EventKind.STEP_DONE else (step or 0),
                           procedure_code=procedure if kind == EventKind.RECEIVED else "",
                           note=_text(event.get("note")), actor=_text(event.get("actor")), **common)


def jsonl_rows(file, problems: RowErrors | None = None, zone=None) -> Iterator[EventRow]:
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
                    problems.add(JsonlRow(number), _("not valid JSON."))

    return dossier_rows(dossiers(), zone=zone, problems=problems)


def file_rows(opener: Callable[[], object], filename: str, problems: RowErrors | None = None) -> Iterator[EventRow]:
    """Events of the file ``opener()`` opens (a binary file object), closed when read through."""
    kind = file_format(filename)
    stream = opener()
    try:
        if kind == "jsonl":
            yield from jsonl_rows(stream, problems)
        else:
            yield from table_rows(stream, filename)
    except UnicodeDecodeError:
        raise refuse_file(_("The file is not UTF-8 text."))
    finally:
        stream.close()


COLUMNAR_FROM_BYTES = 2_000_000  # CSV files from this size (about 30,000 events) are read in columns


def _size(stream) -> int:
    """Bytes of an opened file (a night's export is read row by row: loading the columnar reader
    costs more than it saves below some 30,000 rows)."""
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    at = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(at)
    return size


def record_file(*, actor, opener: Callable[[], object], filename: str, agency=None,
                progress: Callable[[str, int, int], None] | None = None, total: int | None = None,
                source: str = "") -> RecordSummary:
    """Record every event of a file through the engine, reading it once (checked and staged together).

    Raises ValidationFailed naming each bad row (``errors["rows"]``: the lines this reader could not
    make a row of and the engine's errors, in one list) or the file (``errors["file"]``); then
    nothing was written."""
    if file_format(filename) == "csv":
        stream = opener()
        try:
            if _size(stream) < COLUMNAR_FROM_BYTES:
                raise Fallback("small file")
            return dossier_events_record_csv(actor=actor, stream=stream, aliases=COLUMNS, required=REQUIRED,
                                             source=source or filename, agency=agency, progress=progress,
                                             total=total)
        except Fallback:
            pass  # read row by row below: a refused file is named row by row, a small one written directly
        finally:
            stream.close()
    errors = RowErrors()
    return dossier_events_record(actor=actor, rows=file_rows(opener, filename, errors), source=source or filename,
                                 agency=agency, progress=progress, total=total, errors=errors)


def count_lines(path) -> int:
    """Lines of a text file, counted in blocks (for the progress bar of the check)."""
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n
