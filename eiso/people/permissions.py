"""Who may do what with training and competence: the people app's scope policy.

Everyone in an agency reads its courses and sessions (the training plan); overseers read the
province. A person's training record (attendance, results and certificates, actions to close
their gaps, onboarding) is read by the ISO secretary and the agency head, by the head of the
person's unit, and by the person; overseers read it across the province. The competence matrix of
a unit is read by the same managers. The secretary and the head plan courses, record attendance
and results, state what each job requires and who holds it; the secretary, the head or the unit
head plans the closing of a gap and onboards a newcomer of their unit.
"""

from eiso.core.policy import InOwnUnit, Rule, ScopePolicy, UserIs
from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import (
    can_read_province,
    can_view,
    is_agency_head,
    is_secretary,
    is_superuser,
    is_unit_head,
    same_agency,
)

managers = (is_secretary | is_agency_head) & same_agency
unit_managers = is_unit_head & same_agency & InOwnUnit()
overseers = can_read_province  # the province's overseers (and its administrators)
# A person's training record: the managers, their unit head, themselves, the province's overseers (and administrators).
record_readers = is_superuser | managers | unit_managers | UserIs("user") | overseers

AGENCY, UNIT = "organizations.Agency", "organizations.Unit"
COURSE, SESSION = "people.Course", "people.TrainingSession"
ATTENDANCE, RESULT, GAP = "people.Attendance", "people.TrainingResult", "people.GapAction"
REQUIREMENT, HOLDER = "people.CompetenceRequirement", "people.PositionHolder"
ONBOARDING, SETTINGS = "people.Onboarding", "people.PeopleSettings"

policy = ScopePolicy("people", {
    "view_course": Rule(can_view, takes=(COURSE, SESSION)),
    "add_course": Rule(is_superuser | (managers & agency_is_active), takes=(AGENCY,)),
    "change_course": Rule(is_superuser | managers, takes=(COURSE, SESSION)),
    "view_record": Rule(record_readers, takes=(ATTENDANCE, RESULT, GAP)),
    "view_competence": Rule(is_superuser | managers | unit_managers | overseers, takes=(UNIT,)),
    "view_requirement": Rule(can_view, takes=(REQUIREMENT, HOLDER)),
    "change_requirement": Rule(is_superuser | managers, takes=(AGENCY, REQUIREMENT, HOLDER)),
    "plan_gap": Rule(is_superuser | managers | unit_managers, takes=(UNIT,)),
    "change_gapaction": Rule(is_superuser | managers | unit_managers, takes=(GAP,)),
    "view_onboarding": Rule(record_readers, takes=(ONBOARDING,)),
    "add_onboarding": Rule(is_superuser | ((managers | unit_managers) & agency_is_active), takes=(UNIT,)),
    "change_settings": Rule(is_superuser | managers, takes=(AGENCY, SETTINGS)),
})
