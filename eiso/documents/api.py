"""API endpoints of documented information: documents, revisions and their workflow, the external
(legal) document register, and search.

As in the organisation API: endpoints parse input, read through the selectors (an object of another
agency reads exactly like one that does not exist), write through the services (which check
permissions, keep the workflow rules and leave audit rows), and answer errors as JSON.
"""

import datetime
from typing import Annotated, Literal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from eiso.core.errors import Forbidden, NotFound, ValidationFailed
from eiso.core.glossary import codes_described
from eiso.core.policy import require
from eiso.documents.choices import (
    OPEN_STATUSES,
    DocumentKind,
    ExternalDocumentStatus,
    ExternalDocumentType,
    RevisionStatus,
)
from eiso.documents.models import Document, DocumentRevision, ExternalDocument
from eiso.documents.selectors import external as external_selectors
from eiso.documents.selectors import revisions as selectors
from eiso.documents.selectors.search import SEARCH_KINDS, search_for_user
from eiso.documents.services import external as external_services
from eiso.documents.services import revisions as services
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Body, Day, Pagination, Text, UnitRef
from eiso.organizations.selectors import agencies_for_user, units_for_user

router = Router(tags=["documents"])

MAX_FILES = 20


# --- output --------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    full_name: str


class DocumentRef(Schema):
    id: int
    code: str
    title: str


class RevisionRef(Schema):
    id: int
    issue_number: int
    status: str = Field(description=codes_described(RevisionStatus))
    effective_date: Day | None


def _effective(document: Document) -> DocumentRevision | None:
    """The effective revision, from the selectors' prefetch when there is one."""
    prefetched = getattr(document, "effective_revisions", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return selectors.current_revision(document)


class DocumentOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    agency: AgencyRef
    owner_unit: UnitRef | None
    current_revision: RevisionRef | None = Field(description="The effective revision, if any.")
    has_open_revision: bool = Field(description="A revision is being drafted, reviewed or approved.")
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_kind_label(obj: Document) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_current_revision(obj: Document):
        return _effective(obj)

    @staticmethod
    def resolve_has_open_revision(obj: Document) -> bool:
        value = getattr(obj, "has_open_revision", None)
        if value is None:
            value = obj.revisions.filter(status__in=OPEN_STATUSES).exists()
        return bool(value)

    @staticmethod
    def resolve_url(obj: Document) -> str:
        return reverse("documents:document-detail", args=[obj.pk])


class RevisionSummaryOut(Schema):
    id: int
    issue_number: int
    status: str = Field(description=codes_described(RevisionStatus))
    status_label: str
    change_summary: str
    effective_date: Day | None
    drafted_by: PersonRef | None
    reviewed_by: PersonRef | None
    approved_by: PersonRef | None
    approved_at: datetime.datetime | None
    obsolete_at: datetime.datetime | None
    file_count: int

    @staticmethod
    def resolve_status_label(obj: DocumentRevision) -> str:
        return str(obj.get_status_display())


class DocumentDetailOut(DocumentOut):
    parent: DocumentRef | None
    revisions: list[RevisionSummaryOut] = Field(description="Every revision, newest first.")

    @staticmethod
    def resolve_revisions(obj: Document):
        return list(selectors.revisions_of(obj))


class FileOut(Schema):
    id: int
    original_name: str
    file_type: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime


class TransitionOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: PersonRef | None
    at: datetime.datetime
    comment: str


class RevisionOut(Schema):
    id: int
    document: DocumentRef
    agency: AgencyRef
    issue_number: int
    status: str
    status_label: str
    is_obsolete: bool
    change_summary: str
    content: str
    effective_date: Day | None
    drafted_by: PersonRef | None
    reviewed_by: PersonRef | None
    reviewed_at: datetime.datetime | None
    approved_by: PersonRef | None
    approved_at: datetime.datetime | None
    obsolete_at: datetime.datetime | None
    created_at: datetime.datetime
    files: list[FileOut]
    transitions: list[TransitionOut] = Field(description="Who moved it, when, from which status to which.")
    url: str

    @staticmethod
    def resolve_agency(obj: DocumentRevision):
        return obj.document.agency

    @staticmethod
    def resolve_status_label(obj: DocumentRevision) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_files(obj: DocumentRevision):
        return list(obj.files.all())

    @staticmethod
    def resolve_transitions(obj: DocumentRevision):
        return list(obj.transitions.all())

    @staticmethod
    def resolve_url(obj: DocumentRevision) -> str:
        return reverse("documents:revision-detail", args=[obj.pk])


class ExternalDocumentRef(Schema):
    id: int
    number: str


class ExternalDocumentOut(Schema):
    id: int
    number: str
    type: str = Field(description=f"One of: {', '.join(ExternalDocumentType.values)}.")
    title: str
    issuer: str
    issued_on: Day | None
    effective_on: Day | None
    expires_on: Day | None
    status: str
    replaced_by: ExternalDocumentRef | None
    note: str
    agency: AgencyRef

    @staticmethod
    def resolve_type(obj: ExternalDocument) -> str:
        return obj.doc_type


class SearchResultOut(Schema):
    type: str = Field(description=f"What was found: {', '.join(SEARCH_KINDS)}.")
    id: int = Field(description="The id of the document, revision, external document or record.")
    title: str
    url: str
    snippet: str


class SearchOut(Schema):
    results: list[SearchResultOut]
    count: int = Field(description="Hits in all, over every page; counting stops at 1,001, which stands for "
                                   "\"more than 1,000\" (then only the first 1,000 are ranked).")


# --- input ---------------------------------------------------------------------------------------


class DocumentIn(Body):
    code: Text = Field(min_length=1, max_length=60)
    title: Text = Field(min_length=1, max_length=500)
    kind: DocumentKind
    owner_unit: Text | None = Field(None, description="Code of the owning unit, in the user's agency.")


class CommentIn(Body):
    comment: Text = ""


class ExternalDocumentIn(Body):
    number: Text = Field(min_length=1, max_length=100, description="Number and symbol, e.g. 118/2025/NĐ-CP.")
    type: ExternalDocumentType
    title: Text = Field(min_length=1, max_length=500)
    issuer: Text = Field(min_length=1, max_length=200)
    issued_on: Day | None = None
    effective_on: Day | None = None
    expires_on: Day | None = None
    status: ExternalDocumentStatus = ExternalDocumentStatus.IN_FORCE
    replaced_by: Text | None = Field(None, description="Number of the document that replaces it, in the register.")
    note: Text = ""


# --- helpers -------------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _own_agency(user):
    """The agency a user creates things in: their own."""
    agency = user.agency
    if agency is None:
        raise _invalid("agency", _("You do not belong to an agency, so you cannot create documents in one."))
    return agency




# --- documents -----------------------------------------------------------------------------------


@router.get("/documents", response={200: list[DocumentOut], **ERRORS}, summary="Documents I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def document_list(
    request,
    q: Text = "",
    kind: DocumentKind | None = None,
    unit: Annotated[Text, Query("", description="Owning unit: id or code.")] = "",
    status: Annotated[
        Literal["effective", "draft", "none"] | None,
        Query(
            None,
            description="effective: has an effective revision; draft: a revision in the works; none: nothing in force.",
        ),
    ] = None,
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
):
    unit_is_id = unit.isascii() and unit.isdigit() and len(unit) < 19
    qs = selectors.documents_for_user(
        request.auth,
        q=q,
        kind=kind or "",
        unit=unit if unit_is_id else "",
        agency=agency,
        status=status or "",
    )
    if unit and not unit_is_id:
        qs = qs.filter(owner_unit__code=unit)
    return qs


@router.post("/documents", response={201: DocumentDetailOut, **ERRORS}, summary="Create a document")
def document_create(request, payload: DocumentIn):
    user = request.auth
    agency = _own_agency(user)
    require(user, "documents.add_document", Document(agency=agency))
    unit = None
    if payload.owner_unit:
        unit = units_for_user(user, agency=str(agency.pk)).filter(code=payload.owner_unit).first()
        if unit is None:
            raise _invalid(
                "owner_unit",
                _("Unknown unit %(unit)s in %(agency)s.") % {"unit": payload.owner_unit, "agency": agency.code},
            )
    document = services.document_create(
        actor=user, agency=agency, code=payload.code, title=payload.title, kind=payload.kind, owner_unit=unit
    )
    return Status(201, selectors.document_get_for_user(user, document.pk))


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="One document, its revisions and the effective one",
)
def document_detail(request, document_id: int):
    return selectors.document_get_for_user(request.auth, document_id)


@router.post(
    "/documents/{document_id}/revisions",
    response={201: RevisionOut, **ERRORS},
    summary="Draft a new revision with its files (multipart)",
)
def revision_create(
    request,
    document_id: int,
    file: Annotated[
        list[UploadedFile] | None,
        File(None, description=".docx, .pdf or .xlsx files (one or more); checked by content."),
    ] = None,
    change_summary: Annotated[Text, Form("", description="What changed.")] = "",
    effective_date: Annotated[
        Day | None,
        Form(None, description="Planned effective date (default: the day it is approved)."),
    ] = None,
):
    user = request.auth
    document = selectors.document_get_for_user(user, document_id)
    require(user, "documents.add_revision", document)
    files = file or []
    errors = {}
    if not change_summary.strip():
        errors["change_summary"] = [_("Say what changes in this revision.")]
    if not files:
        errors["file"] = [_("Attach at least one .docx, .pdf or .xlsx file.")]
    elif len(files) > MAX_FILES:
        errors["file"] = [_("Attach at most %(n)s files at a time.") % {"n": MAX_FILES}]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)
    prepared = [services.revision_file_prepare(u) for u in files]  # read before the transaction opens
    stored = []
    try:
        with transaction.atomic():  # a bad file leaves no revision (and no other file) behind
            revision = services.revision_create(
                actor=user,
                document=document,
                change_summary=change_summary.strip(),
                effective_date=effective_date,
            )
            for item in prepared:
                attached = services.revision_file_add(actor=user, revision=revision, prepared=item)
                stored.append((attached.file.storage, attached.file.name))
    except Exception:
        for storage, name in stored:  # rolled back: the files already written go too
            storage.delete(name)
        raise
    return Status(201, selectors.revision_get_for_user(user, revision.pk))


# --- revisions -----------------------------------------------------------------------------------


@router.get("/revisions/{revision_id}", response={200: RevisionOut, **ERRORS}, summary="One revision")
def revision_detail(request, revision_id: int):
    return selectors.revision_get_for_user(request.auth, revision_id)


def _comment(payload: CommentIn | None) -> str:
    return payload.comment if payload is not None else ""


@router.post(
    "/revisions/{revision_id}/submit",
    response={200: RevisionOut, **ERRORS},
    summary="Send a draft for review",
)
def revision_submit(request, revision_id: int, payload: CommentIn | None = None):
    revision = selectors.revision_get_for_user(request.auth, revision_id)
    services.revision_submit(actor=request.auth, revision=revision, comment=_comment(payload))
    return selectors.revision_get_for_user(request.auth, revision.pk)


@router.post(
    "/revisions/{revision_id}/approve",
    response={200: RevisionOut, **ERRORS},
    summary="Approve: by the reviewer (records the review), then by the agency head",
)
def revision_approve(request, revision_id: int, payload: CommentIn | None = None):
    revision = selectors.revision_get_for_user(request.auth, revision_id)
    services.revision_approve(actor=request.auth, revision=revision, comment=_comment(payload))
    return selectors.revision_get_for_user(request.auth, revision.pk)


@router.post(
    "/revisions/{revision_id}/return",
    response={200: RevisionOut, **ERRORS},
    summary="Return for changes (the comment says what must change)",
)
def revision_return(request, revision_id: int, payload: CommentIn | None = None):
    revision = selectors.revision_get_for_user(request.auth, revision_id)
    services.revision_return(actor=request.auth, revision=revision, comment=_comment(payload))
    return selectors.revision_get_for_user(request.auth, revision.pk)


class AcknowledgementOut(Schema):
    revision_id: int
    acknowledged_at: datetime.datetime | None = Field(description="When you acknowledged reading it.")


@router.post(
    "/revisions/{revision_id}/acknowledge",
    response={200: AcknowledgementOut, **ERRORS},
    summary="Acknowledge having read an effective revision you are on the distribution list of",
)
def revision_acknowledge(request, revision_id: int):
    user = request.auth
    revision = selectors.revision_get_for_user(user, revision_id)
    entry = revision.distribution.filter(user=user).first()
    if entry is None:
        raise Forbidden(_("You are not on the distribution list of this revision."))
    entry = services.distribution_acknowledge(actor=user, entry=entry)
    return AcknowledgementOut(revision_id=revision.pk, acknowledged_at=entry.acknowledged_at)


# --- the quality policy --------------------------------------------------------------------------


class ReadersOut(Schema):
    total: int = Field(description="People on the distribution list of the revision in force.")
    acknowledged: int
    pending: list[PersonRef] = Field(description="Who has not acknowledged it yet (the first 200).")


class QualityPolicyOut(Schema):
    agency: AgencyRef
    document: DocumentRef
    revision_id: int
    issue_number: int
    effective_date: Day | None
    approved_by: PersonRef | None
    content: str
    url: str
    on_my_list: bool = Field(description="Whether you must read it (you are on its distribution list).")
    acknowledged_at: datetime.datetime | None = Field(description="When you acknowledged it; null: not yet.")
    readers: ReadersOut | None = Field(description="Who has read it: for the ISO secretary, the head and unit "
                                                   "heads; null for the others.")


@router.get(
    "/quality-policy",
    response={200: QualityPolicyOut, **ERRORS},
    summary="The quality policy in force of an agency, and who has acknowledged reading it",
)
def quality_policy(request, agency: Annotated[Text, Query("", description="Agency code (default: your own).")] = ""):
    user = request.auth
    focus = agencies_for_user(user).filter(code=agency).first() if agency else user.agency
    if focus is None:
        raise _invalid("agency", _("Unknown agency: %(code)s") % {"code": agency} if agency
                       else _("Name the agency (its code)."))
    revision = selectors.quality_policy_in_force(user, focus)
    if revision is None:
        raise NotFound(_("%(agency)s has no quality policy in force.") % {"agency": focus.name})
    state = selectors.acknowledgement_state(user, revision, limit=200)
    mine, readers = state["mine"], state["readers"]
    return QualityPolicyOut(
        agency=AgencyRef(id=focus.pk, code=focus.code, name=focus.name),
        document=DocumentRef(id=revision.document.pk, code=revision.document.code, title=revision.document.title),
        revision_id=revision.pk, issue_number=revision.issue_number, effective_date=revision.effective_date,
        approved_by=PersonRef(id=revision.approved_by.pk, full_name=revision.approved_by.full_name)
        if revision.approved_by_id else None,
        content=revision.content, url=reverse("documents:revision-detail", args=[revision.pk]),
        on_my_list=mine is not None, acknowledged_at=mine.acknowledged_at if mine else None,
        readers=ReadersOut(total=readers["total"], acknowledged=readers["done"],
                           pending=[PersonRef(id=p.pk, full_name=p.full_name) for p in readers["pending"]])
        if readers is not None else None)


# --- external documents --------------------------------------------------------------------------


@router.get(
    "/external-documents",
    response={200: list[ExternalDocumentOut], **ERRORS},
    summary="The external (legal) document register",
)
@paginate(Pagination, max_limit=MAX_PAGE)
def external_document_list(
    request,
    q: Text = "",
    type: ExternalDocumentType | None = None,  # noqa: A002
    status: ExternalDocumentStatus | None = None,
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
):
    return external_selectors.external_documents_for_user(
        request.auth, q=q, doc_type=type or "", status=status or "", agency=agency
    )


@router.get(
    "/external-documents/{external_document_id}",
    response={200: ExternalDocumentOut, **ERRORS},
    summary="One external document",
)
def external_document_detail(request, external_document_id: int):
    return external_selectors.external_document_get_for_user(request.auth, external_document_id)


@router.post(
    "/external-documents",
    response={201: ExternalDocumentOut, **ERRORS},
    summary="Add a document to the register",
)
def external_document_create(request, payload: ExternalDocumentIn):
    user = request.auth
    agency = _own_agency(user)
    require(user, "documents.add_externaldocument", agency)
    replaced_by = None
    if payload.replaced_by:
        replaced_by = (
            external_selectors.external_documents_for_user(user)
            .filter(agency=agency, number=payload.replaced_by)
            .first()
        )
        if replaced_by is None:
            raise _invalid("replaced_by", _("%(number)s is not in the register.") % {"number": payload.replaced_by})
    document = external_services.external_document_create(
        actor=user,
        agency=agency,
        number=payload.number,
        doc_type=payload.type,
        title=payload.title,
        issuer=payload.issuer,
        issued_on=payload.issued_on,
        effective_on=payload.effective_on,
        expires_on=payload.expires_on,
        status=payload.status,
        replaced_by=replaced_by,
        note=payload.note,
    )
    return Status(201, external_selectors.external_document_get_for_user(user, document.pk))


# --- search --------------------------------------------------------------------------------------


@router.get(
    "/search",
    response={200: SearchOut, **ERRORS},
    summary="Search documents, revisions, legal documents and records (diacritics and case ignored)",
)
def search(
    request,
    q: Annotated[Text, Query(description="Words to find; `dang ky` finds `Đăng ký`.")],
    type: Annotated[
        Literal["document", "revision", "external", "record"] | None,  # noqa: A002
        Query(None, description="Only this kind of result."),
    ] = None,
    limit: Annotated[int, Query(20, ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(0, ge=0, le=10**6)] = 0,
):
    hits, total = search_for_user(request.auth, q, kinds=[type] if type else None, limit=limit, offset=offset)
    results = []
    for hit in hits:
        try:
            object_id = int(hit.object_id)
        except ValueError:  # every indexed object has an integer key; never fail a search on one
            continue
        results.append({"type": hit.kind, "id": object_id, "title": hit.title, "url": hit.url, "snippet": hit.snippet})
    return {"results": results, "count": total}
