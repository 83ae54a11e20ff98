"""Who may do what in 5S: the fives app's scope policy.

Everyone of an agency reads its 5S programme, inspections and ranking; overseers read the
province. The ISO secretary and the agency head run the programme: areas, the checklist,
planning inspections, rewards. The inspector named on an inspection (or a manager) fills it in;
the inspector, a manager or the head of the inspected unit turns a failed item into a
nonconformity.
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
INSPECTION, ANSWER = "fives.Inspection", "fives.Answer"

policy = ScopePolicy("fives", {
    "view_fives": Rule(can_view, takes=("fives.FivesProgramme", "fives.FivesArea", "fives.FivesItem", INSPECTION,
                                        ANSWER, "fives.Reward")),
    # "manage" takes the agency the new object goes into.
    "manage_fives": Rule(is_superuser | (managers & agency_is_active), takes=("organizations.Agency",)),
    "change_fives": Rule(is_superuser | managers, takes=("fives.FivesProgramme", "fives.FivesArea", "fives.FivesItem",
                                                         INSPECTION, "fives.Reward")),
    "inspect_fives": Rule(is_superuser | managers | (UserIs("inspector") & same_agency), takes=(INSPECTION,)),
    "raise_fives_nonconformity": Rule(
        is_superuser | managers
        | ((UserIs("inspector", via="inspection") | (is_unit_head & InOwnUnit())) & same_agency),
        takes=(ANSWER,)),
})
