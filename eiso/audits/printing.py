"""Plain data of the audit plan and report for ``eiso.reports.audit_forms`` (always in Vietnamese)."""

from django.utils import timezone, translation

from eiso.audits import selectors
from eiso.audits.choices import FindingKind
from eiso.organizations.choices import Role
from eiso.reports.audit_forms import AuditForm, AuditTeamRow, FindingRow, audit_plan_docx, audit_report_docx
from eiso.reports.content import Signer
from eiso.reports.data import agency_heading

# Printed forms are always Vietnamese, whatever the UI language and the state of the catalogue.
KIND_VI = {"major_nc": "Không phù hợp nặng", "minor_nc": "Không phù hợp nhẹ", "observation": "Điểm lưu ý",
           "opportunity": "Cơ hội cải tiến"}
ROLE_VI = {"auditor": "Thành viên", "trainee": "Chuyên gia tập sự", "expert": "Chuyên gia kỹ thuật"}


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _unit_name(user) -> str:
    m = user.membership
    return m.unit.name if m and m.unit else ""


def audit_form_data(audit, user, *, on=None) -> AuditForm:
    """The audit's plan and, once there are some, the findings ``user`` may read."""
    with translation.override("vi"):
        team = [AuditTeamRow(name=_name(audit.lead_auditor), role="Trưởng đoàn", unit=_unit_name(audit.lead_auditor))]
        team += [AuditTeamRow(name=_name(m.user), role=ROLE_VI.get(m.role, m.role), unit=_unit_name(m.user))
                 for m in audit.members.select_related("user")]
        findings = selectors.findings_for_user(user, audit=audit)
        stats = selectors.statistics_of(findings)
        rows = [FindingRow(code=f.code, kind=KIND_VI[f.kind], clause=f.clause.code, unit=f.unit.name,
                           description=f.description, evidence=f.evidence,
                           procedure=f"{f.admin_procedure.code} {f.admin_procedure.name}" if f.admin_procedure else "")
                for f in findings.order_by("number")]
        by_kind = [(KIND_VI[FindingKind(kind).value], n) for kind, n in stats["by_kind"]]
        head = (audit.agency.memberships.filter(valid_to__isnull=True, role_rows__role=Role.AGENCY_HEAD)
                .select_related("user").first())
        progress = selectors.checklist_progress(audit)
        return AuditForm(
            agency=agency_heading(audit.agency), on=on or timezone.localdate(), code=audit.code, title=audit.title,
            objectives=audit.objectives, criteria=audit.criteria, start_date=audit.start_date,
            end_date=audit.end_date, units=[u.name for u in audit.units.order_by("name")],
            procedures=[f"{p.code} {p.name}" for p in audit.admin_procedures.order_by("code")],
            clauses=[c.code for c in audit.clauses.order_by("sort_key")], team=team,
            lead=Signer(name=_name(audit.lead_auditor)),
            approver=Signer(name=_name(head.user)) if head else Signer(),
            conclusion=audit.conclusion, findings=rows, by_kind=by_kind, by_clause=stats["by_clause"],
            by_unit=stats["by_unit"], checklist_total=progress["total"], checklist_answered=progress["answered"],
        )


def plan_docx(audit, user) -> bytes:
    return audit_plan_docx(audit_form_data(audit, user))


def report_docx(audit, user) -> bytes:
    return audit_report_docx(audit_form_data(audit, user))
