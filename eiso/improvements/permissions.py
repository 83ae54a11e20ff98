"""Who may do what with nonconformities, corrective actions and risks (rules predicates).

Everyone in an agency reads its nonconformities, actions and risks and may report a
nonconformity; overseers read the province and change nothing. The ISO secretary and the agency
head manage everything; a unit head answers the nonconformities of their unit with corrective
actions and keeps its risks; the owner of an action records its implementation. Effectiveness is
verified by the secretary or an internal auditor from another unit (never one's own unit's
action); closure is for the secretary and the agency head. A nonconformity found at an internal audit is
recorded from its finding by the secretary, the agency head or the audit's lead auditor.
"""

import rules

from eiso.audits.permissions import is_lead_auditor
from eiso.documents.permissions import agency_is_active
from eiso.organizations.choices import Role
from eiso.organizations.permissions import (
    PARENT_RELATIONS,
    _has,
    can_view,
    is_agency_head,
    is_member,
    is_secretary,
    is_superuser,
    is_unit_head,
    same_agency,
)

PARENT_RELATIONS.extend(["nonconformity", "action"])

is_auditor = _has(Role.AUDITOR)


def _unit_id(obj):
    """The unit an object is about: a nonconformity's, an action's nonconformity's, a risk's."""
    if obj is None:
        return None
    if getattr(obj, "nonconformity_id", None) is not None:
        return obj.nonconformity.unit_id
    return getattr(obj, "unit_id", None)


@rules.predicate
def heads_its_unit(user, obj):
    unit_id = _unit_id(obj)
    m = user.membership
    return unit_id is not None and m is not None and m.unit_id == unit_id


@rules.predicate
def owns_action(user, obj):
    return obj is not None and getattr(obj, "owner_id", None) == user.pk


managers = (is_secretary | is_agency_head) & same_agency
unit_answer = is_unit_head & same_agency & heads_its_unit
independent_auditor = is_auditor & same_agency & ~heads_its_unit

rules.add_perm("improvements.view_nonconformity", can_view)
rules.add_perm("improvements.view_correctiveaction", can_view)
rules.add_perm("improvements.view_risk", can_view)
# add_nonconformity takes the agency: any member reports one (staff reports, complaints…).
rules.add_perm("improvements.add_nonconformity", is_superuser | (is_member & same_agency & agency_is_active))
rules.add_perm("improvements.add_nonconformity_from_dossiers", is_superuser | (managers & agency_is_active))
# add_nonconformity_from_finding takes the audit finding: the secretary, the head or the audit's lead.
rules.add_perm("improvements.add_nonconformity_from_finding",
               is_superuser | ((managers | (is_lead_auditor & same_agency)) & agency_is_active))
# add_correctiveaction takes the nonconformity.
rules.add_perm("improvements.add_correctiveaction", is_superuser | managers | unit_answer)
rules.add_perm("improvements.change_correctiveaction", is_superuser | managers | unit_answer)
rules.add_perm("improvements.implement_correctiveaction",
               is_superuser | managers | unit_answer | (owns_action & same_agency))
rules.add_perm("improvements.verify_correctiveaction", is_superuser | (is_secretary & same_agency)
               | independent_auditor)
rules.add_perm("improvements.close_correctiveaction", is_superuser | managers)
# add_risk takes the agency, or a Risk with its unit set (a unit head keeps their unit's risks).
rules.add_perm("improvements.add_risk", is_superuser | ((managers | (is_unit_head & same_agency))
                                                        & agency_is_active))
rules.add_perm("improvements.change_risk", is_superuser | managers | (is_unit_head & same_agency & heads_its_unit))
