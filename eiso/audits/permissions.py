"""Who may do what with internal audits (rules predicates).

Everyone in an agency reads its audit programmes and audits; overseers read the province and
change nothing. The ISO secretary and the agency head plan programmes and audits and declare
clauses not applicable. The audit team (the lead auditor and the members) fill the checklist and
raise findings. Findings are read by the agency's QMS people (head, secretary, steering committee,
auditors), the audit team, the overseers, and a unit head for the findings about their unit.
"""

import rules

from eiso.documents.permissions import agency_is_active
from eiso.organizations.choices import Role
from eiso.organizations.permissions import (
    PARENT_RELATIONS,
    _has,
    can_manage_own_agency,
    can_read_province,
    can_view,
    is_superuser,
    is_unit_head,
    same_agency,
)

PARENT_RELATIONS.extend(["audit", "item", "programme"])


def _audit_of(obj):
    """The audit a finding, checklist item or file is about (or the audit itself)."""
    if obj is None:
        return None
    if getattr(obj, "item", None) is not None:
        obj = obj.item
    return getattr(obj, "audit", None) or obj


@rules.predicate
def in_audit_team(user, obj):
    """The user is the lead auditor or a member of the audit's team."""
    audit = _audit_of(obj)
    if audit is None or not getattr(audit, "pk", None) or not hasattr(audit, "lead_auditor_id"):
        return False
    if audit.lead_auditor_id == user.pk:
        return True
    return audit.members.filter(user_id=user.pk).exists()


@rules.predicate
def is_lead_auditor(user, obj):
    audit = _audit_of(obj)
    return audit is not None and getattr(audit, "lead_auditor_id", None) == user.pk


@rules.predicate
def heads_unit_of(user, finding):
    m = user.membership
    return finding is not None and m is not None and m.unit_id is not None and \
        getattr(finding, "unit_id", None) == m.unit_id


is_qms_reader = _has(Role.AGENCY_HEAD, Role.QMS_SECRETARY, Role.STEERING_MEMBER, Role.AUDITOR)
planners = can_manage_own_agency

rules.add_perm("audits.view_auditprogramme", can_view)
rules.add_perm("audits.view_audit", can_view)
# add_auditprogramme and change_clauseexclusion take the agency; the others their object.
rules.add_perm("audits.add_auditprogramme", is_superuser | (planners & agency_is_active))
rules.add_perm("audits.change_auditprogramme", is_superuser | planners)
rules.add_perm("audits.add_audit", is_superuser | planners)  # takes the programme
rules.add_perm("audits.change_audit", is_superuser | planners)
rules.add_perm("audits.change_clauseexclusion", is_superuser | (planners & agency_is_active))
# start, report, close, reopen: the planners, or the lead auditor
rules.add_perm("audits.transition_audit", is_superuser | planners | (is_lead_auditor & same_agency))
rules.add_perm("audits.fill_checklist", is_superuser | (in_audit_team & same_agency))
rules.add_perm("audits.add_finding", is_superuser | (in_audit_team & same_agency))
# view_finding takes a finding (an audit: may the user read all of its findings?)
rules.add_perm("audits.view_finding", is_superuser | can_read_province
               | (same_agency & (is_qms_reader | in_audit_team))
               | (same_agency & is_unit_head & heads_unit_of))
