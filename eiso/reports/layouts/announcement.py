"""Quyết định công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001 (the form of QĐ 19/2014/QĐ-TTg,
Phụ lục I), in Word under the official heading (NĐ 30/2020), with its list of the activities covered
(the TTHC, the internal processes, the units) on the next page. A draft prints with a mark across."""

import datetime
from dataclasses import dataclass, field

from docx.enum.text import WD_BREAK

from eiso.reports.content import AgencyHeading, Signer
from eiso.reports.word.blocks import heading_block, page_footer, title, watermark
from eiso.reports.word.page import CENTER, JUSTIFY, LEFT, new_document, text_width_mm, to_bytes
from eiso.reports.word.tables import grid_table, keep_rows_together, no_borders, widths
from eiso.reports.word.text import first_para, para, run

LEGAL_BASIS = (
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về việc áp dụng Hệ "
    "thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt động của các cơ quan, tổ chức "
    "thuộc hệ thống hành chính nhà nước;",
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và Công nghệ quy "
    "định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg;",
)
DOTS = "…………"


@dataclass(frozen=True)
class ScopeProcedure:
    code: str
    name: str
    field: str = ""


@dataclass(frozen=True)
class AnnouncementDecision:
    agency: AgencyHeading
    agency_name: str
    edition: str  # "TCVN ISO 9001:2015"
    number: str = ""  # "15/QĐ-STP"; blank on a draft
    signed_on: datetime.date | None = None
    draft: bool = False
    signer: Signer = field(default_factory=Signer)
    procedures: tuple[ScopeProcedure, ...] = ()
    processes: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    supersedes: str = ""  # "số 3/QĐ-STP ngày 12/03/2024"


def _date_words(on: datetime.date | None) -> str:
    return f"ngày {on.day:02d}/{on.month:02d}/{on.year}" if on else "ngày … tháng … năm …"


def announcement_docx(data: AnnouncementDecision) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    if data.draft:
        watermark(doc.sections[0].header.paragraphs[0], "DỰ THẢO")
    number = data.number or f"{DOTS}/QĐ-{data.agency.code}"
    if data.signed_on:
        heading_block(doc, data.agency, data.signed_on, width, number=number)
    else:
        heading_block(doc, data.agency, datetime.date.today(), width, number=number)
        doc.paragraphs[-1].runs[0].text = f"{data.agency.place}, ngày … tháng … năm …".lstrip(", ")
    title(doc, "Quyết định")
    para(doc, f"Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia {data.edition}",
         bold=True, align=CENTER, space_after=12)
    # the authority that decides: "GIÁM ĐỐC SỞ TƯ PHÁP TỈNH NGHỆ AN", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …"
    head_title = (f"{data.signer.position} {data.agency_name}" if data.signer.position
                  else "Thủ trưởng cơ quan").upper()
    para(doc, head_title, bold=True, align=CENTER, space_after=10)
    for line in (*LEGAL_BASIS,
                 f"Căn cứ {DOTS} quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {data.agency_name};",
                 f"Xét đề nghị của {DOTS},"):
        para(doc, line, italic=True, align=JUSTIFY, space_after=4)
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, space_before=8, space_after=8)
    _article(doc, 1, f"Công bố Hệ thống quản lý chất lượng của {data.agency_name} phù hợp Tiêu chuẩn quốc gia "
                     f"{data.edition} đối với các hoạt động xử lý công việc nêu tại Danh mục kèm theo Quyết định "
                     "này.")
    replaced = f" và thay thế Quyết định {data.supersedes}" if data.supersedes else ""
    _article(doc, 2, f"Quyết định này có hiệu lực kể từ ngày ký{replaced}.")
    _article(doc, 3, f"Lãnh đạo, công chức, viên chức các đơn vị thuộc {data.agency_name} tham gia Hệ thống quản "
                     "lý chất lượng chịu trách nhiệm thi hành Quyết định này.")
    _recipients_and_signature(doc, data, width)
    _scope_list(doc, data, number, width)
    page_footer(doc)
    return to_bytes(doc)


def _article(doc, n: int, text: str) -> None:
    paragraph = para(doc, "", align=JUSTIFY, space_after=6)
    run(paragraph, f"Điều {n}. ", bold=True)
    run(paragraph, text)


def _recipients_and_signature(doc, data: AnnouncementDecision, width: float) -> None:
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    first_para(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
    for line in ("- Như Điều 3;", "- Sở Khoa học và Công nghệ (để báo cáo);",
                 "- Cổng thông tin điện tử của cơ quan;", "- Lưu: VT."):
        para(left, line, size=11, space_after=0)
    first_para(right, (data.signer.position or "Thủ trưởng cơ quan").upper(), bold=True, align=CENTER)
    for _ in range(4):
        para(right, "", space_after=0)
    para(right, data.signer.name, bold=True, align=CENTER, space_after=0)
    widths(table, [width * 0.45, width * 0.55])
    keep_rows_together(table)


def _scope_list(doc, data: AnnouncementDecision, number: str, width: float) -> None:
    para(doc, "", space_after=0).add_run().add_break(WD_BREAK.PAGE)
    para(doc, "DANH MỤC", bold=True, align=CENTER, space_after=0)
    para(doc, "Các hoạt động xử lý công việc thuộc phạm vi áp dụng Hệ thống quản lý chất lượng", bold=True,
         align=CENTER, space_after=0)
    para(doc, f"(Kèm theo Quyết định số {number} {_date_words(data.signed_on)} của {data.agency_name})",
         italic=True, align=CENTER, space_after=10)
    para(doc, "I. Thủ tục hành chính", bold=True, space_after=4, keep_with_next=True)
    if data.procedures:
        grid_table(doc, ["STT", "Mã thủ tục", "Tên thủ tục hành chính", "Lĩnh vực"],
                   [(str(i), p.code, p.name, p.field) for i, p in enumerate(data.procedures, start=1)],
                   [12, 28, width - 12 - 28 - 40, 40], aligns=[CENTER, CENTER, LEFT, LEFT])
    else:
        para(doc, "(Không có)", italic=True)
    para(doc, "II. Quy trình nội bộ", bold=True, space_before=8, space_after=4, keep_with_next=True)
    for i, process in enumerate(data.processes or ("(Không có)",), start=1):
        para(doc, f"{i}. {process}" if data.processes else process, space_after=2)
    para(doc, "III. Đơn vị áp dụng", bold=True, space_before=8, space_after=4, keep_with_next=True)
    para(doc, "; ".join(data.units) + "." if data.units else "(Không có)", align=JUSTIFY)
