"""The columns an import reads, described once: shown on its page (name, meaning, required,
example) and written as the header row of the template .xlsx offered beside the upload.

A column's ``header`` is the Vietnamese name an agency writes in its own spreadsheet and one the
importer accepts (each importer's aliases; ``tests/test_import_templates.py`` checks both), so a
template filled in and uploaded as it is imports.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from eiso.core.downloads import XLSX_CONTENT_TYPE, attachment_response

DATA_SHEET = "Dữ liệu"
GUIDE_SHEET = "Hướng dẫn"


@dataclass(frozen=True)
class ImportColumn:
    header: str  # Vietnamese, as written in the file (not translated: the importer reads it)
    meaning: str  # for the reader, in the page's language
    required: bool = False
    example: str = ""


def template_workbook(columns: Sequence[ImportColumn]) -> bytes:
    """An .xlsx whose first sheet is the header row to fill in (required columns in bold on a
    yellow ground) and whose second sheet explains each column."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=column.required)
        if column.required:
            cell.fill = required_fill
        data.column_dimensions[cell.column_letter].width = max(14, len(column.header) + 4, len(column.example) + 2)
        data.cell(row=2, column=index).number_format = "@"  # codes such as 1.004227 stay text
    data.freeze_panes = "A2"
    guide = book.create_sheet(GUIDE_SHEET)
    guide.append([_("Column"), _("Meaning"), _("Required"), _("Example")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append([column.header, str(column.meaning), _("yes") if column.required else _("no"), column.example])
    for letter, width in zip("ABCD", (28, 70, 12, 30), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_response(columns: Sequence[ImportColumn], filename: str):
    return attachment_response(template_workbook(columns), XLSX_CONTENT_TYPE, filename)
