"""Who may do what with the TTHC catalogue and process definitions (rules predicates).

Everyone in an agency reads its catalogue and processes; overseers read the province. The ISO
secretary and the agency head (and the province's admins) maintain the catalogue and import it;
a unit head may also change the process of a procedure their unit owns.
"""

import rules

from eiso.documents.permissions import agency_is_active, owns_unit_of
from eiso.organizations.permissions import (
    PARENT_RELATIONS,
    can_manage_own_agency,
    can_view,
    is_superuser,
    is_unit_head,
    same_agency,
)

PARENT_RELATIONS.append("definition")

rules.add_perm("procedures.view_adminprocedure", can_view)
# add/import take the agency; change takes the AdminProcedure.
rules.add_perm("procedures.add_adminprocedure", is_superuser | (can_manage_own_agency & agency_is_active))
rules.add_perm("procedures.change_adminprocedure", is_superuser | can_manage_own_agency)
rules.add_perm("procedures.import_adminprocedure", is_superuser | (can_manage_own_agency & agency_is_active))
# The object is the operational procedure Document (or one of its ProcessDefinitions).
rules.add_perm("procedures.view_processdefinition", can_view)
rules.add_perm("procedures.change_processdefinition",
               is_superuser | can_manage_own_agency | (is_unit_head & same_agency & owns_unit_of))
