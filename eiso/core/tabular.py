"""Reading imported files row by row, and refusing them naming every bad row (no ORM).

``read_table`` streams the rows of the first sheet (openpyxl in read-only mode) or of a CSV file
(UTF-8, comma, semicolon or tab separated) as ``(row number, {column: value})``, the row number
being the one a person sees in Excel. Headers are matched to canonical column names through
aliases compared on folded text, so `Ngày hiệu lực`, `ngay hieu luc` and `effective_on` are the
same column.

``RowErrors`` collects what is wrong with an import, one line per bad row (and column):
``Row 3, column type: required`` or ``Row 3: …``, the first ``MAX_REPORTED_ERRORS`` listed and the
rest counted. An import checks every row first and, when anything is wrong, raises
``errors.refusal(…)``: nothing is written. The three imports (external documents, procedures,
dossiers) read and refuse their files through this module.
"""

import codecs
import contextlib
import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ValidationFailed
from eiso.core.text import fold
from eiso.core.uploads import check_archive

FORMATS = ("xlsx", "csv")
FORMATS_MESSAGE = gettext_lazy("Upload a .xlsx or .csv file (%(name)s is neither).")
_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
)


@dataclass(frozen=True)
class Table:
    columns: frozenset[str]  # canonical names of the columns the file has
    rows: Iterator[tuple[int, dict]]  # (row number as shown in Excel, {column: value})
    headers: dict = field(default_factory=dict)  # canonical name → the heading as the file writes it


def _key(text) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).strip()


def refuse_file(message: str) -> ValidationFailed:
    """A refusal of the whole file (it cannot be read, lacks a column…), shown as one message."""
    return ValidationFailed(message, errors={"file": [message]})


def file_format(filename: str, formats: Iterable[str] = FORMATS, message=FORMATS_MESSAGE) -> str:
    """The format of ``filename`` from its suffix, one of ``formats``; else a refusal naming the file
    with ``message`` (which says the formats an import accepts)."""
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if suffix not in formats:
        raise refuse_file(message % {"name": filename or "?"})
    return suffix


def _header_map(header: Iterable, aliases: Mapping[str, Iterable[str]]) -> dict[int, str]:
    """Position → canonical column, for the header cells that name a known column."""
    lookup = {}
    for column, names in aliases.items():
        lookup[_key(column)] = column
        for name in names:
            lookup[_key(name)] = column
    mapping = {}
    for position, cell in enumerate(header):
        column = lookup.get(_key(cell))
        if column and column not in mapping.values():
            mapping[position] = column
    return mapping


def _is_blank(values) -> bool:
    try:  # the cells of a CSV row are all text: one join instead of a test per cell
        return not "".join(values).strip()
    except TypeError:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _rows_from_cells(cells: Iterator[tuple[int, tuple]], aliases, required) -> Table:
    header = None
    for _number, values in cells:
        if not _is_blank(values):
            header = values
            break
    if header is None:
        raise refuse_file(_("The file has no rows."))
    mapping = _header_map(header, aliases)
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        raise refuse_file(_("The first row must name the columns; missing: %(columns)s.")
                          % {"columns": ", ".join(missing)})

    def rows():
        for number, values in cells:
            if _is_blank(values):
                continue
            yield (
                number,
                {column: values[pos] if pos < len(values) else None for pos, column in mapping.items()},
            )

    headers = {column: str(header[pos]).strip() for pos, column in mapping.items()}
    return Table(columns=frozenset(mapping.values()), rows=rows(), headers=headers)


def _xlsx_cells(file, filename: str) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(file, filename, for_import=True)  # a zip bomb is refused before openpyxl unpacks anything
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise refuse_file(_("The file is not a valid .xlsx workbook."))
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(values)
    finally:
        workbook.close()


def check_utf8(file, name: str = "") -> None:
    """Refuse a text file (binary file object) that is not UTF-8 from its first byte to its last,
    naming the first line that is not: a file saved as UTF-8 for its first lines and in another
    encoding after is refused before its import starts, not halfway through. A byte order mark is
    fine. Reads the file in 1 MB chunks and leaves it at its start."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    line = 1
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the previous chunk
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += chunk.count(b"\n", 0, max(exc.start - pending, 0))
                raise _not_utf8(name, line) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _not_utf8(name, line) from None
    finally:
        file.seek(0)


def _not_utf8(name: str, line: int) -> ValidationFailed:
    return refuse_file(_("%(name)s is not UTF-8 text from line %(line)s on: save it from Excel as “CSV UTF-8”.")
                       % {"name": name or "?", "line": line})


def _csv_cells(file, filename: str) -> Iterator[tuple[int, tuple]]:
    raw = getattr(file, "file", file)  # a Django upload wraps the real file object
    wrapper = None
    if isinstance(raw, io.TextIOBase):
        text = raw
    else:
        if raw.seekable():
            check_utf8(raw, filename)  # the whole file, before its first row is read
        try:  # decoded in C, several times faster than a codecs reader
            text = wrapper = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        except (AttributeError, TypeError, ValueError):  # not a buffered binary file
            text = codecs.getreader("utf-8-sig")(raw)
    try:
        first = text.readline()
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
        lines = itertools.chain([first] if first else [], text)
        for number, values in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
            yield number, tuple(values)
    except UnicodeDecodeError:
        raise refuse_file(_("The file is not UTF-8 text: save it from Excel as “CSV UTF-8”."))
    except csv.Error as exc:
        raise refuse_file(_("The CSV file cannot be read: %(error)s") % {"error": exc})
    finally:
        if wrapper is not None:
            with contextlib.suppress(ValueError):  # (already closed by the caller)
                wrapper.detach()  # the caller's file stays open


def read_table(file, filename: str, *, aliases: Mapping[str, Iterable[str]], required: Iterable[str]) -> Table:
    """The rows of an .xlsx or .csv ``file`` (a binary file object). Raises ValidationFailed
    when the file cannot be read or lacks a required column; the rows are read lazily."""
    kind = file_format(filename)
    cells = _xlsx_cells(file, filename) if kind == "xlsx" else _csv_cells(file, filename)
    return _rows_from_cells(iter(cells), aliases, list(required))


def table_from_mappings(
    rows: Iterable[Mapping], *, aliases: Mapping[str, Iterable[str]], required: Iterable[str]
) -> Table:
    """The same as ``read_table`` for rows given as mappings (the first counts as row 2, under a header)."""
    rows = list(rows)
    header = []
    for row in rows:
        header.extend(k for k in row if k not in header)
    mapping = _header_map(header, aliases)
    by_name = {header[pos]: column for pos, column in mapping.items()}
    missing = [c for c in required if c not in by_name.values()]
    if missing:
        raise refuse_file(_("The first row must name the columns; missing: %(columns)s.")
                          % {"columns": ", ".join(missing)})
    numbered = (
        (n, {column: row.get(name) for name, column in by_name.items()})
        for n, row in enumerate(rows, start=2)
        if not _is_blank(row.values())
    )
    return Table(columns=frozenset(by_name.values()), rows=numbered)


# --- cell values ----------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing .0, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def parse_date(value) -> datetime.date | None:
    """A date cell: an Excel date, ``dd/mm/yyyy`` (also with - or .) or ``yyyy-mm-dd``; blank is
    None. Raises ValueError for anything else (including impossible dates such as 31/02/2025)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text) else text
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            return datetime.date(parts["y"], parts["m"], parts["d"])
    raise ValueError(text)


def choice_lookup(*groups: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """``{folded name: code}`` from ``(code, [names…])`` pairs, for matching codes and labels."""
    lookup = {}
    for group in groups:
        for code, names in group:
            lookup[_key(code)] = code
            for name in names:
                lookup.setdefault(_key(name), code)
    return lookup


def match_choice(lookup: Mapping[str, str], value) -> str | None:
    return lookup.get(_key(value))


# --- errors naming the rows ------------------------------------------------------------------------

MAX_REPORTED_ERRORS = 200  # lines listed before "… and N more errors."


def row_error(row, message: str, column: str | None = None) -> str:
    """``Row 3, column type: required``, or ``Row 3: …`` when the fault is the row's, not a cell's."""
    if column is None:
        return _("Row %(row)s: %(message)s") % {"row": row, "message": message}
    return _("Row %(row)s, column %(column)s: %(message)s") % {"row": row, "column": column, "message": message}


class RowErrors:
    """What is wrong with an import, a line per bad row or cell, in the order found.

    The first ``limit`` lines are kept and the others only counted, so a file that is wrong on every
    one of a million rows costs no memory; ``len()`` is the count of all of them."""

    def __init__(self, limit: int = MAX_REPORTED_ERRORS, headers: Mapping[str, str] | None = None):
        self.limit = limit
        self.lines: list[str] = []
        self.more = 0
        # a cell is named by the heading its file gives the column ("cột Thời hạn giải quyết"),
        # not by the importer's code for it
        self.headers = dict(headers or {})

    def add(self, row, message: str) -> None:
        """A fault of the row as a whole (``Row 3: …``)."""
        self._keep(row, message, None)

    def cell(self, row, column: str, message: str) -> None:
        """A fault of one cell (``Row 3, column type: …``)."""
        self._keep(row, message, column)

    def _keep(self, row, message: str, column: str | None) -> None:
        if len(self.lines) < self.limit:
            self.lines.append(row_error(row, message, self.headers.get(column, column) if column else column))
        else:
            self.more += 1

    def __len__(self) -> int:
        return len(self.lines) + self.more

    def __bool__(self) -> bool:
        return bool(self.lines) or bool(self.more)

    def listed(self) -> list[str]:
        """The lines to show, the last saying how many more there are."""
        if not self.more:
            return list(self.lines)
        return [*self.lines, _("… and %(n)s more errors.") % {"n": self.more}]

    def refusal(self, message: str | None = None, *, key: str = "file") -> ValidationFailed:
        """The import refused whole: ``message`` (by default "The file was not imported: N errors…")
        with every listed line under ``errors[key]``."""
        if message is None:
            message = _("The file was not imported: %(n)s errors. Correct them and import it again.") % {
                "n": len(self)}
        return ValidationFailed(message, errors={key: self.listed()})
