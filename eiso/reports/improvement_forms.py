"""The corrective action request (Phiếu yêu cầu hành động khắc phục) as Word.

``corrective_action_data`` reads one action into plain data, ``corrective_action_docx`` lays it
out with the building blocks of ``eiso.reports.word`` (NĐ 30/2020 page, heading block, grid
tables, signatures), and ``correctiveaction_docx`` is the download view.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from eiso.core.downloads import attachment_response as _attachment
from eiso.core.downloads import filename_for
from eiso.improvements.selectors import corrective_action_get_for_user
from eiso.reports.content import AgencyHeading, Signer
from eiso.reports.data import agency_heading
from eiso.reports.views import scoped_get
from eiso.reports.vocabulary import date_text
from eiso.reports.word import (
    CENTER,
    DOCX_CONTENT_TYPE,
    JUSTIFY,
    LEFT,
    _heading_block,
    _page_footer,
    _para,
    _signature_block,
    _text_block,
    _title,
    grid_table,
    new_document,
    text_width_mm,
    to_bytes,
)

SOURCES_VI = {"audit": "Đánh giá nội bộ", "late_dossier": "Hồ sơ giải quyết quá hạn",
              "complaint": "Phản ánh, kiến nghị của tổ chức, cá nhân", "inspection": "Kiểm tra, thanh tra",
              "staff": "Cán bộ, công chức phát hiện"}
STATUS_VI = {"open": "Chưa có hành động", "action_planned": "Đang thực hiện", "implemented": "Đã thực hiện, chờ "
             "kiểm tra hiệu lực", "verified_effective": "Đã kiểm tra: có hiệu lực", "closed": "Đã kết thúc"}


@dataclass(frozen=True)
class VerificationRow:
    on: datetime.date
    by: str
    effective: bool
    note: str


@dataclass(frozen=True)
class CorrectiveActionData:
    agency: AgencyHeading
    on: datetime.date
    code: str
    source: str
    clause: str
    unit: str
    procedure: str
    detected_on: datetime.date
    description: str
    status: str
    correction: str
    whys: tuple[str, ...]
    root_cause: str
    action_plan: str
    owner: str
    due_on: datetime.date
    evidence: str
    implemented_on: datetime.date | None
    verifier: str
    verification_due_on: datetime.date | None
    verifications: tuple[VerificationRow, ...]
    closed_on: datetime.date | None
    requested_by: Signer
    owner_signer: Signer


def _name(user) -> str:
    return (user.full_name or user.get_username()) if user else ""


def corrective_action_data(action, on: datetime.date | None = None) -> CorrectiveActionData:
    nc = action.nonconformity
    procedure = ""
    if nc.admin_procedure_id:
        procedure = f"{nc.admin_procedure.code} {nc.admin_procedure.name}"
    elif nc.document_id:
        procedure = f"{nc.document.code} {nc.document.title}"
    verifications = tuple(VerificationRow(v.verified_on, _name(v.verified_by), v.effective, v.note)
                          for v in action.verifications.select_related("verified_by").order_by("verified_on", "id"))
    return CorrectiveActionData(
        agency=agency_heading(action.agency), on=on or timezone.localdate(), code=nc.code,
        source=SOURCES_VI.get(nc.source, nc.source), clause=nc.clause, unit=nc.unit.name if nc.unit_id else "",
        procedure=procedure, detected_on=nc.detected_on, description=nc.description,
        status=STATUS_VI.get(nc.status, nc.status), correction=action.correction, whys=tuple(action.whys or ()),
        root_cause=action.root_cause, action_plan=action.action_plan, owner=_name(action.owner),
        due_on=action.due_on, evidence=action.evidence, implemented_on=action.implemented_on,
        verifier=_name(action.verifier), verification_due_on=action.verification_due_on,
        verifications=verifications, closed_on=action.closed_on,
        requested_by=Signer(name=_name(action.created_by)), owner_signer=Signer(name=_name(action.owner)))


def _section(doc, text: str) -> None:
    _para(doc, text, bold=True, space_before=8, space_after=2, keep_with_next=True)


def _two_columns(doc, rows, width: float) -> None:
    grid_table(doc, ["Nội dung", "Thông tin"], rows, [width * 0.32, width * 0.68], aligns=[LEFT, JUSTIFY])


def corrective_action_docx(data: CorrectiveActionData) -> bytes:
    doc = new_document()
    width = text_width_mm(doc)
    _heading_block(doc, data.agency, data.on, width)
    _title(doc, "Phiếu yêu cầu hành động khắc phục", f"Số: {data.code}")

    _section(doc, "1. Mô tả sự không phù hợp")
    _two_columns(doc, [
        ("Nguồn phát hiện", data.source),
        ("Điều khoản TCVN ISO 9001:2015", data.clause),
        ("Đơn vị", data.unit or "—"),
        ("Quy trình / thủ tục", data.procedure or "—"),
        ("Ngày phát hiện", date_text(data.detected_on)),
    ], width)
    _text_block(doc, data.description)

    _section(doc, "2. Hành động khắc phục tức thời (khắc phục)")
    _text_block(doc, data.correction or "Không có.")

    _section(doc, "3. Nguyên nhân gốc rễ")
    if data.whys:
        grid_table(doc, ["Lần hỏi", "Tại sao?"], [(str(i), w) for i, w in enumerate(data.whys, start=1)],
                   [22, width - 22], aligns=[CENTER, JUSTIFY])
    _para(doc, "Nguyên nhân gốc rễ: " + data.root_cause, space_before=4)

    _section(doc, "4. Hành động khắc phục")
    _text_block(doc, data.action_plan)
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
        _para(doc, "Kết quả kiểm tra:", italic=True, space_before=4, space_after=2, keep_with_next=True)
        grid_table(doc, ["Ngày kiểm tra", "Người kiểm tra", "Kết luận", "Ghi chú"],
                   [(date_text(v.on), v.by, "Có hiệu lực" if v.effective else "Không hiệu lực", v.note)
                    for v in data.verifications],
                   [28, 45, 30, width - 103], aligns=[CENTER, LEFT, CENTER, JUSTIFY])
    closed = f"Đã kết thúc ngày {date_text(data.closed_on)}." if data.closed_on else f"Tình trạng: {data.status}."
    _para(doc, closed, italic=True, space_before=4)

    _signature_block(doc, ("Người thực hiện", data.owner_signer), ("Người yêu cầu", data.requested_by), width)
    _page_footer(doc)
    return to_bytes(doc)


@scoped_get(corrective_action_get_for_user)
def correctiveaction_docx(request, action):
    content = corrective_action_docx(corrective_action_data(action))
    return _attachment(content, DOCX_CONTENT_TYPE,
                       filename_for("Phiếu yêu cầu HĐKP", action.nonconformity.code, extension="docx"))
