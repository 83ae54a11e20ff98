"""The registers in Word, landscape under the official heading: the internal document register
(danh mục tài liệu nội bộ), a document's revision history (bảng theo dõi sửa đổi) and a unit's
yearly file list (danh mục hồ sơ, NĐ 30/2020 Phụ lục V)."""

from eiso.reports.content import DocumentRegister, FileListData, RevisionHistory, Signer
from eiso.reports.vocabulary import date_text, issue_text
from eiso.reports.word.blocks import heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para


def document_register_docx(data: DocumentRegister) -> bytes:
    """Danh mục tài liệu nội bộ: STT, mã, tên, loại, đơn vị soạn thảo, lần ban hành, ngày hiệu lực,
    for the issued documents; those not issued follow apart, with their state."""
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, "Danh mục tài liệu nội bộ", data.note or f"(Cập nhật đến ngày {date_text(data.on)})")
    widths = [12, 28, width - 12 - 28 - 38 - 44 - 20 - 28, 38, 44, 20, 28]
    grid_table(
        doc,
        [
            "STT",
            "Mã hiệu",
            "Tên tài liệu",
            "Loại tài liệu",
            "Đơn vị soạn thảo",
            "Lần ban hành",
            "Ngày hiệu lực",
        ],
        [
            (str(i), r.code, r.title, r.kind, r.unit, issue_text(r.issue_number), date_text(r.effective_date))
            for i, r in enumerate(data.rows, start=1)
        ],
        widths,
        aligns=[CENTER, LEFT, LEFT, LEFT, LEFT, CENTER, CENTER],
    )
    para(doc, f"Tổng số: {len(data.rows)} tài liệu đã ban hành.", italic=True, space_before=6)
    if data.drafts:
        # Apart: a document in drafting (or with nothing in force) is not part of the register yet.
        para(doc, "Tài liệu chưa ban hành (không thuộc danh mục)", bold=True, space_before=10, space_after=4,
             keep_with_next=True)
        grid_table(
            doc,
            ["STT", "Mã hiệu", "Tên tài liệu", "Loại tài liệu", "Đơn vị soạn thảo", "Tình trạng"],
            [(str(i), r.code, r.title, r.kind, r.unit, r.status) for i, r in enumerate(data.drafts, start=1)],
            [12, 28, width - 12 - 28 - 38 - 44 - 48, 38, 44, 48],
            aligns=[CENTER, LEFT, LEFT, LEFT, LEFT, LEFT],
        )
    signature_block(doc, ("Người lập", Signer()), ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)


def revision_history_docx(data: RevisionHistory) -> bytes:
    """Bảng theo dõi sửa đổi: the revision history of one document."""
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, "Bảng theo dõi sửa đổi tài liệu", f"{data.code} — {data.title}")
    widths = [20, 26, width - 20 - 26 - 3 * 38 - 30, 38, 38, 38, 30]
    grid_table(
        doc,
        [
            "Lần ban hành",
            "Ngày hiệu lực",
            "Nội dung sửa đổi",
            "Người soạn thảo",
            "Người xem xét",
            "Người phê duyệt",
            "Tình trạng",
        ],
        [
            (
                issue_text(r.issue_number),
                date_text(r.date),
                r.change_summary,
                r.drafted_by,
                r.reviewed_by,
                r.approved_by,
                r.status,
            )
            for r in data.rows
        ],
        widths,
        aligns=[CENTER, CENTER, LEFT, LEFT, LEFT, LEFT, LEFT],
    )
    page_footer(doc)
    return to_bytes(doc)


def filelist_docx(data: FileListData) -> bytes:
    """Danh mục hồ sơ of a unit for a year (NĐ 30/2020, Phụ lục V)."""
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, f"Danh mục hồ sơ năm {data.year}", data.unit)
    widths = [12, 30, width - 12 - 30 - 26 - 36 - 36 - 30, 26, 36, 36, 30]
    rows = []
    number = 0
    heading = None
    for row in data.rows:
        if row.heading and row.heading != heading:
            heading = row.heading
            rows.append(heading)
        number += 1
        rows.append((str(number), row.code, row.title, row.retention, row.keeper, row.location, row.note))
    grid_table(
        doc,
        ["STT", "Mã hồ sơ", "Tên hồ sơ", "Thời hạn bảo quản", "Người lập", "Vị trí lưu", "Ghi chú"],
        rows,
        widths,
        aligns=[CENTER, LEFT, LEFT, CENTER, LEFT, LEFT, LEFT],
    )
    para(doc, f"Danh mục này có {number} hồ sơ.", italic=True, space_before=6)
    signature_block(doc, ("Người lập", data.prepared_by), ("Thủ trưởng cơ quan", data.approved_by), width)
    page_footer(doc)
    return to_bytes(doc)
