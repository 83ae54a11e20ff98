"""Who may do what, in one place: rules predicates for "may this user do X to this object?".

Selectors answer "which objects?" with the same scope (see ``selectors.visible_agencies``).
Overseers read everything in their province and change nothing; admins manage their province.
"""

import rules

from eiso.organizations.choices import Role

# Relations through which an object reaches its agency, tried in order (later apps add theirs).
PARENT_RELATIONS = ["committee", "document", "revision", "file_list"]


def agency_of(obj):
    """The agency an object belongs to (an Agency is its own; others through their parents)."""
    if obj is None:
        return None
    if obj._meta.label == "organizations.Agency":
        return obj
    if obj._meta.label == "organizations.User":
        return obj.agency
    if getattr(obj, "agency_id", None) is not None and hasattr(type(obj), "agency"):
        return obj.agency
    for relation in PARENT_RELATIONS:
        parent = getattr(obj, relation, None)
        if parent is not None and hasattr(parent, "_meta"):
            return agency_of(parent)
    return getattr(obj, "agency", None)


def _has(*roles):
    @rules.predicate(name=f"has_role:{'|'.join(roles)}")
    def predicate(user):
        return user.is_authenticated and user.is_active and user.has_role(*roles)

    return predicate


is_superuser = rules.is_superuser
is_admin = _has(Role.ADMIN)
is_overseer = _has(Role.OVERSEER)
is_agency_head = _has(Role.AGENCY_HEAD)
is_secretary = _has(Role.QMS_SECRETARY)
is_unit_head = _has(Role.UNIT_HEAD)
is_member = rules.predicate(lambda user: user.is_authenticated and user.is_active and user.agency is not None,
                            name="is_member")


@rules.predicate
def same_agency(user, obj):
    agency = agency_of(obj)
    return agency is not None and user.agency is not None and agency.pk == user.agency.pk


@rules.predicate
def predecessor_of_own_agency(user, obj):
    agency = agency_of(obj)
    return agency is not None and user.agency is not None and user.agency.predecessors.filter(pk=agency.pk).exists()


@rules.predicate
def same_province(user, obj):
    agency = agency_of(obj)
    return agency is not None and user.agency is not None and agency.province_id == user.agency.province_id


@rules.predicate
def own_unit(user, obj):
    unit_id = getattr(obj, "unit_id", None)
    m = user.membership
    return unit_id is not None and m is not None and m.unit_id == unit_id


@rules.predicate
def is_privileged_target(user, obj):
    return getattr(obj, "is_superuser", False) or getattr(obj, "is_staff", False)


can_read_province = (is_overseer | is_admin) & same_province
can_view = is_superuser | same_agency | predecessor_of_own_agency | can_read_province
can_manage_province = is_superuser | (is_admin & same_province)
qms_managers = is_agency_head | is_secretary
can_manage_own_agency = can_manage_province | (qms_managers & same_agency)

for model in ("agency", "unit", "user", "jobdescription", "steeringcommittee"):
    rules.add_perm(f"organizations.view_{model}", can_view)

rules.add_perm("organizations.add_agency", is_superuser | is_admin)
rules.add_perm("organizations.change_agency", can_manage_province)
rules.add_perm("organizations.merge_agencies", is_superuser | is_admin)
# "add" permissions take the agency the new object goes into.
rules.add_perm("organizations.add_unit", can_manage_own_agency)
rules.add_perm("organizations.change_unit", can_manage_own_agency)
rules.add_perm("organizations.add_user", can_manage_province)
# A province admin never manages a superuser's or a back-office staff account.
rules.add_perm("organizations.change_user", is_superuser | (is_admin & same_province & ~is_privileged_target))
rules.add_perm("organizations.add_jobdescription", can_manage_own_agency | (is_unit_head & same_agency))
rules.add_perm("organizations.change_jobdescription",
               can_manage_own_agency | (is_unit_head & same_agency & own_unit))
rules.add_perm("organizations.add_steeringcommittee", can_manage_own_agency)
rules.add_perm("organizations.change_steeringcommittee", can_manage_own_agency)
rules.add_perm("organizations.view_audit_trail",
               is_superuser | is_admin | is_overseer | is_agency_head | is_secretary)
rules.add_perm("organizations.issue_token", is_superuser | is_admin | is_member)
# The working calendar: everyone who reads an agency reads its calendar; its head, ISO secretary
# and the province's admins change its exceptions and office hours (the object is the agency or
# one of its exceptions).
rules.add_perm("organizations.view_calendar", can_view)
rules.add_perm("organizations.change_calendar", can_manage_own_agency)
