"""Who may do what in the rollout app: its one scope policy.

Everyone of an agency (its steering committee members among them) reads its rollout; overseers read
every agency of the province. The ISO secretary and the agency head plan the rollout: phases, the
registry and its decision, the gap survey. A unit head moves the registry procedures their unit
drafts along (drafting, in review); issuing one is the secretary's or the head's.

The conformity announcement and the ISO editions add their rules to the same policy below.
"""

from eiso.core.policy import InOwnUnit, Rule, ScopePolicy, UserIs
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

# The conformity announcement: the secretary (or the head) prepares it and records where it was posted
# and the notice to the Department of Science and Technology; only the head confirms the QMS effective
# and signs (QĐ 19/2014).
AGENCY, ANNOUNCEMENT = "organizations.Agency", "rollout.Announcement"
TRANSITION, TASK = "rollout.EditionTransition", "rollout.TransitionTask"
announcement_rules = {
    "view_announcement": Rule(can_view, takes=(ANNOUNCEMENT,)),
    # takes the agency (prepare a new one) or the announcement (edit the draft, record posting and notice)
    "change_announcement": Rule(is_superuser | (managers & agency_is_active), takes=(AGENCY, ANNOUNCEMENT)),
    "sign_announcement": Rule(is_agency_head & same_agency & agency_is_active, takes=(ANNOUNCEMENT,)),
}

# The move to another ISO 9001 edition: planned by the secretary or the head; a task's owner ticks it off.
edition_rules = {
    "view_editiontransition": Rule(can_view, takes=(TRANSITION, TASK)),
    "change_editiontransition": Rule(is_superuser | (managers & agency_is_active), takes=(AGENCY, TRANSITION, TASK)),
    "do_transitiontask": Rule(is_superuser | managers | (UserIs("owner") & same_agency), takes=(TASK,)),
}

policy = ScopePolicy("rollout", {**plan_rules, **announcement_rules, **edition_rules})
