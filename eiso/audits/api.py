"""The audits API (django-ninja), mounted by eiso.api: audits and their findings, read-only.

Reads go through the selectors: an audit of another agency reads exactly like one that does not
exist (404); findings are narrower than audits (see ``selectors.findings_for_user``).
"""

import datetime
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from eiso.audits import selectors, services
from eiso.audits.choices import AuditStatus, FindingKind
from eiso.audits.clauses import correspondence
from eiso.core.errors import ValidationFailed
from eiso.core.glossary import codes_described
from eiso.documents.api import DocumentRef, PersonRef  # one schema per name in the OpenAPI document
from eiso.organizations.api import ERRORS, MAX_PAGE, AgencyRef, Day, Pagination, Text, UnitRef

router = Router(tags=["audits"])


class ClauseRef(Schema):
    code: str
    title: str


class ProcedureRef(Schema):
    id: int
    code: str
    name: str


class AuditOut(Schema):
    id: int
    code: str
    title: str
    agency: AgencyRef
    year: int
    status: str = Field(description=codes_described(AuditStatus))
    status_label: str
    start_date: Day
    end_date: Day
    lead_auditor: PersonRef
    url: str

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.programme.year

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("audits:audit-detail", args=[obj.pk])


class TeamMemberOut(Schema):
    user: PersonRef
    role: str


class AuditDetailOut(AuditOut):
    objectives: str
    criteria: str
    conclusion: str
    units: list[UnitRef]
    admin_procedures: list[ProcedureRef]
    clauses: list[ClauseRef]
    team: list[TeamMemberOut]
    team_warnings: list[str] = Field(description="Warnings about the team, e.g. a member with no internal "
                                                 "auditor training on record.")
    checklist: dict

    @staticmethod
    def resolve_units(obj):
        return list(obj.units.all())

    @staticmethod
    def resolve_admin_procedures(obj):
        return list(obj.admin_procedures.all())

    @staticmethod
    def resolve_clauses(obj):
        return list(obj.clauses.all())

    @staticmethod
    def resolve_team(obj):
        return list(obj.members.all())

    @staticmethod
    def resolve_team_warnings(obj) -> list[str]:
        return services.team_advisories(obj)

    @staticmethod
    def resolve_checklist(obj) -> dict:
        progress = selectors.checklist_progress(obj)
        return {"total": progress["total"], "answered": progress["answered"], "percent": progress["percent"]}


class FindingOut(Schema):
    id: int
    code: str
    number: int
    kind: str
    kind_label: str
    clause: ClauseRef
    unit: UnitRef
    admin_procedure: ProcedureRef | None
    document: DocumentRef | None
    description: str
    evidence: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


@router.get("/audits", response={200: list[AuditOut], **ERRORS}, summary="Internal audits I can read")
@paginate(Pagination, max_limit=MAX_PAGE)
def audit_list(
    request,
    q: Text = "",
    status: AuditStatus | None = None,
    year: Annotated[int | None, Query(None, ge=2000, le=2100)] = None,
    agency: Annotated[Text, Query("", description="Agency code.")] = "",
):
    return selectors.audits_for_user(request.auth, q=q, status=status or "", year=str(year or ""), agency=agency)


@router.get("/audits/{audit_id}", response={200: AuditDetailOut, **ERRORS}, summary="One audit: scope and team")
def audit_detail(request, audit_id: int):
    return selectors.audit_get_for_user(request.auth, audit_id)


@router.get("/audits/{audit_id}/findings", response={200: list[FindingOut], **ERRORS},
            summary="The findings of an audit that I may read")
@paginate(Pagination, max_limit=MAX_PAGE)
def audit_findings(request, audit_id: int, kind: FindingKind | None = None):
    audit = selectors.audit_get_for_user(request.auth, audit_id)
    return selectors.findings_for_user(request.auth, audit=audit, kind=kind or "")


# --- ISO 9001 editions ---------------------------------------------------------------------------------

class EditionClauseOut(Schema):
    code: str
    title: str
    title_en: str


class EditionOut(Schema):
    code: str = Field(description="The edition's year: 2008, 2015, 2026.")
    name: str
    provisional: bool = Field(description="True until TCVN adopts the edition: its data may change.")
    note: str
    clauses: list[EditionClauseOut]

    @staticmethod
    def resolve_clauses(obj):
        return list(obj.clauses.order_by("sort_key"))


class CorrespondenceRowOut(Schema):
    from_clause: str | None = Field(description="The clause of the older edition (none for a new clause).")
    to_clause: str
    change: str = Field(description="same · changed · moved (new number) · new")
    note: str
    task: str = Field(description="What a transition to the newer edition asks of the agency, if anything.")


class CorrespondenceOut(Schema):
    from_edition: str
    to_edition: str
    provisional: bool
    rows: list[CorrespondenceRowOut]


EditionCode = Annotated[str, Query(..., pattern=r"^\d{4}$", description="An edition: 2008, 2015, 2026.")]


@router.get("/clause-editions", response={200: list[EditionOut], **ERRORS},
            summary="ISO 9001 editions and their clause titles (never the standard's text)")
def clause_edition_list(request):
    return list(selectors.editions().prefetch_related("clauses"))


@router.get("/clause-editions/correspondence", response={200: CorrespondenceOut, **ERRORS},
            summary="How the clauses of one edition correspond to those of a later one")
def clause_edition_correspondence(request, from_edition: EditionCode, to_edition: EditionCode):
    older, newer = selectors.edition_get(from_edition), selectors.edition_get(to_edition)
    try:
        rows = correspondence(older.code, newer.code)
    except ValueError:
        raise ValidationFailed(_("The correspondence runs from an edition to a later one."),
                               errors={"to_edition": [_("Choose an edition later than %(code)s.")
                                                      % {"code": older.code}]})
    return {"from_edition": older.code, "to_edition": newer.code, "provisional": older.provisional or newer.provisional,
            "rows": [{"from_clause": r["from"], "to_clause": r["to"], "change": r["change"],
                      "note": r.get("note", ""), "task": r.get("task", "")} for r in rows]}
