"""Who may do what with quality objectives: the objectives app's scope policy.

Everyone in an agency reads its objectives and their measurements; overseers read the province.
The ISO secretary and the agency head draft objectives and refresh their measurements; only the
head approves them (QĐ 19/2014: objectives are approved by the head); the secretary, the head or
the objective's owner records a manual measurement.
"""

from eiso.core.policy import Rule, ScopePolicy, UserIs
from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import can_view, is_agency_head, is_secretary, is_superuser, same_agency

managers = (is_secretary | is_agency_head) & same_agency
OBJECTIVE = "objectives.QualityObjective"

policy = ScopePolicy("objectives", {
    "view_objective": Rule(can_view, takes=(OBJECTIVE, "objectives.Measurement")),
    "add_objective": Rule(is_superuser | (managers & agency_is_active), takes=("organizations.Agency",)),
    "change_objective": Rule(is_superuser | managers, takes=(OBJECTIVE,)),
    "approve_objective": Rule(is_superuser | (is_agency_head & same_agency), takes=(OBJECTIVE,)),
    "measure_objective": Rule(is_superuser | managers | (UserIs("owner") & same_agency), takes=(OBJECTIVE,)),
})
