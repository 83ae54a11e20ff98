"""The Vietnamese words printed on official documents, whatever the reader's UI language.

A printed procedure, register or form is an administrative document in Vietnamese (Nghị định
30/2020): its fixed texts are part of the document, like its content, not UI labels, so they are
not translated through gettext. The keys are the codes of each app's ``choices``.
"""

import datetime
import unicodedata

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

DOCUMENT_KINDS = {
    "policy": "Chính sách chất lượng",
    "objectives": "Mục tiêu chất lượng",
    "manual": "Sổ tay chất lượng",
    "system_procedure": "Quy trình hệ thống",
    "operational_procedure": "Quy trình nội bộ",
    "form": "Biểu mẫu",
    "guideline": "Hướng dẫn",
    "job_description": "Bản mô tả công việc",
    "plan": "Kế hoạch",
    "other": "Tài liệu khác",
}

REVISION_STATUSES = {
    "draft": "Dự thảo",
    "in_review": "Đang xem xét",
    "reviewed": "Chờ phê duyệt",
    "approved": "Đã phê duyệt",
    "effective": "Đang hiệu lực",
    "superseded": "Hết hiệu lực (đã thay thế)",
    "withdrawn": "Hết hiệu lực (đã hủy bỏ)",
}

EXTERNAL_TYPES = {
    "law": "Luật",
    "decree": "Nghị định",
    "circular": "Thông tư",
    "decision": "Quyết định",
    "resolution": "Nghị quyết",
    "standard": "Tiêu chuẩn",
    "other": "Khác",
}

EXTERNAL_STATUSES = {
    "in_force": "Còn hiệu lực",
    "partly_amended": "Sửa đổi một phần",
    "expired": "Hết hiệu lực",
    "not_yet": "Chưa có hiệu lực",
}

# Internal audits
FINDING_KINDS = {
    "major_nc": "Không phù hợp nặng",
    "minor_nc": "Không phù hợp nhẹ",
    "observation": "Điểm lưu ý",
    "opportunity": "Cơ hội cải tiến",
}
AUDIT_TEAM_ROLES = {"auditor": "Thành viên", "trainee": "Chuyên gia tập sự", "expert": "Chuyên gia kỹ thuật"}

# Nonconformities and corrective actions
NONCONFORMITY_SOURCES = {
    "audit": "Đánh giá nội bộ",
    "late_dossier": "Hồ sơ giải quyết quá hạn",
    "complaint": "Phản ánh, kiến nghị của tổ chức, cá nhân",
    "inspection": "Kiểm tra, thanh tra",
    "staff": "Cán bộ, công chức phát hiện",
}
NONCONFORMITY_STATUSES = {
    "open": "Chưa có hành động",
    "action_planned": "Đang thực hiện",
    "implemented": "Đã thực hiện, chờ kiểm tra hiệu lực",
    "verified_effective": "Đã kiểm tra: có hiệu lực",
    "closed": "Đã kết thúc",
}

# Dossiers (Thông tư 01/2018/TT-VPCP)
DOSSIER_RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
DOSSIER_STATUSES = {
    "new": "Mới",
    "accepted": "Đã tiếp nhận",
    "not_accepted": "Không tiếp nhận",
    "in_progress": "Đang giải quyết",
    "supplement_requested": "Yêu cầu bổ sung",
    "payment_requested": "Chờ thanh toán",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng xử lý",
    "processed": "Đã xử lý, chờ trả",
    "returned": "Đã trả kết quả",
}
BLANK_MOMENT = "…giờ…phút, ngày…/…/……"


def nfc(text) -> str:
    """Text as composed Unicode (``ủ`` one code point): fonts and Word expect it."""
    return unicodedata.normalize("NFC", str(text)) if text else ""


def date_text(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def dated_line(place: str, on: datetime.date) -> str:
    """``Nghệ An, ngày 05 tháng 3 năm 2026`` (NĐ 30/2020: a day below 10 and the months 1 and 2
    take a leading zero)."""
    day = f"{on.day:02d}"
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    prefix = f"{place}, ngày" if place else "Ngày"
    return f"{prefix} {day} tháng {month} năm {on.year}"


def moment_text(value: datetime.datetime | None) -> str:
    """``10 giờ 00 phút, ngày 13/02/2026`` (a local time), or the blank of the printed form."""
    if value is None:
        return BLANK_MOMENT
    return f"{value.hour:02d} giờ {value.minute:02d} phút, ngày {date_text(value.date())}"


def retention_text(years: int | None) -> str:
    return "Vĩnh viễn" if years is None else f"{years:02d} năm"


def issue_text(number: int | None) -> str:
    return f"{number:02d}" if number else ""
