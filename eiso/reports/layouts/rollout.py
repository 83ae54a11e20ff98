"""Báo cáo tiến độ xây dựng HTQLCL tháng …: the monthly report of a rollout to the steering
committee, in Word, portrait under the official heading (NĐ 30/2020), compiled from the data:
the plan and its phases, the registry's progress per drafting unit, the procedures overdue,
issued in the month and due next month, the gap survey; signed by the secretary and the head."""

import datetime

from eiso.reports.content import RolloutItemRow, RolloutReport
from eiso.reports.word.blocks import blank_number, heading_block, page_footer, signature_block, title
from eiso.reports.word.page import CENTER, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para


def _d(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _percent(issued: int, total: int) -> str:
    return f"{round(100 * issued / total)} %" if total else "—"


def _items(doc, rows: tuple[RolloutItemRow, ...], width: float, empty: str, *, note: str) -> None:
    if not rows:
        para(doc, empty, italic=True, space_after=6)
        return
    grid_table(doc, ["STT", "Quy trình", "Đơn vị chủ trì", "Thời hạn", "Trạng thái", note],
               [(str(r.number), r.title, r.unit, _d(r.deadline), r.status, r.note) for r in rows],
               [10, width - 10 - 32 - 25 - 25 - 27, 32, 25, 25, 27], aligns=[CENTER, LEFT, LEFT, CENTER, CENTER, LEFT])


def rollout_report_docx(data: RolloutReport) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width, number=blank_number(data.agency, "BC"))
    title(doc, "Báo cáo", f"Tiến độ xây dựng, áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 "
                         f"tháng {data.month:02d}/{data.year}")
    para(doc, f"Kính gửi: {data.committee or 'Ban chỉ đạo ISO'}.", align=CENTER, space_after=8)
    para(doc, f"Số liệu tính đến ngày {_d(data.as_of)}.", italic=True, space_after=6)

    para(doc, "I. KẾ HOẠCH TRIỂN KHAI", bold=True, space_before=6, keep_with_next=True)
    para(doc, f"{data.title}: bắt đầu ngày {_d(data.started_on)}, dự kiến công bố HTQLCL phù hợp ngày "
              f"{_d(data.target_on)}.")
    para(doc, f"Tư vấn: {data.consultant or 'cơ quan tự xây dựng, không thuê tư vấn'}.")
    para(doc, "Danh mục quy trình: " + (f"đã được phê duyệt tại {data.decision}." if data.decision
                                        else "chưa được phê duyệt bằng quyết định."))
    if data.current_phase:
        para(doc, f"Giai đoạn hiện tại: {data.current_phase}.")
    grid_table(doc, ["STT", "Giai đoạn", "Kế hoạch", "Hoàn thành", "Trạng thái"],
               [(str(p.number), p.name, f"{_d(p.planned_start)} – {_d(p.planned_end)}", _d(p.finished_on), p.status)
                for p in data.phases],
               [12, width - 12 - 44 - 24 - 30, 44, 24, 30], aligns=[CENTER, LEFT, CENTER, CENTER, CENTER])

    para(doc, "II. TIẾN ĐỘ XÂY DỰNG QUY TRÌNH", bold=True, space_before=10, keep_with_next=True)
    t = data.total
    para(doc, f"Tổng số {t.total} quy trình: đã ban hành {t.issued} ({_percent(t.issued, t.total)}), đang thẩm "
              f"định {t.in_review}, đang xây dựng {t.drafting}, chưa triển khai {t.not_started}; quá hạn {t.overdue}.")
    rows = [(u.unit, str(u.total), str(u.issued), str(u.in_review), str(u.drafting), str(u.not_started),
             str(u.overdue), _percent(u.issued, u.total)) for u in (*data.units, t)]
    grid_table(doc, ["Đơn vị chủ trì", "Tổng số", "Đã ban hành", "Đang thẩm định", "Đang xây dựng",
                     "Chưa triển khai", "Quá hạn", "Tỷ lệ"], rows,
               [width - 7 * 18, 18, 18, 18, 18, 18, 18, 18], aligns=[LEFT] + [CENTER] * 7)

    para(doc, "III. QUY TRÌNH QUÁ HẠN", bold=True, space_before=10, keep_with_next=True)
    _items(doc, data.overdue, width, "Không có quy trình quá hạn.", note="Ghi chú")
    para(doc, f"IV. QUY TRÌNH BAN HÀNH TRONG THÁNG {data.month:02d}/{data.year}", bold=True, space_before=10,
         keep_with_next=True)
    _items(doc, data.issued_in_month, width, "Không có quy trình được ban hành trong tháng.", note="Văn bản")
    para(doc, "V. QUY TRÌNH ĐẾN HẠN TRONG THÁNG TỚI", bold=True, space_before=10, keep_with_next=True)
    _items(doc, data.due_next_month, width, "Không có quy trình đến hạn trong tháng tới.", note="Ghi chú")
    para(doc, "VI. KHẢO SÁT, ĐÁNH GIÁ THỰC TRẠNG", bold=True, space_before=10, keep_with_next=True)
    para(doc, data.gap or "Chưa khảo sát thực trạng theo các điều khoản của tiêu chuẩn.")
    para(doc, "VII. KIẾN NGHỊ", bold=True, space_before=10, keep_with_next=True)
    late_units = [u.unit for u in data.units if u.overdue]
    para(doc, ("Đề nghị Ban chỉ đạo đôn đốc " + ", ".join(late_units) + " hoàn thành các quy trình quá hạn.")
         if late_units else "Các đơn vị thực hiện đúng tiến độ; tiếp tục triển khai theo kế hoạch.")
    signature_block(doc, ("Thư ký ISO", data.secretary), ("Trưởng ban chỉ đạo", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)
