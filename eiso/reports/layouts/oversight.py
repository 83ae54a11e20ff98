"""The provincial oversight documents in Word: the inspection plan (TT 26/2014/TT-BKHCN Mẫu 19),
the inspection decision (Mẫu 20), the minutes (Mẫu 21), the agency's yearly QMS report, the
province's December report to the Ministry (QĐ 19/2014/QĐ-TTg Appendix II) and the TTHC handling
report (TT 01/2020/TT-VPCP form 06a)."""

import datetime

from eiso.reports.content import Signer
from eiso.reports.content_oversight import (
    AnnualReportDoc,
    DecisionDoc,
    InspectionPlanDoc,
    MinutesDoc,
    ProvinceReportDoc,
    TthcReportDoc,
)
from eiso.reports.excel import SheetSpec, tables_workbook
from eiso.reports.vocabulary import date_text
from eiso.reports.word.blocks import blank_number, heading_block, page_footer, signature_block, title, watermark
from eiso.reports.word.page import CENTER, LEFT, RIGHT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table
from eiso.reports.word.text import para, text_block

QMS = "hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015"
ROLES = {"leader": "Trưởng đoàn", "member": "Thành viên", "secretary": "Thư ký"}


def _section(doc, text: str) -> None:
    para(doc, text, bold=True, space_before=8, space_after=2, keep_with_next=True)


def _day(value: datetime.date | None) -> str:
    return date_text(value) or "…/…/……"


def plan_docx(data: InspectionPlanDoc) -> bytes:
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.issuer, data.on, width, number=data.number)
    title(doc, "Kế hoạch", f"Kiểm tra việc áp dụng, duy trì và cải tiến {QMS} năm {data.year}")
    _section(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    text_block(doc, "- Kiểm tra việc xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng tại các cơ "
                    f"quan, tổ chức thuộc hệ thống hành chính nhà nước trên địa bàn {data.province} theo Quyết định "
                    "số 19/2014/QĐ-TTg và Thông tư số 26/2014/TT-BKHCN.\n- Kiểm tra bằng hình thức xem xét hồ sơ; "
                    f"ít nhất một phần ba số cơ quan được kiểm tra tại chỗ (tối thiểu {data.minimum_on_site} "
                    f"trong {len(data.lines)} cơ quan).")
    _section(doc, "II. ĐỐI TƯỢNG, THỜI GIAN, HÌNH THỨC KIỂM TRA")
    grid_table(doc, ["STT", "Cơ quan được kiểm tra", "Thời gian", "Hình thức", "Đoàn kiểm tra"],
               [(str(i), line.agency, f"Tháng {line.month}/{data.year}",
                 "Tại chỗ" if line.on_site else "Qua hồ sơ", line.team or "—")
                for i, line in enumerate(data.lines, start=1)],
               [12, width - 12 - 30 - 30 - 80, 30, 30, 80], aligns=[CENTER, LEFT, CENTER, CENTER, LEFT])
    on_site = sum(1 for line in data.lines if line.on_site)
    para(doc, f"Tổng số: {len(data.lines)} cơ quan, trong đó {on_site} cơ quan kiểm tra tại chỗ.", italic=True,
         space_before=4)
    _section(doc, "III. NỘI DUNG KIỂM TRA")
    text_block(doc, "Theo các nội dung quy định tại Điều 12 Quyết định số 19/2014/QĐ-TTg: phạm vi áp dụng, đào tạo, "
                    "sự phù hợp của hệ thống, việc áp dụng các quy trình, đánh giá nội bộ, xem xét của lãnh đạo, hành "
                    "động khắc phục, giải quyết phản ánh, kiến nghị, cải tiến, công bố và cập nhật thay đổi văn bản "
                    "quy phạm pháp luật.")
    _section(doc, "IV. TỔ CHỨC THỰC HIỆN")
    text_block(doc, "Các cơ quan được kiểm tra chuẩn bị hồ sơ, tài liệu theo nội dung kiểm tra và cử đại diện làm "
                    "việc với đoàn kiểm tra; báo cáo kết quả khắc phục trong thời hạn 02 tháng kể từ ngày ký biên bản.")
    signature_block(doc, None, ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)


def _team_table(doc, team, width) -> None:
    grid_table(doc, ["STT", "Họ và tên", "Chức vụ, đơn vị", "Nhiệm vụ"],
               [(str(i), m.name, m.position, ROLES.get(m.role, m.role)) for i, m in enumerate(team, start=1)],
               [12, 60, width - 12 - 60 - 30, 30], aligns=[CENTER, LEFT, LEFT, CENTER])


def decision_docx(data: DecisionDoc) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.issuer, data.on, width, number=data.number)
    title(doc, "Quyết định", f"Về việc kiểm tra việc áp dụng, duy trì và cải tiến {QMS}")
    text_block(doc, "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ "
                    "thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, "
                    "tổ chức thuộc hệ thống hành chính nhà nước;\nCăn cứ Thông tư số 26/2014/TT-BKHCN ngày "
                    "10/10/2014 của Bộ trưởng Bộ Khoa học và Công nghệ;\n"
                    f"Căn cứ Kế hoạch kiểm tra năm {data.year} số {data.plan_number or '……'};")
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, space_before=6, space_after=6)
    form = "tại chỗ" if data.on_site else "qua hồ sơ"
    text_block(doc, f"Điều 1. Kiểm tra {form} việc áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng tại "
                    f"{data.agency} trong tháng {data.month}/{data.year}.\nĐiều 2. Thành lập Đoàn kiểm tra gồm các "
                    "ông (bà) có tên sau:")
    _team_table(doc, data.team, width)
    text_block(doc, "Điều 3. Đoàn kiểm tra có trách nhiệm kiểm tra theo nội dung quy định tại Điều 12 Quyết định số "
                    "19/2014/QĐ-TTg, lập biên bản kiểm tra và báo cáo kết quả. Đoàn tự giải thể sau khi hoàn thành "
                    f"nhiệm vụ.\nĐiều 4. Quyết định có hiệu lực kể từ ngày ký. Trưởng đoàn kiểm tra, các thành viên "
                    f"Đoàn và {data.agency} chịu trách nhiệm thi hành Quyết định này.")
    signature_block(doc, None, ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)


def minutes_docx(data: MinutesDoc) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    if data.draft:
        watermark(doc.sections[0].header.paragraphs[0], "DỰ THẢO")
    heading_block(doc, data.issuer, data.on or datetime.date.today(), width)
    title(doc, "Biên bản kiểm tra", f"Việc áp dụng, duy trì và cải tiến {QMS}")
    text_block(doc, f"Thực hiện Quyết định kiểm tra số {data.decision_number or '……'} ngày {_day(data.decision_on)}, "
                    f"hôm nay, ngày {_day(data.inspected_on)}, Đoàn kiểm tra đã tiến hành kiểm tra "
                    f"{'tại chỗ' if data.on_site else 'qua hồ sơ'} tại {data.agency}.")
    _section(doc, "I. THÀNH PHẦN")
    para(doc, "1. Đoàn kiểm tra:", italic=True, keep_with_next=True)
    _team_table(doc, data.team, width)
    para(doc, f"2. Đại diện cơ quan được kiểm tra: {data.representative or '……'}", italic=True, space_before=4)
    _section(doc, "II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA")
    grid_table(doc, ["STT", "Nội dung kiểm tra", "Kết quả", "Bằng chứng, ghi chú"],
               [(str(i), line.point, line.result, "\n".join(p for p in (line.evidence, line.note) if p))
                for i, line in enumerate(data.lines, start=1)],
               [12, 62, 24, width - 98], aligns=[CENTER, LEFT, CENTER, LEFT])
    _section(doc, "III. KẾT LUẬN")
    text_block(doc, data.conclusion or "……")
    _section(doc, "IV. KIẾN NGHỊ")
    if data.findings:
        grid_table(doc, ["Số", "Điểm không phù hợp phải khắc phục", "Hạn báo cáo khắc phục"],
                   [(f.code, f.description, date_text(f.due_on)) for f in data.findings],
                   [30, width - 30 - 36, 36], aligns=[CENTER, LEFT, CENTER])
        para(doc, f"Cơ quan được kiểm tra báo cáo kết quả khắc phục trong thời hạn 02 tháng kể từ ngày ký biên bản "
                  f"(trước ngày {_day(data.answer_due)}).", space_before=4)
    else:
        text_block(doc, "Không có điểm không phù hợp phải khắc phục.")
    para(doc, "Biên bản được lập thành 02 bản, mỗi bên giữ 01 bản.", italic=True, space_before=6)
    signature_block(doc, ("Đại diện cơ quan được kiểm tra", _signer(data.representative)),
                    ("Trưởng đoàn kiểm tra", _signer(next((m.name for m in data.team if m.role == "leader"), ""))),
                    width)
    page_footer(doc)
    return to_bytes(doc)


def _signer(name: str) -> Signer:
    return Signer(name=name)


def _figures(doc, figures, width) -> None:
    # The page links each figure to its list in eISO; on paper a web address means nothing to the
    # reader, so the printed table has the figure and its value only.
    grid_table(doc, ["STT", "Nội dung", "Kết quả"],
               [(str(i), f.label, f.value) for i, f in enumerate(figures, start=1)],
               [12, width - 12 - 50, 50], aligns=[CENTER, LEFT, CENTER])


def annual_report_docx(data: AnnualReportDoc) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    heading_block(doc, data.agency, data.on, width, number=blank_number(data.agency, "BC"))
    title(doc, "Báo cáo", f"Tình hình xây dựng, áp dụng, duy trì và cải tiến {QMS} năm {data.year}")
    _section(doc, "I. KẾT QUẢ ÁP DỤNG, DUY TRÌ VÀ CẢI TIẾN")
    _figures(doc, data.figures, width)
    _section(doc, "II. KẾT QUẢ KIỂM TRA CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    text_block(doc, "\n".join(f"- {line}" for line in data.inspections) or "Trong năm chưa được kiểm tra.")
    _section(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ")
    text_block(doc, "……\n……")
    signature_block(doc, None, ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)


def province_report_docx(data: ProvinceReportDoc) -> bytes:
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.issuer, data.on, width, number=blank_number(data.issuer, "BC"))
    title(doc, "Báo cáo", f"Tình hình áp dụng, duy trì và cải tiến {QMS} tại các cơ quan hành chính nhà nước "
                          f"trên địa bàn {data.province} năm {data.year}")
    para(doc, "Kính gửi: Bộ Khoa học và Công nghệ", align=CENTER, space_after=8)
    _section(doc, "I. TÌNH HÌNH CHUNG")
    _figures(doc, data.totals, width)
    _section(doc, "II. KẾT QUẢ TẠI TỪNG CƠ QUAN")
    widths = [12, width - 12 - 8 * 22 - 26, 22, 22, 22, 22, 22, 22, 22, 22, 26]
    grid_table(doc, ["STT", "Cơ quan", "TTHC áp dụng", "Quy trình hiệu lực", "Đánh giá nội bộ gần nhất",
                     "Mục tiêu đạt", "HĐKP đang mở", "HĐKP quá hạn", "Đúng hạn", "Hài lòng", "Đánh giá"],
               [(str(i), a.agency, a.tthc, str(a.procedures), a.last_audit, a.objectives, str(a.open_actions),
                 str(a.overdue_actions), a.on_time, a.satisfaction, a.compliance)
                for i, a in enumerate(data.agencies, start=1)],
               widths, aligns=[CENTER, LEFT] + [CENTER] * 9, size=10)
    _section(doc, "III. KẾT QUẢ KIỂM TRA")
    if data.inspections:
        grid_table(doc, ["STT", "Cơ quan được kiểm tra", "Hình thức", "Ngày biên bản", "Điểm không phù hợp"],
                   [(str(i), *row) for i, row in enumerate(data.inspections, start=1)],
                   [12, width - 12 - 30 - 30 - 40, 30, 30, 40], aligns=[CENTER, LEFT, CENTER, CENTER, CENTER])
    else:
        text_block(doc, "Chưa có cuộc kiểm tra nào có biên bản trong năm.")
    _section(doc, "IV. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ")
    text_block(doc, "……\n……")
    signature_block(doc, None, ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)


def _figure_sheet(title: str, figures) -> SheetSpec:
    return SheetSpec(title, ["STT", "Nội dung", "Kết quả"], [8, 70, 20],
                     [(i, f.label, f.value) for i, f in enumerate(figures, start=1)], centered=(0, 2))


def annual_report_xlsx(data: AnnualReportDoc) -> bytes:
    """The annual report's figures and inspections as a workbook (the same content as the Word file)."""
    name = f"Báo cáo {QMS} năm {data.year}"
    return tables_workbook(title=name, agency=data.agency.name, sheets=[
        _figure_sheet("Kết quả", data.figures),
        SheetSpec("Kiểm tra", ["STT", "Kết quả kiểm tra của Sở Khoa học và Công nghệ"], [8, 100],
                  [(i, line) for i, line in enumerate(data.inspections, start=1)], centered=(0,)),
    ])


def province_report_xlsx(data: ProvinceReportDoc) -> bytes:
    """The province report's totals, agencies and inspections as a workbook (as in the Word file)."""
    name = f"Báo cáo {QMS} {data.province} năm {data.year}"
    return tables_workbook(title=name, agency=data.issuer.name, sheets=[
        _figure_sheet("Tình hình chung", data.totals),
        SheetSpec("Từng cơ quan", ["STT", "Cơ quan", "Cấp", "TTHC áp dụng", "Quy trình hiệu lực",
                                   "Đánh giá nội bộ gần nhất", "Mục tiêu đạt", "HĐKP đang mở", "HĐKP quá hạn",
                                   "Đúng hạn", "Hài lòng", "Đánh giá", "Kiểm tra"],
                  [8, 40, 16, 12, 12, 16, 12, 12, 12, 12, 12, 16, 30],
                  [(i, a.agency, a.level, a.tthc, a.procedures, a.last_audit, a.objectives, a.open_actions,
                    a.overdue_actions, a.on_time, a.satisfaction, a.compliance, a.inspection)
                   for i, a in enumerate(data.agencies, start=1)], centered=(0, *range(3, 12))),
        SheetSpec("Kết quả kiểm tra", ["STT", "Cơ quan được kiểm tra", "Hình thức", "Ngày biên bản",
                                       "Điểm không phù hợp"], [8, 40, 16, 16, 20],
                  [(i, *row) for i, row in enumerate(data.inspections, start=1)], centered=(0, 2, 3, 4)),
    ])


def tthc_report_docx(data: TthcReportDoc) -> bytes:
    doc = new_document(landscape=True)
    width = text_width_mm(doc)
    heading_block(doc, data.issuer, data.on, width, number=blank_number(data.issuer, "BC"))
    title(doc, "Báo cáo", f"Tình hình, kết quả giải quyết thủ tục hành chính kỳ {data.period} ({data.scope})")
    para(doc, "Biểu số 06a/VPCP/KSTT (Thông tư số 01/2020/TT-VPCP)", italic=True, align=RIGHT, space_after=4)
    headers = ["STT", "Lĩnh vực", "Tổng số tiếp nhận", "Kỳ trước chuyển qua", "Trực tuyến", "Trực tiếp",
               "Bưu chính", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết", "Trong hạn",
               "Quá hạn"]
    rows = []
    for i, line in enumerate(data.lines, start=1):
        rows.append((str(i), line.field, line.received, line.carried_over, line.online, line.direct, line.postal,
                     line.resolved, line.early, line.on_time, line.late, line.in_progress, line.within_time,
                     line.overdue))
    total = ["", "Tổng cộng"] + [sum(r[k] for r in rows) for k in range(2, len(headers))]
    rows = [tuple(str(v) for v in r) for r in (*rows, total)]
    grid_table(doc, headers, rows, [12, width - 12 - 12 * 17] + [17] * 12, aligns=[CENTER, LEFT] + [CENTER] * 12,
               size=10)
    signature_block(doc, None, ("Thủ trưởng cơ quan", data.signer), width)
    page_footer(doc)
    return to_bytes(doc)

