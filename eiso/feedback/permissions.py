"""Who may do what with citizen satisfaction and complaints: the feedback app's scope policy.

Everyone in an agency reads its satisfaction figures and its complaints; overseers read the
province and change nothing. The ISO secretary and the agency head import evaluations, set the
SIPAS benchmark and the number of days to answer. Any member records a complaint received (the
one-stop desk takes most of them); the secretary, the head, or the head of the handling unit hands
it on and answers it; a justified complaint is recorded as a nonconformity by the secretary or
the head.
"""

from eiso.core.policy import InOwnUnit, Rule, ScopePolicy
from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import (
    can_view,
    is_agency_head,
    is_member,
    is_secretary,
    is_superuser,
    is_unit_head,
    same_agency,
)

managers = (is_secretary | is_agency_head) & same_agency
unit_answer = is_unit_head & same_agency & InOwnUnit()

AGENCY, EVALUATION = "organizations.Agency", "feedback.SatisfactionEvaluation"
BENCHMARK, COMPLAINT, SETTINGS = "feedback.SatisfactionBenchmark", "feedback.Complaint", "feedback.FeedbackSettings"

policy = ScopePolicy("feedback", {
    "view_satisfaction": Rule(can_view, takes=(AGENCY, EVALUATION, BENCHMARK)),
    "import_satisfaction": Rule(is_superuser | (managers & agency_is_active), takes=(AGENCY,)),
    "change_benchmark": Rule(is_superuser | managers, takes=(AGENCY, BENCHMARK)),
    "view_complaint": Rule(can_view, takes=(COMPLAINT,)),
    # add_complaint takes the agency the complaint was sent to.
    "add_complaint": Rule(is_superuser | (is_member & same_agency & agency_is_active), takes=(AGENCY,)),
    "handle_complaint": Rule(is_superuser | managers | unit_answer, takes=(COMPLAINT,)),
    "complaint_nonconformity": Rule(is_superuser | managers, takes=(COMPLAINT,)),
    "change_settings": Rule(is_superuser | managers, takes=(AGENCY, SETTINGS)),
})
