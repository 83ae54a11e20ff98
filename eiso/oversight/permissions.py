"""Who may do what in provincial oversight: the oversight app's scope policy.

The overseeing agency's people and the province's overseers read the inspection plans; an
inspected agency reads its own inspections (decision, minutes, findings). Overseers plan and
carry out inspections in their province, and change nothing else in an agency: an inspection's
findings reach it as nonconformities (``improvements.add_nonconformity_from_inspection``). The
province overview is for overseers, admins and the province's People's Committee (read-only).
"""

from eiso.core.policy import Rule, ScopePolicy, UserCondition
from eiso.documents.permissions import agency_is_active
from eiso.organizations.choices import AgencyLevel
from eiso.organizations.permissions import (
    can_view,
    is_admin,
    is_overseer,
    is_superuser,
    same_agency,
    same_province,
)


class InProvinceCommittee(UserCondition):
    """The user works at the province's People's Committee (it reads the overview, read-only)."""

    def check(self, viewer):
        return viewer.agency_level == AgencyLevel.PROVINCE_PC


in_province_committee = InProvinceCommittee()
province_readers = is_overseer | is_admin | in_province_committee
PLAN, INSPECTION, FINDING = "oversight.InspectionPlan", "oversight.Inspection", "oversight.InspectionFinding"
AGENCY = "organizations.Agency"

policy = ScopePolicy("oversight", {
    "view_inspectionplan": Rule(can_view, takes=(PLAN,)),
    "view_inspection": Rule(can_view, takes=(INSPECTION, FINDING)),
    # add_inspectionplan takes the overseeing agency (the overseer's own).
    "add_inspectionplan": Rule(is_superuser | (is_overseer & same_agency & agency_is_active), takes=(AGENCY,)),
    "change_inspectionplan": Rule(is_superuser | (is_overseer & same_province), takes=(PLAN,)),
    "change_inspection": Rule(is_superuser | (is_overseer & same_province), takes=(INSPECTION,)),
    # The province overview: who reads it, and which agencies' lines (agencies never see another's).
    "view_overview": is_superuser | province_readers,
    "view_overview_agency": Rule(is_superuser | can_view | (province_readers & same_province), takes=(AGENCY,)),
    # Whose lists an overview figure may open: an agency's own people and its overseers (the
    # People's Committee reads the overview's lines, not the agencies' lists).
    "view_agency_lists": Rule(can_view, takes=(AGENCY,)),
})
