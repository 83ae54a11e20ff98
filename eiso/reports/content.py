"""What each printed document holds: frozen dataclasses of plain values, no ORM.

Every printed form comes in this one shape: ``eiso.reports.collectors`` reads one of these from
the database (through the apps' selectors), and a pure layout of ``eiso.reports.layouts`` turns it
into bytes; tests and the bench build them by hand. Every text is what appears in the output
(Vietnamese), already worded; dates stay ``datetime.date`` (and moments local ``datetime``) and
are formatted by the layouts.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

# Printed marks (DOMAIN.md §3: an obsolete revision carries a visible mark wherever it is shown).
MARK_OBSOLETE = "HẾT HIỆU LỰC"
MARK_DRAFT = "DỰ THẢO"


@dataclass(frozen=True)
class AgencyHeading:
    """Who issues the document: the name and the body it belongs to (cơ quan chủ quản), and the
    place name used in the date line (``Nghệ An, ngày … tháng … năm …``)."""

    name: str
    parent_name: str = ""
    place: str = ""
    code: str = ""  # the agency's symbol in document numbers (``05/QĐ-STP``)


@dataclass(frozen=True)
class Signer:
    name: str = ""
    position: str = ""


# --- documented information ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A referenced (legal) document: ``Nghị định 118/2025/NĐ-CP`` + its title."""

    number: str
    title: str
    doc_type: str = ""
    status: str = ""  # printed only when the document is no longer in force


@dataclass(frozen=True)
class Step:
    """One row of the step table: Bước | Trách nhiệm | Thời gian | Biểu mẫu/Kết quả."""

    number: str
    action: str
    responsible: str = ""
    duration: str = ""
    result: str = ""


@dataclass(frozen=True)
class FormRef:
    code: str
    title: str


@dataclass(frozen=True)
class RecordRef:
    """A record the procedure keeps (section 7)."""

    code: str
    name: str
    place: str = ""
    retention: str = ""  # "05 năm", "Vĩnh viễn"
    responsible: str = ""


@dataclass(frozen=True)
class ProcedureData:
    """One revision of a procedure, as the 7-section layout of DOMAIN.md §4 prints it."""

    agency: AgencyHeading
    code: str
    title: str
    issue_number: int
    effective_date: datetime.date | None = None
    purpose: str = ""
    scope: str = ""
    definitions: str = ""
    content: str = ""
    references: tuple[Reference, ...] = ()
    steps: tuple[Step, ...] = ()
    forms: tuple[FormRef, ...] = ()
    records: tuple[RecordRef, ...] = ()
    drafted_by: Signer = field(default_factory=Signer)
    reviewed_by: Signer = field(default_factory=Signer)
    approved_by: Signer = field(default_factory=Signer)
    change_summary: str = ""
    mark: str = ""  # MARK_OBSOLETE, MARK_DRAFT or ""
    mark_note: str = ""  # e.g. "Đã được thay thế bởi lần ban hành 3 (hiệu lực 01/7/2025)"


@dataclass(frozen=True)
class RegisterRow:
    """One line of the internal document register (Danh mục tài liệu nội bộ)."""

    code: str
    title: str
    kind: str
    unit: str = ""
    issue_number: int | None = None
    effective_date: datetime.date | None = None
    status: str = ""  # of a document not issued: in drafting, or nothing in force


@dataclass(frozen=True)
class DocumentRegister:
    """The register lists the issued documents (a revision in force) in ``rows``; the others, in
    drafting or with nothing in force, are listed apart in ``drafts``."""

    agency: AgencyHeading
    rows: tuple[RegisterRow, ...]
    on: datetime.date
    signer: Signer = field(default_factory=Signer)
    note: str = ""  # the filters applied, when any
    drafts: tuple[RegisterRow, ...] = ()


@dataclass(frozen=True)
class HistoryRow:
    issue_number: int
    date: datetime.date | None
    change_summary: str
    drafted_by: str = ""
    reviewed_by: str = ""
    approved_by: str = ""
    status: str = ""


@dataclass(frozen=True)
class RevisionHistory:
    agency: AgencyHeading
    code: str
    title: str
    rows: tuple[HistoryRow, ...]
    on: datetime.date


@dataclass(frozen=True)
class FileRow:
    """One coded file of a unit's file list (Danh mục hồ sơ)."""

    code: str
    title: str
    retention: str = ""
    keeper: str = ""
    location: str = ""
    note: str = ""
    heading: str = ""  # the group (record type / procedure) the file sits under, when grouped


@dataclass(frozen=True)
class FileListData:
    agency: AgencyHeading
    unit: str
    year: int
    rows: tuple[FileRow, ...]
    on: datetime.date
    approved_by: Signer = field(default_factory=Signer)
    prepared_by: Signer = field(default_factory=Signer)


@dataclass(frozen=True)
class DisposalRow:
    code: str
    title: str
    unit: str = ""
    year: int | None = None
    retention: str = ""
    closed_on: datetime.date | None = None
    expired_on: datetime.date | None = None
    location: str = ""


@dataclass(frozen=True)
class DisposalList:
    agency: AgencyHeading
    rows: tuple[DisposalRow, ...]
    on: datetime.date


@dataclass(frozen=True)
class ExternalRow:
    number: str
    doc_type: str
    title: str
    issuer: str = ""
    issued_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    status: str = ""
    replaced_by: str = ""
    cited_by: str = ""  # codes of the procedures citing it


@dataclass(frozen=True)
class ExternalRegister:
    agency: AgencyHeading
    rows: tuple[ExternalRow, ...]
    on: datetime.date


# --- dossiers (Thông tư 01/2018/TT-VPCP) -------------------------------------------------------------------


@dataclass(frozen=True)
class SlipRow:
    """One hand-over: who gives the dossier to whom, when, and how the giver's step ended."""

    number: int
    giver: str
    receiver: str
    step_name: str
    handed_at: datetime.datetime | None  # local time
    due_at: datetime.datetime | None
    result: str = ""  # early / on_time / late / ""


@dataclass(frozen=True)
class ControlSlip:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    agency: AgencyHeading
    code: str
    applicant: str
    procedure: str
    received_at: datetime.datetime
    due_at: datetime.datetime | None
    rows: tuple[SlipRow, ...] = ()
    new_due_at: datetime.datetime | None = None  # the apology letter's new appointment, when there is one


@dataclass(frozen=True)
class ApologyLetter:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    agency: AgencyHeading
    code: str
    applicant: str
    procedure: str
    received_at: datetime.datetime
    due_at: datetime.datetime
    reason: str
    new_due_at: datetime.datetime
    issued_on: datetime.date
    signer: Signer = field(default_factory=Signer)


# --- internal audits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditTeamRow:
    name: str
    role: str
    unit: str


@dataclass(frozen=True)
class FindingRow:
    code: str
    kind: str
    clause: str
    unit: str
    description: str
    evidence: str = ""
    procedure: str = ""


@dataclass(frozen=True)
class AuditForm:
    """An audit as its plan (kế hoạch đánh giá nội bộ) and its report (báo cáo) print it."""

    agency: AgencyHeading
    planned_on: datetime.date  # the plan's date: when it was drawn up, at the latest the first audit day
    reported_on: datetime.date  # the report's date: when it was made, else the last audit day
    code: str
    title: str
    objectives: str
    criteria: str
    start_date: datetime.date
    end_date: datetime.date
    units: tuple[str, ...]
    procedures: tuple[str, ...]
    clauses: tuple[str, ...]
    team: tuple[AuditTeamRow, ...]
    lead: Signer
    approver: Signer = field(default_factory=Signer)
    conclusion: str = ""
    findings: tuple[FindingRow, ...] = ()
    by_kind: tuple[tuple[str, int], ...] = ()
    by_clause: tuple[tuple[str, int], ...] = ()
    by_unit: tuple[tuple[str, int], ...] = ()
    checklist_total: int = 0
    checklist_answered: int = 0


# --- corrective actions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerificationRow:
    on: datetime.date
    by: str
    effective: bool
    note: str


@dataclass(frozen=True)
class CorrectiveActionRequest:
    """Phiếu yêu cầu hành động khắc phục: the nonconformity and its corrective action. ``on`` is the
    request's own date (the nonconformity's), ``number`` its number in the agency's style, ``code``
    the nonconformity's code."""

    agency: AgencyHeading
    on: datetime.date
    number: str
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
    verifier_signer: Signer = field(default_factory=Signer)
    approver: Signer = field(default_factory=Signer)  # the head who approves the request


@dataclass(frozen=True)
class ObjectiveRow:
    title: str
    indicator: str
    target: str  # "≥ 98 %"
    frequency: str
    plan_what: str
    plan_who: str
    plan_when: str
    plan_resources: str
    results: tuple[str, ...]  # one line per measured period: "Q1/2026: 76,9 % (30/39) — không đạt"
    verdict: str  # "Đạt", "Không đạt", "Chưa có số liệu"


@dataclass(frozen=True)
class ObjectivesTable:
    """Mục tiêu chất lượng năm …: the year's objectives with their plan, then their results."""

    agency: AgencyHeading
    year: int
    on: datetime.date
    rows: tuple[ObjectiveRow, ...]
    signer: Signer = field(default_factory=Signer)


# --- 5S ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FivesAnswerRow:
    text: str
    points: int
    score: int
    passed: bool
    remark: str
    photo: bool
    photo_bytes: bytes | None = None  # a JPEG or PNG printed under the tables (WebP is not: Word cannot show it)


@dataclass(frozen=True)
class FivesSection:
    name: str  # "1. Sàng lọc"
    scored: int
    possible: int
    percent: str  # "84,0 %"
    answers: tuple[FivesAnswerRow, ...]


@dataclass(frozen=True)
class FivesInspectionSheet:
    """Phiếu đánh giá 5S: one area's inspection, the items grouped by S, the score per S and in total."""

    agency: AgencyHeading
    on: datetime.date
    unit: str
    area: str
    day: datetime.date
    inspector: str
    status: str
    sections: tuple[FivesSection, ...]
    total: str  # "102/125 điểm — 81,6 %"
    note: str = ""
    unit_head: Signer = field(default_factory=Signer)


@dataclass(frozen=True)
class FivesRankRow:
    rank: int
    unit: str
    score: str  # "84,0 %"
    inspections: int
    latest: str  # "86,0 % (12/03/2026)"
    score_value: Decimal | None = None  # the same figures as numbers, for Excel
    latest_value: Decimal | None = None
    latest_day: datetime.date | None = None


@dataclass(frozen=True)
class FivesRanking:
    """Bảng xếp hạng 5S của các đơn vị, quý …: the units by their mean score, with the rewards."""

    agency: AgencyHeading
    on: datetime.date
    period: str  # "Quý 1 năm 2026"
    rows: tuple[FivesRankRow, ...]
    rewards: tuple[str, ...] = ()
    signer: Signer = field(default_factory=Signer)


# --- QMS rollout --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloutPhaseRow:
    number: int
    name: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    finished_on: datetime.date | None
    status: str  # worded: "Đang thực hiện"


@dataclass(frozen=True)
class RolloutUnitRow:
    """One drafting unit's procedures (or the whole registry's, for the total row)."""

    unit: str
    total: int
    issued: int
    in_review: int
    drafting: int
    not_started: int
    overdue: int


@dataclass(frozen=True)
class RolloutItemRow:
    number: int
    title: str
    unit: str
    deadline: datetime.date | None
    status: str  # worded
    note: str = ""  # "Quá hạn 12 ngày", "QT-05 ban hành 10/11/2026"


@dataclass(frozen=True)
class RolloutReport:
    """Báo cáo tiến độ xây dựng HTQLCL tháng …: the monthly progress report to the steering
    committee, as of the end of the month (or today, for the current month)."""

    agency: AgencyHeading
    on: datetime.date
    year: int
    month: int
    as_of: datetime.date
    title: str
    committee: str  # "Ban chỉ đạo ISO …", or ""
    started_on: datetime.date
    target_on: datetime.date
    consultant: str
    decision: str  # "Quyết định số 12/QĐ-UBND ngày 05/09/2026 của …", or ""
    current_phase: str
    phases: tuple[RolloutPhaseRow, ...]
    units: tuple[RolloutUnitRow, ...]
    total: RolloutUnitRow
    overdue: tuple[RolloutItemRow, ...]
    issued_in_month: tuple[RolloutItemRow, ...]
    due_next_month: tuple[RolloutItemRow, ...]
    gap: str = ""  # "Khảo sát ngày …: 20 điều khoản đáp ứng, 8 đáp ứng một phần, 3 chưa đáp ứng"
    secretary: Signer = field(default_factory=Signer)
    signer: Signer = field(default_factory=Signer)


# --- management review -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class MinutesSection:
    """One input group (9.3.2 a–f): its figures as "label: value" lines, its tables, entered text."""

    title: str
    lines: tuple[str, ...] = ()
    tables: tuple[MinutesTable, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ReviewOutputRow:
    kind: str
    description: str
    owner: str
    due_on: str
    status: str


@dataclass(frozen=True)
class ReviewMinutes:
    """Biên bản họp xem xét của lãnh đạo: the meeting, its inputs, its outputs, its conclusions."""

    agency: AgencyHeading
    on: datetime.date
    location: str
    chair: Signer
    secretary: Signer
    participants: tuple[str, ...]
    period: str
    frozen: bool
    sections: tuple[MinutesSection, ...]
    outputs: tuple[ReviewOutputRow, ...]
    no_action_needed: bool
    conclusions: str
    approved: str = ""  # "Đã được Thủ trưởng phê duyệt ngày …" once approved
# --- training ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingPlanRow:
    title: str
    kind: str
    provider: str
    dates: str  # "10/03/2026 – 12/03/2026"
    hours: str  # "16"
    sessions: int
    present: int
    invited: int


@dataclass(frozen=True)
class TrainingPlan:
    """Kế hoạch đào tạo năm …: the courses of the year, with who was trained."""

    agency: AgencyHeading
    year: int
    on: datetime.date
    rows: tuple[TrainingPlanRow, ...]
    signer: Signer = field(default_factory=Signer)


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    position: str
    unit: str
    status: str  # "Có mặt", "Vắng", "" (not recorded: signed on paper)


@dataclass(frozen=True)
class AttendanceList:
    """Danh sách học viên tham dự: one session of a course, a line per person to sign."""

    agency: AgencyHeading
    course: str
    kind: str
    date: datetime.date
    place: str
    trainer: str
    briefed: str  # "QT-05 … (lần ban hành 2)" for a briefing, else ""
    on: datetime.date
    rows: tuple[AttendanceRow, ...]
