"""Excel (.xlsx) output: the document register, file lists, the disposal list, the external
document register.

Each sheet is a plain table a person can filter and sort, and a program can read back: the header
in row 1 (styled, frozen, with an autofilter), one record per row, dates as real dates shown
dd/mm/yyyy. The title and the agency go in the printed page header, with A4 landscape, the header
row repeated on each printed page and "Trang x/y" in the footer.
"""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from eiso.reports.content import DisposalList, DocumentRegister, ExternalRegister, FileListData
from eiso.reports.vocabulary import date_text, nfc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def _workbook(
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
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    workbook.properties.title = nfc(title)
    workbook.properties.creator = "eISO"
    workbook.properties.language = "vi-VN"
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
    text, centred, date = _named_styles(workbook)
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def document_register_xlsx(data: DocumentRegister) -> bytes:
    return _workbook(
        sheet_title="Danh mục tài liệu",
        title=f"DANH MỤC TÀI LIỆU NỘI BỘ (đến ngày {date_text(data.on)})",
        agency=data.agency.name,
        headers=[
            "STT",
            "Mã hiệu",
            "Tên tài liệu",
            "Loại tài liệu",
            "Đơn vị soạn thảo",
            "Lần ban hành",
            "Ngày hiệu lực",
        ],
        widths=[6, 16, 60, 22, 30, 10, 14],
        rows=(
            (i, r.code, r.title, r.kind, r.unit, r.issue_number, r.effective_date)
            for i, r in enumerate(data.rows, start=1)
        ),
        centered=(0, 5),
        dates=(6,),
    )


def filelist_xlsx(data: FileListData) -> bytes:
    return _workbook(
        sheet_title=f"Danh mục hồ sơ {data.year}",
        title=f"DANH MỤC HỒ SƠ NĂM {data.year} — {data.unit}",
        agency=data.agency.name,
        headers=[
            "STT",
            "Mã hồ sơ",
            "Tên hồ sơ",
            "Thời hạn bảo quản",
            "Người lập",
            "Vị trí lưu",
            "Ghi chú",
            "Nhóm hồ sơ",
        ],
        widths=[6, 16, 55, 14, 24, 26, 22, 30],
        rows=(
            (i, r.code, r.title, r.retention, r.keeper, r.location, r.note, r.heading)
            for i, r in enumerate(data.rows, start=1)
        ),
        centered=(0, 3),
    )


def disposal_xlsx(data: DisposalList) -> bytes:
    return _workbook(
        sheet_title="Hồ sơ hết hạn bảo quản",
        title=f"DANH MỤC HỒ SƠ HẾT THỜI HẠN BẢO QUẢN (đến ngày {date_text(data.on)})",
        agency=data.agency.name,
        headers=[
            "STT",
            "Mã hồ sơ",
            "Tên hồ sơ",
            "Đơn vị",
            "Năm",
            "Thời hạn bảo quản",
            "Ngày kết thúc hồ sơ",
            "Hết hạn bảo quản từ",
            "Vị trí lưu",
        ],
        widths=[6, 16, 50, 28, 8, 14, 14, 14, 24],
        rows=(
            (i, r.code, r.title, r.unit, r.year, r.retention, r.closed_on, r.expired_on, r.location)
            for i, r in enumerate(data.rows, start=1)
        ),
        centered=(0, 4, 5),
        dates=(6, 7),
    )


def external_register_xlsx(data: ExternalRegister) -> bytes:
    return _workbook(
        sheet_title="Tài liệu bên ngoài",
        title=f"DANH MỤC TÀI LIỆU CÓ NGUỒN GỐC BÊN NGOÀI (đến ngày {date_text(data.on)})",
        agency=data.agency.name,
        headers=[
            "STT",
            "Số, ký hiệu",
            "Loại văn bản",
            "Trích yếu",
            "Cơ quan ban hành",
            "Ngày ban hành",
            "Ngày hiệu lực",
            "Ngày hết hiệu lực",
            "Tình trạng",
            "Thay thế bởi",
            "Quy trình viện dẫn",
        ],
        widths=[6, 20, 14, 60, 24, 13, 13, 13, 18, 20, 24],
        rows=(
            (
                i,
                r.number,
                r.doc_type,
                r.title,
                r.issuer,
                r.issued_on,
                r.effective_on,
                r.expires_on,
                r.status,
                r.replaced_by,
                r.cited_by,
            )
            for i, r in enumerate(data.rows, start=1)
        ),
        centered=(0,),
        dates=(5, 6, 7),
    )
