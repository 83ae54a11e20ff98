"""The documented information as printed: a procedure, its revision history, the internal
document register, a unit's file list, the files past retention, the external document register.

Every object is reached through the selectors of its app (``*_get_for_user`` raise NotFound
outside the user's scope); what hangs off a scoped object (a document's legal basis, forms and
record types) is read from that object. No layout touches the ORM.
"""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from eiso.core.errors import NotFound
from eiso.documents.choices import DocumentKind, ExternalDocumentStatus, RevisionStatus
from eiso.documents.models import Document
from eiso.documents.periods import is_past_retention, retention_ends
from eiso.documents.selectors.external import external_documents_for_user
from eiso.documents.selectors.records import files_of, records_past_retention
from eiso.documents.selectors.revisions import (
    current_revision,
    documents_for_user,
    revision_get_for_user,
    revisions_of,
)
from eiso.procedures.selectors import current_definition
from eiso.reports.collectors.common import agency_head, agency_heading, heading_agency, name, signer, today
from eiso.reports.content import (
    MARK_DRAFT,
    MARK_OBSOLETE,
    DisposalList,
    DisposalRow,
    DocumentRegister,
    ExternalRegister,
    ExternalRow,
    FileListData,
    FileRow,
    FormRef,
    HistoryRow,
    ProcedureData,
    RecordRef,
    Reference,
    RegisterRow,
    RevisionHistory,
    Step,
)
from eiso.reports.vocabulary import (
    DOCUMENT_KINDS,
    EXTERNAL_STATUSES,
    EXTERNAL_TYPES,
    REVISION_STATUSES,
    date_text,
    issue_text,
    retention_text,
)

_TYPE_ORDER = ["law", "resolution", "decree", "decision", "circular", "standard", "other"]


# --- procedures ------------------------------------------------------------------------------------------


def procedure_revision(user, document: Document, revision_pk=None):
    """The revision to print: the one asked for (of this document), else the effective one, else
    the newest."""
    if revision_pk not in (None, ""):
        revision = revision_get_for_user(user, revision_pk)
        if revision.document_id != document.pk:
            raise NotFound()
        return revision
    revision = current_revision(document) or revisions_of(document).first()
    if revision is None:
        raise NotFound(_("This document has no revision yet."))
    return revision


def _mark(document: Document, revision) -> tuple[str, str]:
    if revision.status in (RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN):
        current = current_revision(document)
        if revision.status == RevisionStatus.WITHDRAWN:
            note = "Tài liệu đã bị hủy bỏ"
        elif current is not None:
            note = f"Đã được thay thế bởi lần ban hành {issue_text(current.issue_number)}"
            if current.effective_date:
                note += f" (hiệu lực {date_text(current.effective_date)})"
        else:
            note = "Đã được thay thế"
        return MARK_OBSOLETE, note
    if revision.status in (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.REVIEWED):
        return MARK_DRAFT, "Bản dự thảo, chưa được phê duyệt"
    return "", ""


def _reference(external) -> Reference:
    status = ""
    if external.status == ExternalDocumentStatus.EXPIRED:
        status = "hết hiệu lực"
        if external.replaced_by_id:
            status += f", thay thế bởi {external.replaced_by.number}"
    elif external.status == ExternalDocumentStatus.PARTLY_AMENDED:
        status = "đã được sửa đổi, bổ sung"
    doc_type = "" if external.doc_type == "other" else EXTERNAL_TYPES.get(external.doc_type, "")
    return Reference(number=external.number, title=external.title, doc_type=doc_type, status=status)


def step_duration(hours) -> str:
    """A step allowance as the procedure prints it: whole working days when it is a multiple of
    8 working hours, else working hours (Vietnamese decimal comma)."""
    hours = Decimal(hours)
    if hours > 0 and hours % 8 == 0:
        return f"{int(hours // 8)} ngày làm việc"
    text = f"{hours.normalize():f}".replace(".", ",")
    return f"{text} giờ làm việc"


def _steps(document: Document) -> tuple[Step, ...]:
    """The step table (Bước | Trách nhiệm | Thời gian | Biểu mẫu/Kết quả) from the current process."""
    definition = current_definition(document)
    if definition is None:
        return ()
    return tuple(
        Step(
            number=str(s.number),
            action=s.name,
            responsible=" – ".join(t for t in (s.unit.name if s.unit else "", s.responsible) if t),
            duration=step_duration(s.allowance_hours),
            result=" / ".join(t for t in (s.form_code, s.result) if t),
        )
        for s in definition.steps.all()
    )


def collect_procedure(user, document: Document, revision_pk=None) -> ProcedureData:
    """``document`` comes from ``document_get_for_user``; the revision is checked to be its own."""
    revision = procedure_revision(user, document, revision_pk)
    sections = revision.sections or {}
    externals = sorted(
        document.legal_basis.select_related("replaced_by"),
        key=lambda e: (
            _TYPE_ORDER.index(e.doc_type) if e.doc_type in _TYPE_ORDER else 99,
            e.issued_on or datetime.date.min,
            e.number,
        ),
    )
    forms = document.attachments.filter(kind=DocumentKind.FORM).order_by("code")
    records = document.record_types.select_related("responsible_unit").order_by("code")
    mark, note = _mark(document, revision)
    return ProcedureData(
        agency=agency_heading(document.agency),
        code=document.code,
        title=document.title,
        issue_number=revision.issue_number,
        effective_date=revision.effective_date,
        purpose=str(sections.get("purpose", "")),
        scope=str(sections.get("scope", "")),
        definitions=str(sections.get("definitions", "")),
        content=str(sections.get("content", "")) or revision.content,
        references=tuple(_reference(e) for e in externals),
        steps=_steps(document),
        forms=tuple(FormRef(code=f.code, title=f.title) for f in forms),
        records=tuple(
            RecordRef(
                code=r.code,
                name=r.name,
                place=r.storage_place or (r.responsible_unit.name if r.responsible_unit else ""),
                retention=retention_text(r.retention_years),
                responsible=r.responsible_unit.name if r.responsible_unit else "",
            )
            for r in records
        ),
        drafted_by=signer(revision.drafted_by),
        reviewed_by=signer(revision.reviewed_by),
        approved_by=signer(revision.approved_by),
        change_summary=revision.change_summary,
        mark=mark,
        mark_note=note,
    )


def collect_history(user, document: Document) -> RevisionHistory:
    rows = tuple(
        HistoryRow(
            issue_number=r.issue_number,
            date=r.effective_date,
            change_summary=r.change_summary,
            drafted_by=name(r.drafted_by),
            reviewed_by=name(r.reviewed_by),
            approved_by=name(r.approved_by),
            status=REVISION_STATUSES.get(r.status, r.status),
        )
        for r in revisions_of(document)
    )
    return RevisionHistory(
        agency=agency_heading(document.agency),
        code=document.code,
        title=document.title,
        rows=rows,
        on=today(),
    )


# --- the document register -----------------------------------------------------------------------------


NOT_ISSUED = {True: "Đang soạn thảo", False: "Chưa có lần ban hành còn hiệu lực"}


def collect_register(
    user, *, q: str = "", kind: str = "", unit: str = "", status: str = "", agency: str = ""
) -> DocumentRegister:
    heading = heading_agency(user, agency)
    # In the register's order (policy, objectives, manual, system procedures, operational procedures,
    # forms…, then code): the selector's.
    documents = list(documents_for_user(user, q=q, kind=kind, unit=unit, status=status, agency=str(heading.pk)))
    rows, drafts = [], []
    for document in documents:
        effective = document.effective_revisions[0] if document.effective_revisions else None
        row = RegisterRow(
            code=document.code,
            title=document.title,
            kind=DOCUMENT_KINDS.get(document.kind, document.kind),
            unit=document.owner_unit.name if document.owner_unit else "",
            issue_number=effective.issue_number if effective else None,
            effective_date=effective.effective_date if effective else None,
            status="" if effective else NOT_ISSUED[document.has_open_revision],
        )
        (rows if effective else drafts).append(row)
    filters = []
    if kind:
        filters.append(f"loại: {DOCUMENT_KINDS.get(kind, kind)}")
    if unit:
        names = {str(d.owner_unit_id): d.owner_unit.name for d in documents if d.owner_unit}
        filters.append(f"đơn vị: {names.get(str(unit), unit)}")
    if status:
        filters.append(
            {
                "effective": "đang hiệu lực",
                "draft": "đang soạn thảo",
                "none": "chưa có hoặc hết hiệu lực",
            }.get(status, status)
        )
    if q:
        filters.append(f"từ khóa “{q}”")
    on = today()
    note = f"(Cập nhật đến ngày {date_text(on)}" + (f"; {', '.join(filters)})" if filters else ")")
    return DocumentRegister(
        agency=agency_heading(heading),
        rows=tuple(rows),
        drafts=tuple(drafts),
        on=on,
        signer=agency_head(user, heading),
        note=note,
    )


# --- records -------------------------------------------------------------------------------------------


def collect_filelist(user, file_list) -> FileListData:
    """``file_list`` comes from ``file_list_get_for_user``."""
    on = today()
    files = list(files_of(file_list))
    grouped = any(f.record_type_id for f in files)

    def heading(f) -> str:
        if not grouped:
            return ""
        return f"{f.record_type.code} — {f.record_type.name}" if f.record_type else "Hồ sơ khác"

    if grouped:
        files.sort(key=lambda f: (f.record_type is None, f.record_type.code if f.record_type else "", f.code))
    rows = []
    for f in files:
        if f.disposed_on:
            note = f"Đã tiêu hủy ngày {date_text(f.disposed_on)}"
        elif is_past_retention(f.closed_on, f.retention_years, on):
            note = "Hết thời hạn bảo quản"
        elif f.closed_on is None:
            note = "Đang lập"
        else:
            note = ""
        rows.append(
            FileRow(
                code=f.code,
                title=f.title,
                retention=retention_text(f.retention_years),
                keeper=f.keeper,
                location=f.location,
                note=note,
                heading=heading(f),
            )
        )
    return FileListData(
        agency=agency_heading(file_list.agency),
        unit=file_list.unit.name,
        year=file_list.year,
        rows=tuple(rows),
        on=on,
        approved_by=signer(file_list.approved_by),
    )


def collect_disposal(user, *, agency: str = "", unit: str = "", q: str = "") -> DisposalList:
    heading = heading_agency(user, agency)
    on = today()
    files = records_past_retention(user, on, agency=str(heading.pk), unit=unit, q=q)
    rows = tuple(
        DisposalRow(
            code=f.code,
            title=f.title,
            unit=f.file_list.unit.name,
            year=f.file_list.year,
            retention=retention_text(f.retention_years),
            closed_on=f.closed_on,
            expired_on=retention_ends(f.closed_on, f.retention_years),
            location=f.location,
        )
        for f in files
    )
    return DisposalList(agency=agency_heading(heading), rows=rows, on=on)


def collect_external(
    user, *, q: str = "", doc_type: str = "", status: str = "", agency: str = ""
) -> ExternalRegister:
    heading = heading_agency(user, agency)
    externals = external_documents_for_user(
        user, q=q, doc_type=doc_type, status=status, agency=str(heading.pk)
    ).prefetch_related(
        Prefetch("cited_by", queryset=Document.objects.only("pk", "code").order_by("code"), to_attr="citing")
    )
    rows = tuple(
        ExternalRow(
            number=e.number,
            doc_type=EXTERNAL_TYPES.get(e.doc_type, e.doc_type),
            title=e.title,
            issuer=e.issuer,
            issued_on=e.issued_on,
            effective_on=e.effective_on,
            expires_on=e.expires_on,
            status=EXTERNAL_STATUSES.get(e.status, e.status),
            replaced_by=e.replaced_by.number if e.replaced_by_id else "",
            cited_by=", ".join(d.code for d in e.citing),
        )
        for e in externals
    )
    return ExternalRegister(agency=agency_heading(heading), rows=rows, on=today())
