"""The forms of an internal audit in Word: the audit plan (kế hoạch đánh giá nội bộ) and the audit
report (báo cáo đánh giá nội bộ) with its findings and statistics, under the official heading."""

from eiso.reports.content import AuditForm
from eiso.reports.vocabulary import date_text
from eiso.reports.word.blocks import heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, JUSTIFY, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para, run


def _label(doc, label: str, value: str) -> None:
    paragraph = para(doc, "", align=JUSTIFY, space_after=3)
    run(paragraph, f"{label}: ", bold=True)
    run(paragraph, value or "—")


def _section(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=8, space_after=4, keep_with_next=True)


def _common(doc, data: AuditForm, width: float) -> None:
    _label(doc, "Mục đích", data.objectives)
    _label(doc, "Chuẩn mực đánh giá", data.criteria)
    _label(doc, "Thời gian", f"từ ngày {date_text(data.start_date)} đến ngày {date_text(data.end_date)}")
    _label(doc, "Đơn vị được đánh giá", "; ".join(data.units))
    if data.procedures:
        _label(doc, "Thủ tục hành chính", "; ".join(data.procedures))
    _label(doc, "Điều khoản", ", ".join(data.clauses))
    _section(doc, "Đoàn đánh giá")
    grid_table(doc, ["STT", "Họ và tên", "Vai trò", "Đơn vị công tác"],
               [(str(i), r.name, r.role, r.unit) for i, r in enumerate(data.team, start=1)],
               [12, 60, 40, width - 112], aligns=[CENTER, LEFT, LEFT, LEFT])


def audit_plan_docx(data: AuditForm) -> bytes:
    """Kế hoạch đánh giá nội bộ: objectives, criteria, dates, scope, team and the schedule."""
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.planned_on, width)
    title(doc, "Kế hoạch đánh giá nội bộ", f"{data.code} — {data.title}")
    _common(doc, data, width)
    _section(doc, "Lịch đánh giá")
    start, end = date_text(data.start_date), date_text(data.end_date)
    rows = [("Khai mạc", start, "Đoàn đánh giá, lãnh đạo đơn vị được đánh giá")]
    rows += [(f"Đánh giá {unit}", f"{start} – {end}", "Đoàn đánh giá") for unit in data.units]
    rows.append(("Họp kết thúc, thông báo kết quả", end, "Đoàn đánh giá, lãnh đạo cơ quan"))
    grid_table(doc, ["Nội dung", "Thời gian", "Thành phần"], rows, [width - 40 - 60, 40, 60],
               aligns=[LEFT, CENTER, LEFT])
    signature_block(doc, ("Trưởng đoàn đánh giá", data.lead), ("Thủ trưởng cơ quan", data.approver), width)
    page_footer(doc)
    return to_bytes(doc)


def audit_report_docx(data: AuditForm) -> bytes:
    """Báo cáo đánh giá nội bộ: scope and team, findings, statistics per kind, clause and unit,
    and the conclusion."""
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.reported_on, width)
    title(doc, "Báo cáo đánh giá nội bộ", f"{data.code} — {data.title}")
    _common(doc, data, width)
    _label(doc, "Danh mục câu hỏi đã đánh giá", f"{data.checklist_answered}/{data.checklist_total}")
    _section(doc, "1. Các phát hiện")
    if data.findings:
        grid_table(doc, ["Số", "Loại", "Điều khoản", "Đơn vị", "Nội dung và bằng chứng"],
                   [(f.code, f.kind, f.clause, f.unit,
                     f.description + (f"\nBằng chứng: {f.evidence}" if f.evidence else "")
                     + (f"\nThủ tục: {f.procedure}" if f.procedure else ""))
                    for f in data.findings],
                   [24, 30, 20, 34, width - 108], aligns=[CENTER, LEFT, CENTER, LEFT, LEFT])
    else:
        para(doc, "Không có phát hiện.", italic=True)
    _section(doc, "2. Thống kê")
    grid_table(doc, ["Loại phát hiện", "Số lượng"], [(k, str(n)) for k, n in data.by_kind]
               + [("Tổng cộng", str(len(data.findings)))], [width - 30, 30], aligns=[LEFT, CENTER])
    if data.by_clause:
        para(doc, "", space_after=2)
        grid_table(doc, ["Điều khoản", "Số phát hiện"], [(c, str(n)) for c, n in data.by_clause],
                   [width - 30, 30], aligns=[LEFT, CENTER])
    if data.by_unit:
        para(doc, "", space_after=2)
        grid_table(doc, ["Đơn vị", "Số phát hiện"], [(u, str(n)) for u, n in data.by_unit],
                   [width - 30, 30], aligns=[LEFT, CENTER])
    _section(doc, "3. Kết luận")
    para(doc, data.conclusion or "—", align=JUSTIFY)
    signature_block(doc, ("Trưởng đoàn đánh giá", data.lead), ("Thủ trưởng cơ quan", data.approver), width)
    page_footer(doc)
    return to_bytes(doc)
