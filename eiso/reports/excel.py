"""The Excel (.xlsx) toolkit of the printed registers and lists.

Each sheet is a plain table a person can filter and sort, and a program can read back: the header
in row 1 (styled, frozen, with an autofilter), one record per row, dates as real dates shown
dd/mm/yyyy. The title and the agency go in the printed page header, with A4 landscape, the header
row repeated on each printed page and "Trang x/y" in the footer.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from eiso.reports.vocabulary import nfc

FONT = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"
_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FONT = Font(name=FONT, size=12, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
CELL_FONT = Font(name=FONT, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def _named_styles(workbook) -> tuple[str, str, str]:
    """Body cell styles as named styles: one assignment per cell instead of four (3× faster)."""
    names = ("eISO text", "eISO centred", "eISO date")
    for name, alignment, number_format in zip(
        names, (WRAP, CENTER, CENTER), ("General", "General", DATE_FORMAT), strict=True
    ):
        workbook.add_named_style(
            NamedStyle(
                name=name, font=CELL_FONT, border=BORDER, alignment=alignment, number_format=number_format
            )
        )
    return names


def _cell_value(value):
    if isinstance(value, str):
        return nfc(value)
    return value


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of a workbook: ``headers`` then ``rows``; ``centered`` and ``dates`` are column indexes."""

    title: str
    headers: Sequence[str]
    widths: Sequence[float]
    rows: Iterable[Sequence]
    centered: Iterable[int] = ()
    dates: Iterable[int] = ()


def table_workbook(
    *,
    sheet_title: str,
    title: str,
    agency: str,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Iterable[Sequence],
    centered: Iterable[int] = (),
    dates: Iterable[int] = (),
) -> bytes:
    """One sheet: ``headers`` then ``rows``; ``centered`` and ``dates`` are column indexes."""
    return tables_workbook(title=title, agency=agency, sheets=[SheetSpec(sheet_title, headers, widths, rows,
                                                                         centered, dates)])


def tables_workbook(*, title: str, agency: str, sheets: Sequence[SheetSpec]) -> bytes:
    """A workbook of ``sheets``, each laid out and printed like ``table_workbook``'s one."""
    workbook = Workbook()
    workbook.properties.title = nfc(title)
    workbook.properties.creator = "eISO"
    workbook.properties.language = "vi-VN"
    styles = _named_styles(workbook)
    for index, spec in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = spec.title[:31]
        _fill(sheet, spec, styles, title=title, agency=agency)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, spec: SheetSpec, named: tuple[str, str, str], *, title: str, agency: str) -> None:
    headers, widths, rows = spec.headers, spec.widths, spec.rows
    centered, dates = spec.centered, spec.dates
    sheet.append([nfc(h) for h in headers])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 32
    centered, dates = set(centered), set(dates)
    count = 0
    for values in rows:
        sheet.append([_cell_value(v) for v in values])
        count += 1
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    text, centred, date = named
    styles = [date if i in dates else centred if i in centered else text for i in range(len(headers))]
    for row in sheet.iter_rows(min_row=2, max_row=count + 1, max_col=len(headers)):
        for cell, style in zip(row, styles, strict=True):
            cell.style = style
    last = get_column_letter(len(headers))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top, sheet.page_margins.bottom = 25 / 25.4, 20 / 25.4
    sheet.oddHeader.left.text = nfc(agency)
    sheet.oddHeader.center.text = nfc(title)
    sheet.oddHeader.center.font = f"{FONT},Bold"
    sheet.oddFooter.center.text = "Trang &P/&N"
