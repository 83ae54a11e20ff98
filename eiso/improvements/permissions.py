"""Who may do what with nonconformities, corrective actions and risks: the improvements app's scope policy.

Everyone in an agency reads its nonconformities, actions and risks and may report a
nonconformity; overseers read the province and change nothing. The ISO secretary and the agency
head manage everything; a unit head answers the nonconformities of their unit with corrective
actions and keeps its risks; the owner of an action records its implementation. Effectiveness is
verified by the secretary or an internal auditor from another unit (never one's own unit's
action); closure is for the secretary and the agency head. A nonconformity found at an internal audit is
recorded from its finding by the secretary, the agency head or the audit's lead auditor.
"""

from eiso.audits.permissions import is_lead_auditor
from eiso.core.policy import HasRole, InOwnUnit, Rule, ScopePolicy, UserIs
from eiso.documents.permissions import agency_is_active
from eiso.organizations.choices import Role
from eiso.organizations.permissions import (
    can_view,
    is_agency_head,
    is_member,
    is_overseer,
    is_secretary,
    is_superuser,
    is_unit_head,
    same_agency,
    same_province,
)

is_auditor = HasRole(Role.AUDITOR)
heads_its_unit = InOwnUnit()  # the unit the object is about (an action's: its nonconformity's)
owns_action = UserIs("owner")

managers = (is_secretary | is_agency_head) & same_agency
unit_answer = is_unit_head & same_agency & heads_its_unit
independent_auditor = is_auditor & same_agency & ~heads_its_unit

AGENCY, NC = "organizations.Agency", "improvements.Nonconformity"
ACTION, RISK = "improvements.CorrectiveAction", "improvements.Risk"

policy = ScopePolicy("improvements", {
    "view_nonconformity": Rule(can_view, takes=(NC,)),
    "view_correctiveaction": Rule(can_view, takes=(ACTION, "improvements.Verification")),
    "view_risk": Rule(can_view, takes=(RISK,)),
    # add_nonconformity takes the agency: any member reports one (staff reports, complaints…).
    "add_nonconformity": Rule(is_superuser | (is_member & same_agency & agency_is_active), takes=(AGENCY,)),
    "add_nonconformity_from_dossiers": Rule(is_superuser | (managers & agency_is_active), takes=(AGENCY,)),
    # add_nonconformity_from_finding takes the audit finding: the secretary, the head or the audit's lead.
    "add_nonconformity_from_finding": Rule(is_superuser | ((managers | (is_lead_auditor & same_agency))
                                                           & agency_is_active), takes=("audits.Finding",)),
    # add_nonconformity_from_inspection takes the inspected agency: the province's overseers record
    # an inspection's findings in it (the only change an overseer makes in an agency).
    "add_nonconformity_from_inspection": Rule(is_superuser | (is_overseer & same_province & agency_is_active),
                                              takes=(AGENCY,)),
    # add_correctiveaction takes the nonconformity.
    "add_correctiveaction": Rule(is_superuser | managers | unit_answer, takes=(NC,)),
    "change_correctiveaction": Rule(is_superuser | managers | unit_answer, takes=(ACTION,)),
    "implement_correctiveaction": Rule(is_superuser | managers | unit_answer | (owns_action & same_agency),
                                       takes=(ACTION,)),
    "verify_correctiveaction": Rule(is_superuser | (is_secretary & same_agency) | independent_auditor,
                                    takes=(ACTION,)),
    "close_correctiveaction": Rule(is_superuser | managers, takes=(ACTION,)),
    # add_risk takes the agency, or a Risk with its unit set (a unit head keeps their unit's risks).
    "add_risk": Rule(is_superuser | ((managers | (is_unit_head & same_agency)) & agency_is_active),
                     takes=(AGENCY, RISK)),
    "change_risk": Rule(is_superuser | managers | (is_unit_head & same_agency & heads_its_unit), takes=(RISK,)),
})
