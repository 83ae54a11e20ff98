"""Who may do what in the rollout app: its one scope policy.

Everyone of an agency (its steering committee members among them) reads its rollout; overseers read
every agency of the province. The ISO secretary and the agency head plan the rollout: phases, the
registry and its decision, the gap survey. A unit head moves the registry procedures their unit
drafts along (drafting, in review); issuing one is the secretary's or the head's.

The conformity announcement and the ISO editions add their rules to the same policy below.
"""

from eiso.core.policy import InOwnUnit, Rule, ScopePolicy
from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import (
    can_view,
    is_agency_head,
    is_secretary,
    is_superuser,
    is_unit_head,
    same_agency,
)

managers = (is_secretary | is_agency_head) & same_agency
ROLLOUT, PHASE, ITEM = "rollout.Rollout", "rollout.RolloutPhase", "rollout.RegistryItem"
SURVEY, ASSESSMENT = "rollout.GapSurvey", "rollout.GapAssessment"

plan_rules = {
    "view_rollout": Rule(can_view, takes=(ROLLOUT, PHASE, ITEM, SURVEY, ASSESSMENT)),
    "add_rollout": Rule(is_superuser | (managers & agency_is_active), takes=("organizations.Agency",)),
    "change_rollout": Rule(is_superuser | managers, takes=(ROLLOUT, PHASE, ITEM, SURVEY, ASSESSMENT)),
    "progress_registryitem": Rule(is_superuser | managers | (is_unit_head & same_agency & InOwnUnit()),
                                  takes=(ITEM,)),
}

# (announcement and edition rules: add a dict here and merge it below)

policy = ScopePolicy("rollout", {**plan_rules})
