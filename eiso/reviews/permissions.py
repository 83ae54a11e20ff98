"""Who may do what with management reviews: the reviews app's scope policy.

Everyone in an agency reads its reviews; overseers read the province (each agency's last review
date). The ISO secretary and the agency head prepare a review, start it (which freezes its
inputs), record its outputs and close the meeting; only the agency head approves the minutes
(QĐ 19/2014: the head reviews the system); an output's owner updates its status too.
"""

from eiso.core.policy import Rule, ScopePolicy, UserIs
from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import can_view, is_agency_head, is_secretary, is_superuser, same_agency

managers = (is_secretary | is_agency_head) & same_agency
REVIEW, OUTPUT = "reviews.ManagementReview", "reviews.ReviewOutput"

policy = ScopePolicy("reviews", {
    "view_review": Rule(can_view, takes=(REVIEW, OUTPUT)),
    "add_review": Rule(is_superuser | (managers & agency_is_active), takes=("organizations.Agency",)),
    "change_review": Rule(is_superuser | managers, takes=(REVIEW,)),
    "approve_review": Rule(is_superuser | (is_agency_head & same_agency), takes=(REVIEW,)),
    "update_output": Rule(is_superuser | managers | (UserIs("owner") & same_agency), takes=(OUTPUT,)),
})
