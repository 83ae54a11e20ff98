"""Who may do what with the TTHC catalogue and process definitions: the procedures app's scope policy.

Everyone in an agency reads its catalogue and processes; overseers read the province. The ISO
secretary and the agency head (and the province's admins) maintain the catalogue and import it;
a unit head may also change the process of a procedure their unit owns.
"""

from eiso.core.policy import Rule, ScopePolicy
from eiso.documents.permissions import agency_is_active, owns_unit_of
from eiso.organizations.permissions import can_manage_own_agency, can_view, is_superuser, is_unit_head, same_agency

AGENCY, TTHC = "organizations.Agency", "procedures.AdminProcedure"
PROCESS = ("documents.Document", "procedures.ProcessDefinition")

policy = ScopePolicy("procedures", {
    "view_adminprocedure": Rule(can_view, takes=(TTHC,)),
    # add/import take the agency; change takes the AdminProcedure.
    "add_adminprocedure": Rule(is_superuser | (can_manage_own_agency & agency_is_active), takes=(AGENCY,)),
    "change_adminprocedure": Rule(is_superuser | can_manage_own_agency, takes=(TTHC,)),
    "import_adminprocedure": Rule(is_superuser | (can_manage_own_agency & agency_is_active), takes=(AGENCY,)),
    # The object is the operational procedure Document (or one of its ProcessDefinitions).
    "view_processdefinition": Rule(can_view, takes=(*PROCESS, "procedures.ProcessStep")),
    "change_processdefinition": Rule(is_superuser | can_manage_own_agency
                                     | (is_unit_head & same_agency & owns_unit_of), takes=PROCESS),
})
