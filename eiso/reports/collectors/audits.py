"""An internal audit as its plan and report print it (always in Vietnamese). The audit comes from
``audit_get_for_user``; its findings are those ``user`` may read."""

from django.utils import timezone, translation

from eiso.audits import selectors
from eiso.audits.choices import FindingKind
from eiso.organizations.choices import Role
from eiso.reports.collectors.common import agency_heading
from eiso.reports.content import AuditForm, AuditTeamRow, FindingRow, Signer
from eiso.reports.vocabulary import AUDIT_TEAM_ROLES, FINDING_KINDS


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _unit_name(user) -> str:
    m = user.membership
    return m.unit.name if m and m.unit else ""


def collect_audit(user, audit) -> AuditForm:
    """The audit's plan and, once there are some, the findings ``user`` may read. Each form carries
    its own date, not the day it is printed: the plan the day it was drawn up (at the latest the
    first audit day), the report the day it was made (else the last audit day)."""
    with translation.override("vi"):
        team = [AuditTeamRow(name=_name(audit.lead_auditor), role="Trưởng đoàn", unit=_unit_name(audit.lead_auditor))]
        team += [AuditTeamRow(name=_name(m.user), role=AUDIT_TEAM_ROLES.get(m.role, m.role), unit=_unit_name(m.user))
                 for m in audit.members.select_related("user")]
        findings = selectors.findings_for_user(user, audit=audit)
        stats = selectors.statistics_of(findings)
        rows = [FindingRow(code=f.code, kind=FINDING_KINDS[f.kind], clause=f.clause.code, unit=f.unit.name,
                           description=f.description, evidence=f.evidence,
                           procedure=f"{f.admin_procedure.code} {f.admin_procedure.name}" if f.admin_procedure else "")
                for f in findings.order_by("number")]
        by_kind = [(FINDING_KINDS[FindingKind(kind).value], n) for kind, n in stats["by_kind"]]
        head = (audit.agency.memberships.filter(valid_to__isnull=True, role_rows__role=Role.AGENCY_HEAD)
                .select_related("user").first())
        progress = selectors.checklist_progress(audit)
        return AuditForm(
            agency=agency_heading(audit.agency), code=audit.code, title=audit.title,
            planned_on=min(timezone.localdate(audit.created_at), audit.start_date),
            reported_on=timezone.localdate(audit.reported_at) if audit.reported_at else audit.end_date,
            objectives=audit.objectives, criteria=audit.criteria, start_date=audit.start_date,
            end_date=audit.end_date, units=tuple(u.name for u in audit.units.order_by("name")),
            procedures=tuple(f"{p.code} {p.name}" for p in audit.admin_procedures.order_by("code")),
            clauses=tuple(c.code for c in audit.clauses.order_by("sort_key")), team=tuple(team),
            lead=Signer(name=_name(audit.lead_auditor)),
            approver=Signer(name=_name(head.user)) if head else Signer(),
            conclusion=audit.conclusion, findings=tuple(rows), by_kind=tuple(by_kind),
            by_clause=tuple(stats["by_clause"]), by_unit=tuple(stats["by_unit"]),
            checklist_total=progress["total"], checklist_answered=progress["answered"],
        )
