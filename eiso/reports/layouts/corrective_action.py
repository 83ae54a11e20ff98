"""The corrective action request (phiếu yêu cầu hành động khắc phục) in Word: the nonconformity,
its correction, root cause, action plan, implementation and verification, under the official
heading with the request's number and date; signed by who asks, who acts, who verifies and the
leader who approves."""

from eiso.reports.content import CorrectiveActionRequest
from eiso.reports.vocabulary import date_text
from eiso.reports.word.blocks import heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para, text_block


def _section(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=8, space_after=2, keep_with_next=True)


def _two_columns(doc, rows, width: float) -> None:
    grid_table(doc, ["Nội dung", "Thông tin"], rows, [width * 0.32, width * 0.68], aligns=[LEFT, LEFT])


def corrective_action_docx(data: CorrectiveActionRequest) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width, number=data.number)
    title(doc, "Phiếu yêu cầu hành động khắc phục", f"(Sự không phù hợp {data.code})")

    _section(doc, "1. Mô tả sự không phù hợp")
    _two_columns(doc, [
        ("Nguồn phát hiện", data.source),
        ("Điều khoản TCVN ISO 9001:2015", data.clause),
        ("Đơn vị", data.unit or "—"),
        ("Quy trình / thủ tục", data.procedure or "—"),
        ("Ngày phát hiện", date_text(data.detected_on)),
    ], width)
    text_block(doc, data.description)

    _section(doc, "2. Hành động khắc phục tức thời (khắc phục)")
    text_block(doc, data.correction or "Không có.")

    _section(doc, "3. Nguyên nhân gốc rễ")
    if data.whys:
        grid_table(doc, ["Lần hỏi", "Tại sao?"], [(str(i), w) for i, w in enumerate(data.whys, start=1)],
                   [22, width - 22], aligns=[CENTER, LEFT])
    para(doc, "Nguyên nhân gốc rễ: " + data.root_cause, space_before=4)

    _section(doc, "4. Hành động khắc phục")
    text_block(doc, data.action_plan)
    _two_columns(doc, [("Người chịu trách nhiệm", data.owner), ("Thời hạn hoàn thành", date_text(data.due_on))],
                 width)

    _section(doc, "5. Kết quả thực hiện")
    _two_columns(doc, [
        ("Ngày thực hiện xong", date_text(data.implemented_on) or "Chưa thực hiện"),
        ("Bằng chứng", data.evidence or "—"),
    ], width)

    _section(doc, "6. Kiểm tra hiệu lực")
    _two_columns(doc, [("Người kiểm tra", data.verifier or "—"),
                       ("Ngày dự kiến kiểm tra", date_text(data.verification_due_on) or "—")], width)
    if data.verifications:
        para(doc, "Kết quả kiểm tra:", italic=True, space_before=4, space_after=2, keep_with_next=True)
        grid_table(doc, ["Ngày kiểm tra", "Người kiểm tra", "Kết luận", "Ghi chú"],
                   [(date_text(v.on), v.by, "Có hiệu lực" if v.effective else "Không hiệu lực", v.note)
                    for v in data.verifications],
                   [28, 45, 30, width - 103], aligns=[CENTER, LEFT, CENTER, LEFT])
    closed = f"Đã kết thúc ngày {date_text(data.closed_on)}." if data.closed_on else f"Tình trạng: {data.status}."
    para(doc, closed, italic=True, space_before=4)

    signature_block(doc, ("Người yêu cầu", data.requested_by), ("Người thực hiện", data.owner_signer), width,
                    more=((("Người kiểm tra hiệu lực", data.verifier_signer), ("Lãnh đạo phê duyệt", data.approver)),))
    page_footer(doc)
    return to_bytes(doc)
