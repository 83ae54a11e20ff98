"""Who may do what with dossiers: the dossiers app's scope policy.

Everyone in an agency reads its dossiers and statistics; overseers read the province's. The ISO
secretary, the agency head and the province's admins import one-stop data and change the
agency's dossier settings; they and unit heads issue apology letters.
"""

from eiso.core.policy import Rule, ScopePolicy
from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import can_manage_own_agency, can_view, is_superuser, is_unit_head, same_agency

AGENCY, DOSSIER = "organizations.Agency", "dossiers.Dossier"

policy = ScopePolicy("dossiers", {
    "view_dossier": Rule(can_view, takes=(DOSSIER, "dossiers.DossierEvent", "dossiers.DossierApology")),
    "view_dossierimport": Rule(can_view, takes=("dossiers.DossierImport",)),
    "view_dossierrollup": Rule(can_view, takes=("dossiers.DossierRollup",)),
    # import and settings take the agency.
    "import_dossiers": Rule(is_superuser | (can_manage_own_agency & agency_is_active), takes=(AGENCY,)),
    "change_settings": Rule(is_superuser | can_manage_own_agency, takes=(AGENCY,)),
    "issue_apology": Rule(is_superuser | can_manage_own_agency | (is_unit_head & same_agency), takes=(DOSSIER,)),
    "view_statistics": Rule(can_view, takes=(AGENCY,)),
})
