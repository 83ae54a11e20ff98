"""The registers and lists in Excel: the internal document register, a unit's file list, the files
past retention, the external document register, and the dossier list (streamed)."""

import datetime
import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from eiso.reports.content import DisposalList, DocumentRegister, ExternalRegister, FileListData
from eiso.reports.excel import BORDER, CELL_FONT, HEADER_FILL, HEADER_FONT, table_workbook
from eiso.reports.vocabulary import date_text, nfc


def document_register_xlsx(data: DocumentRegister) -> bytes:
    return table_workbook(
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
            "Tình trạng",
        ],
        widths=[6, 16, 60, 22, 30, 10, 14, 22],
        # the issued documents, then those not issued (their state says so)
        rows=(
            (i, r.code, r.title, r.kind, r.unit, r.issue_number, r.effective_date, r.status or "Đã ban hành")
            for i, r in enumerate((*data.rows, *data.drafts), start=1)
        ),
        centered=(0, 5),
        dates=(6,),
    )


def filelist_xlsx(data: FileListData) -> bytes:
    return table_workbook(
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
    return table_workbook(
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
    return table_workbook(
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


LIST_HEADERS = ["Mã hồ sơ", "Cơ quan", "Mã TTHC", "Tên thủ tục hành chính", "Người nộp", "Tiếp nhận",
                "Hẹn trả", "Trả kết quả", "Trạng thái", "Kết quả", "Bước hiện tại", "Đơn vị hiện tại"]
LIST_WIDTHS = [22, 18, 12, 50, 26, 17, 17, 17, 22, 12, 10, 26]


def dossier_list_xlsx(rows: Iterable[tuple], *, title: str) -> tempfile.SpooledTemporaryFile:
    """The dossier list as a write-only workbook: rows are written as the iterable yields them
    (one page of the database at a time), so a province's 100,000 dossiers never sit in memory.
    Times are naive local datetimes shown ``DD/MM/YYYY hh:mm``. Returns the file, rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Hồ sơ")
    workbook.properties.title = nfc(title)
    workbook.properties.creator = "eISO"
    for column, width in enumerate(LIST_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for text in LIST_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=nfc(value) if isinstance(value, str) else value)
            cell.font = CELL_FONT
            if isinstance(value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY hh:mm"
            cells.append(cell)
        sheet.append(cells)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (handed to the response)
    workbook.save(spool)
    spool.seek(0)
    return spool
