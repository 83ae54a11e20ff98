"""5S in Word: the inspection sheet of an area (phiếu đánh giá 5S), items grouped by the five S
with the points given, and the ranking of the units for a quarter, both under the official
heading and signed."""

import io

from docx.shared import Mm

from eiso.reports.content import FivesInspectionSheet, FivesRanking, Signer
from eiso.reports.excel import table_workbook
from eiso.reports.word.blocks import heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para


def fives_inspection_docx(data: FivesInspectionSheet) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, "Phiếu đánh giá 5S", f"{data.area} — {data.unit}")
    para(doc, f"Ngày đánh giá: {data.day:%d/%m/%Y}. Người đánh giá: {data.inspector or '…'}. "
              f"Tình trạng: {data.status}.", space_after=6)
    widths = [12, width - 12 - 18 - 18 - 44, 18, 18, 44]
    for section in data.sections:
        para(doc, f"{section.name}: {section.scored}/{section.possible} điểm — {section.percent}", bold=True,
             space_before=8, space_after=4, keep_with_next=True)
        grid_table(
            doc, ["STT", "Nội dung đánh giá", "Điểm tối đa", "Điểm đạt", "Ghi chú"],
            [(str(i), a.text, str(a.points), str(a.score),
              "; ".join(p for p in ("" if a.passed else "Không đạt", a.remark, "có ảnh" if a.photo else "") if p))
             for i, a in enumerate(section.answers, start=1)],
            widths, aligns=[CENTER, LEFT, CENTER, CENTER, LEFT])
    if not data.sections:
        para(doc, "Khu vực chưa được đánh giá.", italic=True, space_before=6)
    para(doc, f"Tổng điểm: {data.total}", bold=True, space_before=10)
    if data.note:
        para(doc, f"Nhận xét: {data.note}", space_before=4)
    signature_block(doc, ("Người đánh giá", Signer(name=data.inspector)), ("Đại diện đơn vị", data.unit_head), width)
    photos = [(section.name, a) for section in data.sections for a in section.answers if a.photo_bytes]
    if photos:
        para(doc, "Ảnh các nội dung không đạt", bold=True, space_before=12, space_after=4, keep_with_next=True)
        for name, answer in photos:
            para(doc, f"{name} — {answer.text}", italic=True, size=11, space_before=6, keep_with_next=True)
            try:
                doc.add_picture(io.BytesIO(answer.photo_bytes), width=Mm(min(80, width)))
            except Exception:  # noqa: BLE001 - a damaged image prints as a note, never fails the sheet
                para(doc, "(Không hiển thị được ảnh.)", italic=True, size=11)
    page_footer(doc)
    return to_bytes(doc)


def fives_ranking_xlsx(data: FivesRanking) -> bytes:
    """The quarter's ranking as a sheet, the scores as numbers (percent)."""
    return table_workbook(
        sheet_title=f"Xếp hạng 5S {data.period}",
        title=f"BẢNG XẾP HẠNG 5S CỦA CÁC ĐƠN VỊ — {data.period.upper()}",
        agency=data.agency.name,
        headers=["Hạng", "Đơn vị", "Điểm bình quân (%)", "Số lần đánh giá", "Lần gần nhất (%)",
                 "Ngày đánh giá gần nhất"],
        widths=[8, 50, 18, 16, 18, 20],
        rows=((r.rank, r.unit, float(r.score_value) if r.score_value is not None else None, r.inspections,
               float(r.latest_value) if r.latest_value is not None else None, r.latest_day) for r in data.rows),
        centered=(0, 3), dates=(5,))


def fives_ranking_docx(data: FivesRanking) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, "Bảng xếp hạng 5S của các đơn vị", data.period)
    grid_table(
        doc, ["Hạng", "Đơn vị", "Điểm bình quân", "Số lần đánh giá", "Lần gần nhất"],
        [(str(r.rank), r.unit, r.score, str(r.inspections), r.latest) for r in data.rows],
        [16, width - 16 - 30 - 26 - 40, 30, 26, 40], aligns=[CENTER, LEFT, CENTER, CENTER, CENTER])
    if not data.rows:
        para(doc, "Không có lần đánh giá nào trong kỳ.", italic=True, space_before=6)
    para(doc, "Điểm của đơn vị là bình quân tỷ lệ điểm các lần đánh giá trong kỳ; bằng điểm thì đơn vị có lần "
              "đánh giá gần nhất cao hơn xếp trên.", italic=True, size=11, space_before=6)
    if data.rewards:
        para(doc, "Khen thưởng, biểu dương", bold=True, space_before=10, space_after=4, keep_with_next=True)
        for line in data.rewards:
            para(doc, f"- {line}", space_after=2)
    signature_block(doc, ("Người lập", Signer()), ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)
