"""Who may do what with internal audits: the audits app's scope policy.

Everyone in an agency reads its audit programmes and audits; overseers read the province and
change nothing. The ISO secretary and the agency head plan programmes and audits and declare
clauses not applicable. The audit team (the lead auditor and the members) fill the checklist and
raise findings. Findings are read by the agency's QMS people (head, secretary, steering committee,
auditors), the audit team, the overseers, and a unit head for the findings about their unit.
"""

from eiso.core.policy import HasRole, InOwnUnit, Related, Rule, ScopePolicy, UserIs
from eiso.documents.permissions import agency_is_active
from eiso.organizations.choices import Role
from eiso.organizations.permissions import (
    can_manage_own_agency,
    can_read_province,
    can_view,
    is_superuser,
    is_unit_head,
    same_agency,
)


def _team_rows():
    from eiso.audits.models import AuditTeamMember

    return AuditTeamMember.objects.all()


is_lead_auditor = UserIs("lead_auditor", via="audit")
# The lead auditor or a member of the audit's team (each model declares its `audit`).
in_audit_team = is_lead_auditor | Related("audit", _team_rows, fk="audit")
heads_unit_of = InOwnUnit()  # the finding is about the user's unit
is_qms_reader = HasRole(Role.AGENCY_HEAD, Role.QMS_SECRETARY, Role.STEERING_MEMBER, Role.AUDITOR)
planners = can_manage_own_agency

AGENCY, PROGRAMME, AUDIT = "organizations.Agency", "audits.AuditProgramme", "audits.Audit"
FIELDWORK = (AUDIT, "audits.ChecklistItem", "audits.ChecklistFile")

policy = ScopePolicy("audits", {
    "view_auditprogramme": Rule(can_view, takes=(PROGRAMME, "audits.ProgrammeEntry")),
    "view_audit": Rule(can_view, takes=(*FIELDWORK, "audits.AuditTeamMember")),
    "view_clauseexclusion": Rule(can_view, takes=("audits.ClauseExclusion",)),
    # add_auditprogramme and change_clauseexclusion take the agency; the others their object.
    "add_auditprogramme": Rule(is_superuser | (planners & agency_is_active), takes=(AGENCY,)),
    "change_auditprogramme": Rule(is_superuser | planners, takes=(PROGRAMME,)),
    "add_audit": Rule(is_superuser | planners, takes=(PROGRAMME,)),
    "change_audit": Rule(is_superuser | planners, takes=(AUDIT,)),
    "view_editionadoption": Rule(can_view, takes=("audits.EditionAdoption",)),
    # the agency records the ISO 9001 edition it follows (takes the agency)
    "change_editionadoption": Rule(is_superuser | (planners & agency_is_active), takes=(AGENCY,)),
    "change_clauseexclusion": Rule(is_superuser | (planners & agency_is_active),
                                   takes=(AGENCY, "audits.ClauseExclusion")),
    # start, report, close, reopen: the planners, or the lead auditor
    "transition_audit": Rule(is_superuser | planners | (is_lead_auditor & same_agency), takes=(AUDIT,)),
    "fill_checklist": Rule(is_superuser | (in_audit_team & same_agency), takes=FIELDWORK),
    "add_finding": Rule(is_superuser | (in_audit_team & same_agency), takes=FIELDWORK),
    # view_finding takes a finding (an audit: may the user read all of its findings?)
    "view_finding": Rule(is_superuser | can_read_province
                         | (same_agency & (is_qms_reader | in_audit_team))
                         | (same_agency & is_unit_head & heads_unit_of), takes=("audits.Finding", AUDIT)),
})
