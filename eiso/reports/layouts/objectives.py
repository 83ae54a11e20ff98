"""Mục tiêu chất lượng năm …: the year's objectives and their plan, then the results table, in
Word, landscape under the official heading, signed by the head who approves them."""

from eiso.reports.content import ObjectivesTable, Signer
from eiso.reports.word.blocks import heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para


def objectives_docx(data: ObjectivesTable) -> bytes:
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width)
    title(doc, f"Mục tiêu chất lượng năm {data.year}", "")
    widths = [12, width - 12 - 40 - 26 - 24 - 50 - 34 - 28, 40, 26, 24, 50, 34, 28]
    grid_table(
        doc,
        ["STT", "Mục tiêu", "Chỉ số đo", "Chỉ tiêu", "Tần suất", "Nội dung thực hiện", "Người thực hiện",
         "Thời gian, nguồn lực"],
        [(str(i), r.title, r.indicator, r.target, r.frequency, r.plan_what, r.plan_who,
          "\n".join(p for p in (r.plan_when, r.plan_resources) if p)) for i, r in enumerate(data.rows, start=1)],
        widths, aligns=[CENTER, LEFT, LEFT, CENTER, CENTER, LEFT, LEFT, LEFT])
    para(doc, "Kết quả thực hiện", bold=True, space_before=10, space_after=4, keep_with_next=True)
    grid_table(
        doc,
        ["STT", "Mục tiêu", "Chỉ tiêu", "Kết quả từng kỳ (tử số/mẫu số)", "Đánh giá"],
        [(str(i), r.title, r.target, "\n".join(r.results) or "—", r.verdict)
         for i, r in enumerate(data.rows, start=1)],
        [12, width - 12 - 30 - 110 - 28, 30, 110, 28], aligns=[CENTER, LEFT, CENTER, LEFT, CENTER])
    if not data.rows:
        para(doc, "Chưa có mục tiêu chất lượng cho năm này.", italic=True, space_before=6)
    signature_block(doc, ("Người lập", Signer()), ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)
