"""Biên bản họp xem xét của lãnh đạo: the official heading (NĐ 30/2020), the meeting (time,
place, chair, participants), the inputs grouped as ISO 9001 9.3.2 a–f, the outputs (9.3.3)
with owner and due date, the conclusions, then the signatures of the secretary and the chair."""

from eiso.reports.content import ReviewMinutes
from eiso.reports.word.blocks import heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para, text_block


def _heading(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=8, space_after=4, keep_with_next=True)


def minutes_docx(data: ReviewMinutes) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width, number=f"…/BB-{data.agency.code}" if data.agency.code else "")
    title(doc, "Biên bản họp xem xét của lãnh đạo", "về hệ thống quản lý chất lượng theo TCVN ISO 9001:2015")
    _heading(doc, "I. Thời gian, địa điểm, thành phần")
    para(doc, f"Thời gian: ngày {data.on:%d/%m/%Y}.")
    para(doc, f"Địa điểm: {data.location}." if data.location else "Địa điểm: …")
    chair = f"{data.chair.name}{(', ' + data.chair.position) if data.chair.position else ''}"
    para(doc, f"Chủ trì: {chair}." if data.chair.name else "Chủ trì: …")
    para(doc, f"Thư ký: {data.secretary.name}." if data.secretary.name else "Thư ký: …")
    if data.participants:
        para(doc, "Thành phần tham dự:", keep_with_next=True)
        for person in data.participants:
            para(doc, f"- {person}")
    _heading(doc, "II. Đầu vào của xem xét (khoản 9.3.2)")
    para(doc, f"Số liệu do hệ thống eISO tổng hợp cho giai đoạn {data.period}"
              + ("; đã chốt khi bắt đầu cuộc họp." if data.frozen else "; bản xem trước, chưa chốt."), italic=True)
    for section in data.sections:
        para(doc, section.title, bold=True, italic=True, space_before=4, keep_with_next=True)
        for line in section.lines:
            para(doc, f"- {line}", space_after=0)
        if section.note:
            text_block(doc, section.note)
        for table in section.tables:
            count = len(table.headers)
            first = 12
            rest = (width - first) / count
            grid_table(doc, ("STT", *table.headers), [(str(i), *row) for i, row in enumerate(table.rows, start=1)],
                       [first, *([rest] * count)], aligns=[CENTER, *([LEFT] * count)])
    _heading(doc, "III. Đầu ra của xem xét (khoản 9.3.3)")
    if data.outputs:
        grid_table(doc, ["STT", "Loại", "Nội dung quyết định", "Người chịu trách nhiệm", "Thời hạn", "Tình trạng"],
                   [(str(i), o.kind, o.description, o.owner or "—", o.due_on, o.status)
                    for i, o in enumerate(data.outputs, start=1)],
                   [12, 34, width - 12 - 34 - 36 - 22 - 24, 36, 22, 24],
                   aligns=[CENTER, LEFT, LEFT, LEFT, CENTER, CENTER])
    elif data.no_action_needed:
        para(doc, "Cuộc họp kết luận không cần hành động thay đổi nào.")
    else:
        para(doc, "Chưa ghi nhận đầu ra.", italic=True)
    _heading(doc, "IV. Kết luận")
    if data.conclusions:
        text_block(doc, data.conclusions)
    else:
        para(doc, "…")
    if data.approved:
        para(doc, data.approved, italic=True, space_before=6)
    signature_block(doc, ("Thư ký", data.secretary), ("Chủ trì cuộc họp", data.chair), width)
    page_footer(doc)
    return to_bytes(doc)
