"""Kế hoạch đào tạo (the year's training plan, landscape) and Danh sách học viên tham dự (the
attendance list of a session, to sign), in Word under the official heading."""

from eiso.reports.content import AttendanceList, Signer, TrainingPlan
from eiso.reports.word.blocks import blank_number, heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para


def training_plan_docx(data: TrainingPlan) -> bytes:
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width, number=blank_number(data.agency, "KH"))
    title(doc, f"Kế hoạch đào tạo năm {data.year}", "Đào tạo, bồi dưỡng về Hệ thống quản lý chất lượng "
                                                    "theo TCVN ISO 9001:2015")
    widths = [12, width - 12 - 45 - 50 - 42 - 16 - 18 - 26, 45, 50, 42, 16, 18, 26]
    grid_table(
        doc,
        ["STT", "Khóa đào tạo", "Loại", "Đơn vị đào tạo", "Thời gian", "Số giờ", "Số buổi", "Có mặt/được mời"],
        [(str(i), r.title, r.kind, r.provider or "—", r.dates, r.hours, str(r.sessions), f"{r.present}/{r.invited}")
         for i, r in enumerate(data.rows, start=1)],
        widths, aligns=[CENTER, LEFT, LEFT, LEFT, CENTER, CENTER, CENTER, CENTER])
    if not data.rows:
        para(doc, "Chưa có khóa đào tạo nào trong năm.", italic=True, space_before=6)
    signature_block(doc, ("Người lập", Signer()), ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)


def attendance_docx(data: AttendanceList) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, "Danh sách học viên tham dự", data.course)
    para(doc, f"Loại: {data.kind}. Ngày: {data.date:%d/%m/%Y}."
              + (f" Địa điểm: {data.place}." if data.place else "")
              + (f" Giảng viên: {data.trainer}." if data.trainer else ""), space_after=4)
    if data.briefed:
        para(doc, f"Tài liệu phổ biến: {data.briefed}. Học viên có mặt được ghi nhận đã đọc và hiểu tài liệu.",
             italic=True, space_after=6)
    widths = [10, 40, width - 10 - 40 - 38 - 18 - 22, 38, 18, 22]
    grid_table(
        doc, ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Điểm danh", "Ký tên"],
        [(str(i), r.name, r.position, r.unit, r.status, "") for i, r in enumerate(data.rows, start=1)],
        widths, aligns=[CENTER, LEFT, LEFT, LEFT, CENTER, LEFT])
    if not data.rows:
        para(doc, "Chưa có học viên được mời.", italic=True, space_before=6)
    signature_block(doc, ("Người lập danh sách", Signer()), ("Giảng viên", Signer(name=data.trainer)), width)
    page_footer(doc)
    return to_bytes(doc)
