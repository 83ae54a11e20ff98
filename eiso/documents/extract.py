"""Text of uploaded .docx, .pdf and .xlsx files, for search. Never raises on a damaged file.

Reading streams and stops once ``MAX_CHARS`` characters are collected or ``MAX_SECONDS`` have
passed: a Word document's text is read element by element from its ``word/document.xml`` (never
parsed whole, as python-docx would), a PDF page by page (at most ``MAX_PDF_PAGES``; pypdf itself
caps each stream it unpacks at 75 MB), a workbook row by row (openpyxl in read-only mode).
An Office file is first held to the unpacking limits of ``core.uploads.check_archive``.

Call it before a write transaction opens (parsing a large file takes seconds, and the database
write lock must not wait for it): the revision services take the extracted text as an argument.
"""

import logging
import time
import zipfile

from eiso.core.uploads import check_archive

log = logging.getLogger(__name__)
MAX_CHARS = 200_000
MAX_PDF_PAGES = 300
MAX_SHEET_ROWS = 5000
MAX_SECONDS = 10.0  # reading stops after this (between pages, or every few thousand XML elements)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Enough(Exception):
    """Enough text has been collected: stop reading."""


class _Text:
    def __init__(self, limit: int, seconds: float):
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.deadline = time.monotonic() + seconds

    def check_time(self) -> None:
        """Stop reading a file that takes too long (e.g. PDF pages of large streams with no text)."""
        if time.monotonic() > self.deadline:
            raise _Enough

    def add(self, text: str | None) -> None:
        if not text:
            return
        self.parts.append(text)
        self.size += len(text) + 1
        if self.size >= self.limit:
            raise _Enough

    def value(self) -> str:
        return "\n".join(self.parts)[: self.limit]


def _forget(element) -> None:
    """Free a handled element and the siblings before it, so memory stays flat however long the part."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _docx(fileobj, out: _Text) -> None:
    """Paragraphs in document order; a table row as its cells joined by `` | ``."""
    from lxml import etree

    with zipfile.ZipFile(fileobj) as archive, archive.open("word/document.xml") as part:
        runs: list[str] = []
        rows: list[list[str]] = []
        cells: list[list[str]] = []
        events = etree.iterparse(part, events=("start", "end"), resolve_entities=False, no_network=True,
                                 huge_tree=False, remove_comments=True)
        for count, (event, element) in enumerate(events):
            if count % 5000 == 4999:
                out.check_time()
            tag = element.tag
            if event == "start":
                if tag == f"{_W}tr":
                    rows.append([])
                elif tag == f"{_W}tc":
                    cells.append([])
                continue
            if tag == f"{_W}t":
                runs.append(element.text or "")
            elif tag == f"{_W}tab":
                runs.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                runs.append("\n")
            elif tag == f"{_W}p":
                paragraph = "".join(runs)
                runs = []
                if cells:
                    cells[-1].append(paragraph)
                else:
                    out.add(paragraph)
            elif tag == f"{_W}tc" and cells:
                cell = "\n".join(p for p in cells.pop() if p)
                if rows:
                    rows[-1].append(cell)
            elif tag == f"{_W}tr" and rows:
                row = " | ".join(rows.pop())
                if cells:
                    cells[-1].append(row)
                else:
                    out.add(row)
            else:
                continue
            _forget(element)


def _pdf(fileobj, out: _Text) -> None:
    from pypdf import PdfReader

    reader = PdfReader(fileobj)
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES:
            break
        if number:
            out.check_time()
        out.add(page.extract_text() or "")


def _xlsx(fileobj, out: _Text) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(fileobj, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            for number, row in enumerate(sheet.iter_rows(values_only=True, max_row=MAX_SHEET_ROWS)):
                if number % 500 == 499:
                    out.check_time()
                out.add(" ".join(str(v) for v in row if v is not None))
    finally:
        workbook.close()


READERS = {"docx": _docx, "pdf": _pdf, "xlsx": _xlsx}


def extract_text(fileobj, file_type: str) -> str:
    """At most ``MAX_CHARS`` characters of the file's text; "" for a type it does not read or a file
    it cannot (a damaged file still uploads; it is just not searchable)."""
    reader = READERS.get(file_type)
    if reader is None:
        return ""
    out = _Text(MAX_CHARS, MAX_SECONDS)
    fileobj.seek(0)
    try:
        if file_type in ("docx", "xlsx"):
            check_archive(fileobj, getattr(fileobj, "name", "") or "")
        reader(fileobj, out)
    except _Enough:
        pass
    except Exception:  # noqa: BLE001 - whatever is wrong with the file, it stays unsearchable, not refused
        log.warning("Could not extract text from an uploaded %s file", file_type, exc_info=True)
        return ""
    finally:
        fileobj.seek(0)
    return out.value()
