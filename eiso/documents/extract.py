"""Text of uploaded .docx, .pdf and .xlsx files, for search. Never raises on a damaged file."""

import logging

log = logging.getLogger(__name__)
MAX_CHARS = 200_000


def extract_text(fileobj, file_type: str) -> str:
    fileobj.seek(0)
    try:
        if file_type == "docx":
            import docx

            document = docx.Document(fileobj)
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    parts.append(" | ".join(cell.text for cell in row.cells))
            text = "\n".join(p for p in parts if p)
        elif file_type == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(fileobj)
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:300])
        elif file_type == "xlsx":
            from openpyxl import load_workbook

            workbook = load_workbook(fileobj, read_only=True, data_only=True)
            rows = []
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True, max_row=5000):
                    rows.append(" ".join(str(v) for v in row if v is not None))
            text = "\n".join(r for r in rows if r)
        else:
            text = ""
    except Exception:  # a damaged file still uploads; it is just not searchable
        log.warning("Could not extract text from an uploaded %s file", file_type, exc_info=True)
        text = ""
    finally:
        fileobj.seek(0)
    return text[:MAX_CHARS]
