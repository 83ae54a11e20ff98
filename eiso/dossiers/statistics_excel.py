"""The on-time statistics as an Excel workbook (pure: plain rows in, .xlsx bytes out).

One sheet per table (summary, months, agencies when several, procedures, steps, units), laid out
like the other registers of eISO: a styled header row that is frozen and filterable, one row per
line, rates as real percentages, A4 landscape with the title in the printed page header.
"""

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from eiso.dossiers.rates import Counts

FONT = "Times New Roman"
_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FONT = Font(name=FONT, size=12, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
CELL_FONT = Font(name=FONT, size=12)
COUNTS = ["Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Tỷ lệ đúng hạn", "Tỷ lệ quá hạn"]


@dataclass
class StatisticsTables:
    start: dt.date
    end: dt.date
    agency: str
    totals: Counts
    now: dict
    months: list
    agencies: list
    procedures: list
    steps: list
    units: list
    generated: dt.datetime


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _counts(row) -> list:
    """Counts, then the exact shares (Excel shows them as 0.0 %)."""
    total = row.total
    shares = [(row.early + row.on_time) / total, row.late / total] if total else [None, None]
    return [row.early, row.on_time, row.late, row.total, *shares]


def _sheet(workbook, title: str, heading: str, agency: str, headers: list[str], widths: list[float], rows,
           *, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 32
    count = 0
    for values in rows:
        sheet.append([_nfc(v) for v in values])
        count += 1
    rate_columns = {i for i, h in enumerate(headers, start=1) if h.startswith("Tỷ lệ")}
    for row in sheet.iter_rows(min_row=2, max_row=count + 1, max_col=len(headers)):
        for cell in row:
            cell.font, cell.border = CELL_FONT, BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.column in rate_columns:
                cell.number_format = "0.0%"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = _nfc(agency)
    sheet.oddHeader.center.text = _nfc(heading)
    sheet.oddFooter.center.text = "Trang &P/&N"
    return sheet


def statistics_xlsx(data: StatisticsTables) -> bytes:
    period = f"từ tháng {data.start:%m/%Y} đến tháng {data.end:%m/%Y}"
    heading = f"KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH {period}".upper()
    workbook = Workbook()
    workbook.properties.title = heading
    workbook.properties.creator = "eISO"
    workbook.properties.language = "vi-VN"
    t = data.totals
    _sheet(workbook, "Tổng hợp", heading, data.agency, ["Chỉ tiêu", "Giá trị"], [50, 18], [
        ["Cơ quan", data.agency or "Các cơ quan trong phạm vi"],
        ["Kỳ thống kê", period],
        ["Hồ sơ đã giải quyết", t.total],
        ["Trước hạn", t.early],
        ["Đúng hạn", t.on_time],
        ["Quá hạn", t.late],
        ["Tỷ lệ đúng hạn (trước hạn và đúng hạn)", t.in_time / t.total if t.total else None],
        ["Đang giải quyết (thời điểm xuất)", data.now.get("open", 0)],
        ["Trong đó quá hạn", data.now.get("overdue", 0)],
        ["Thời điểm xuất", data.generated.strftime("%d/%m/%Y %H:%M")],
    ], first=True)
    summary = workbook["Tổng hợp"]
    summary["B8"].number_format = "0.0%"
    _sheet(workbook, "Theo tháng", heading, data.agency, ["Tháng", *COUNTS], [12, 12, 12, 12, 12, 16, 16],
           ([r.month.strftime("%m/%Y"), *_counts(r)] for r in data.months))
    if data.agencies:
        _sheet(workbook, "Theo cơ quan", heading, data.agency, ["Xếp hạng", "Mã", "Cơ quan", *COUNTS],
               [10, 12, 50, 12, 12, 12, 12, 16, 16],
               ([r.rank, r.code, r.label, *_counts(r)] for r in data.agencies))
    _sheet(workbook, "Theo thủ tục", heading, data.agency, ["Cơ quan", "Mã TTHC", "Tên thủ tục hành chính", *COUNTS],
           [10, 14, 60, 12, 12, 12, 12, 16, 16],
           ([r.agency, r.code, r.label, *_counts(r)] for r in data.procedures))
    _sheet(workbook, "Theo bước", heading, data.agency,
           ["Cơ quan", "Mã TTHC", "Tên thủ tục hành chính", "Bước", "Nội dung công việc", "Đơn vị thực hiện",
            *COUNTS], [10, 14, 40, 8, 40, 28, 12, 12, 12, 12, 16, 16],
           ([r.agency, r.code, r.extra.get("procedure", ""), r.step, r.label, r.unit, *_counts(r)]
            for r in data.steps))
    _sheet(workbook, "Theo đơn vị", heading, data.agency, ["Cơ quan", "Đơn vị", *COUNTS],
           [10, 40, 12, 12, 12, 12, 16, 16], ([r.agency, r.label, *_counts(r)] for r in data.units))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
