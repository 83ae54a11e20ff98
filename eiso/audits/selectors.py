"""Scoped reads of audit programmes, audits, checklists and findings.

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
Findings are narrower: see ``findings_for_user``.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from eiso.audits.choices import ChecklistAnswer
from eiso.audits.clauses import DEFAULT_EDITION
from eiso.audits.models import (
    Audit,
    AuditProgramme,
    AuditTeamMember,
    ChecklistFile,
    ChecklistItem,
    Clause,
    ClauseEdition,
    ClauseExclusion,
    EditionAdoption,
    Finding,
    ProgrammeEntry,
)
from eiso.audits.permissions import policy
from eiso.audits.planning import finding_statistics, progress
from eiso.core.errors import NotFound
from eiso.core.selectors import get_or_404
from eiso.core.text import fold, is_id
from eiso.organizations.choices import Role
from eiso.organizations.models import Membership, User

QMS_READERS = (Role.AGENCY_HEAD, Role.QMS_SECRETARY, Role.STEERING_MEMBER, Role.AUDITOR)




def by_agency(qs, agency: str, field: str = "agency"):
    if not agency:
        return qs
    return qs.filter(**{f"{field}_id": int(agency)}) if is_id(agency) else qs.filter(**{f"{field}__code": agency})


# --- clauses ---------------------------------------------------------------------------------------

def editions():
    return ClauseEdition.objects.order_by("code")


def edition_get(code: str) -> ClauseEdition:
    """An edition by its code ("2015"); NotFound otherwise."""
    edition = ClauseEdition.objects.filter(code=str(code)[:4]).first()
    if edition is None:
        raise NotFound()
    return edition


def edition_adoptions(agency):
    return EditionAdoption.objects.filter(agency=agency).select_related("edition", "recorded_by")


def current_edition(agency) -> ClauseEdition:
    """The edition the agency's QMS follows: its latest adoption, else the default (2015)."""
    adoption = edition_adoptions(agency).first() if agency is not None else None
    return adoption.edition if adoption else ClauseEdition.objects.get(code=DEFAULT_EDITION)


def clauses(edition=None):
    """The clauses of an edition (the default one, 2015, when not given), in the standard's order."""
    if edition is None:
        return Clause.objects.filter(edition__code=DEFAULT_EDITION).order_by("sort_key")
    return Clause.objects.filter(edition=edition).order_by("sort_key")


def clause_exclusions(agency):
    return ClauseExclusion.objects.filter(agency=agency).select_related("clause", "declared_by")


def applicable_clauses(agency):
    """The clauses of the agency's current edition, less those it declared not applicable."""
    return clauses(current_edition(agency)).exclude(
        pk__in=ClauseExclusion.objects.filter(agency=agency).values("clause_id"))


# --- programmes ------------------------------------------------------------------------------------

def programmes_for_user(user, *, q: str = "", year: str = "", agency: str = ""):
    qs = (policy.filter(user, "view_auditprogramme", AuditProgramme.objects)
          .select_related("agency")
          .annotate(audit_count=Count("audits", distinct=True),
                    closed_count=Count("audits", filter=Q(audits__status="closed"), distinct=True)))
    if q:
        qs = qs.filter(title_folded__contains=fold(q.strip()))
    if year and str(year).isdigit():
        qs = qs.filter(year=int(year))
    qs = by_agency(qs, agency)
    return qs.order_by("-year", "agency__name")


def programme_get_for_user(user, pk) -> AuditProgramme:
    return get_or_404(programmes_for_user(user), pk)


def programme_years(user) -> list[int]:
    return list(policy.filter(user, "view_auditprogramme", AuditProgramme.objects)
                .order_by("-year").values_list("year", flat=True).distinct())


def entries_of(programme):
    return ProgrammeEntry.objects.filter(programme=programme).select_related("unit", "admin_procedure")


# --- audits ----------------------------------------------------------------------------------------

def audits_for_user(user, *, q: str = "", status: str = "", year: str = "", agency: str = "",
                    programme=None):
    qs = (policy.filter(user, "view_audit", Audit.objects)
          .select_related("agency", "programme", "lead_auditor")
          .annotate(finding_count=Count("findings", distinct=True)))
    if q:
        qs = qs.filter(title_folded__contains=fold(q.strip()))
    if status:
        qs = qs.filter(status=status)
    if year and str(year).isdigit():
        qs = qs.filter(programme__year=int(year))
    if programme is not None:
        qs = qs.filter(programme=programme)
    qs = by_agency(qs, agency)
    return qs.order_by("-start_date", "-id")


def audit_get_for_user(user, pk) -> Audit:
    qs = audits_for_user(user).prefetch_related(
        "units", "admin_procedures", "clauses",
        Prefetch("members", queryset=AuditTeamMember.objects.select_related("user")))
    return get_or_404(qs, pk)


def auditors_of(agency):
    """People of the agency holding the internal auditor role (choices of a team), with their unit."""
    return (User.objects.filter(memberships__agency=agency, memberships__valid_to__isnull=True,
                                memberships__role_rows__role=Role.AUDITOR, is_active=True)
            .distinct().order_by("full_name", "username"))


def units_of_people(user_ids) -> dict:
    """user id → the unit id of their active membership (None without a unit)."""
    rows = Membership.objects.filter(user_id__in=list(user_ids), valid_to__isnull=True).values_list(
        "user_id", "unit_id")
    return dict(rows)


# --- checklist -------------------------------------------------------------------------------------

def checklist_of(audit):
    return (ChecklistItem.objects.filter(audit=audit)
            .select_related("clause", "admin_procedure", "answered_by")
            .prefetch_related("files")
            .annotate(finding_count=Count("findings")))


def clause_exclusion_get_for_user(user, pk) -> ClauseExclusion:
    qs = policy.filter(user, "view_clauseexclusion", ClauseExclusion.objects).select_related(
        "clause", "agency")
    return get_or_404(qs, pk)


def programme_entry_get_for_user(user, pk) -> ProgrammeEntry:
    qs = policy.filter(user, "view_auditprogramme", ProgrammeEntry.objects).select_related(
        "programme", "programme__agency")
    return get_or_404(qs, pk)


def checklist_file_get_for_user(user, pk) -> ChecklistFile:
    qs = policy.filter(user, "view_audit", ChecklistFile.objects).select_related(
        "item__audit")
    return get_or_404(qs, pk)


def checklist_item_get_for_user(user, pk) -> ChecklistItem:
    qs = policy.filter(user, "view_audit", ChecklistItem.objects).select_related(
        "audit", "audit__agency", "audit__programme", "clause", "admin_procedure")
    return get_or_404(qs, pk)


def checklist_progress(audit) -> dict:
    return progress(ChecklistItem.objects.filter(audit=audit).values_list("answer", flat=True))


ANSWERS = ChecklistAnswer


# --- findings --------------------------------------------------------------------------------------

def _finding_scope(user):
    """The findings ``user`` may read: province for overseers, the agency's QMS people and audit
    teams, and a unit head's own unit. Mirrors the ``audits.view_finding`` rule."""
    base = policy.filter(user, "view_audit", Finding.objects)
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser or user.has_role(Role.OVERSEER, Role.ADMIN):
        return base
    m = user.membership
    if m is None:
        return base.none()
    if user.has_role(*QMS_READERS):
        return base.filter(audit__agency=m.agency_id)
    team = AuditTeamMember.objects.filter(audit=OuterRef("audit"), user=user)
    condition = Q(audit__lead_auditor=user) | Exists(team)
    if user.has_role(Role.UNIT_HEAD) and m.unit_id:
        condition |= Q(unit_id=m.unit_id)
    return base.filter(audit__agency=m.agency_id).filter(condition)


def findings_for_user(user, *, audit=None, kind: str = "", unit: str = "", clause: str = "", q: str = "",
                      agency: str = ""):
    qs = _finding_scope(user).select_related(
        "audit", "audit__programme", "audit__agency", "clause", "unit", "admin_procedure", "document",
        "created_by")
    if audit is not None:
        qs = qs.filter(audit=audit)
    if kind:
        qs = qs.filter(kind=kind)
    if is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if clause:
        qs = qs.filter(clause__code=clause)
    if q:
        qs = qs.filter(Q(description__icontains=q.strip()) | Q(evidence__icontains=q.strip()))
    qs = by_agency(qs, agency, "audit__agency")
    return qs.order_by("-audit__start_date", "audit_id", "number")


def finding_get_for_user(user, pk) -> Finding:
    return get_or_404(findings_for_user(user), pk)


def statistics_of(findings) -> dict:
    return finding_statistics(findings.values_list("kind", "clause__code", "unit__name"))
