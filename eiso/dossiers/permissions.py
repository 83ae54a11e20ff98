"""Who may do what with dossiers (rules predicates).

Everyone in an agency reads its dossiers and statistics; overseers read the province's. The ISO
secretary, the agency head and the province's admins import one-stop data and change the
agency's dossier settings; they and unit heads issue apology letters.
"""

import rules

from eiso.documents.permissions import agency_is_active
from eiso.organizations.permissions import (
    PARENT_RELATIONS,
    can_manage_own_agency,
    can_view,
    is_superuser,
    is_unit_head,
    same_agency,
)

PARENT_RELATIONS.append("dossier")

rules.add_perm("dossiers.view_dossier", can_view)
# import and settings take the agency.
rules.add_perm("dossiers.import_dossiers", is_superuser | (can_manage_own_agency & agency_is_active))
rules.add_perm("dossiers.change_settings", is_superuser | can_manage_own_agency)
rules.add_perm("dossiers.issue_apology", is_superuser | can_manage_own_agency | (is_unit_head & same_agency))
rules.add_perm("dossiers.view_statistics", can_view)
