"""Who may do what with organisations: the app's scope policy, and the conditions every app builds on.

Everyone reads their own agency (and the agencies it succeeded, the whole chain back); overseers
and admins read their province; a superuser reads everything. Overseers change nothing; admins
manage their province; the agency head and the ISO secretary manage their own agency.
"""

import functools

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from eiso.core.policy import (
    AnchorCondition,
    HasRole,
    InOwnUnit,
    IsMember,
    Rule,
    SameAgency,
    SameProvince,
    ScopePolicy,
    Superuser,
    UserIs,
    id_lookup,
    ids_at,
    viewer_of,
)
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Membership


class PredecessorAgency(AnchorCondition):
    """The object belongs to an agency the user's agency succeeded, however far back (the 2025
    mergers: A and B merged into C, C into D; D's staff read A's and B's past too)."""

    def test_ids(self, viewer, obj, path):
        return bool(lineage_of(viewer) & ids_at(obj, path))

    def q_path(self, viewer, path):
        # The chain is resolved once per viewer (at most one query per request, none for an agency
        # that succeeded no other) and filtered as a plain list of ids: a recursive subquery in
        # every filter made PostgreSQL scan whole tables to count an agency's rows.
        lineage = lineage_of(viewer)
        if not lineage:
            return False
        return Q(**{f"{id_lookup(path)}__in": sorted(lineage)})


def lineage_of(viewer) -> frozenset:
    """The ids of every agency the viewer's agency succeeded, read once per viewer (its cache)."""
    if "lineage" not in viewer.cache:
        viewer.cache["lineage"] = _lineage(viewer.agency_id)
    return viewer.cache["lineage"]


def _lineage(agency_id: int | None) -> frozenset:
    """The ids of every predecessor of the agency, the whole chain, never the agency itself (one query)."""
    if not agency_id:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(_lineage_sql(), [agency_id])
        return frozenset(row[0] for row in cursor.fetchall()) - {agency_id}


def agencies_read_by(user) -> frozenset | None:
    """The ids of the agencies whose data ``user`` reads: their own agency and those it succeeded.
    None when that is not all (a superuser, an overseer or an administrator reads the province) or
    when they read no agency's: what a page computed from what they read depends on
    (``eiso.core.freshness``: a cached copy then stays fresh through other agencies' writes)."""
    viewer = viewer_of(user)
    if not viewer.active or viewer.superuser or viewer.agency_id is None or viewer.roles & {Role.OVERSEER, Role.ADMIN}:
        return None
    return frozenset({viewer.agency_id}) | lineage_of(viewer)


@functools.cache
def _lineage_sql() -> str:
    table = Agency.predecessors.through._meta.db_table
    # The table name comes from the model's metadata, the agency id is a query parameter.
    return (f"WITH RECURSIVE lineage(id) AS (SELECT to_agency_id FROM {table} WHERE from_agency_id = %s "  # noqa: S608
            f"UNION SELECT t.to_agency_id FROM {table} t JOIN lineage ON t.from_agency_id = lineage.id) "
            "SELECT id FROM lineage")


class NowInProvince(AnchorCondition):
    """A person whose current membership is in the user's province (a person who moved to another
    province is no longer managed from here, though their past here stays readable)."""

    def path(self, model):
        return "" if model._meta.label == "organizations.User" else None

    def test_ids(self, viewer, obj, path):
        m = obj.membership
        return viewer.province_id is not None and m is not None and m.agency.province_id == viewer.province_id

    def q_path(self, viewer, path):
        if viewer.province_id is None:
            return False
        return Q(Exists(Membership.objects.filter(user=OuterRef("pk"), valid_to__isnull=True,
                                                  agency__province_id=viewer.province_id)))


class PrivilegedAccount(AnchorCondition):
    """A superuser's or back-office staff account: a province admin never manages one."""

    def path(self, model):
        return "" if model._meta.label == "organizations.User" else None

    def test_ids(self, viewer, obj, path):
        return bool(obj.is_superuser or obj.is_staff)

    def q_path(self, viewer, path):
        return Q(is_superuser=True) | Q(is_staff=True)


is_superuser = Superuser()
is_admin = HasRole(Role.ADMIN)
is_overseer = HasRole(Role.OVERSEER)
is_agency_head = HasRole(Role.AGENCY_HEAD)
is_secretary = HasRole(Role.QMS_SECRETARY)
is_unit_head = HasRole(Role.UNIT_HEAD)
is_member = IsMember()
same_agency = SameAgency()
same_province = SameProvince()

can_read_province = (is_overseer | is_admin) & same_province
# The one reading scope of every app: own agency, its predecessors, or the province.
can_view = is_superuser | same_agency | PredecessorAgency() | can_read_province
can_manage_province = is_superuser | (is_admin & same_province)
qms_managers = is_agency_head | is_secretary
can_manage_own_agency = can_manage_province | (qms_managers & same_agency)


AGENCY, UNIT, USER = "organizations.Agency", "organizations.Unit", "organizations.User"
JOB, COMMITTEE = "organizations.JobDescription", "organizations.SteeringCommittee"

policy = ScopePolicy("organizations", {
    "view_agency": Rule(can_view, takes=(AGENCY,)),
    "view_unit": Rule(can_view, takes=(UNIT,)),
    "view_user": Rule(can_view, takes=(USER,)),
    "view_jobdescription": Rule(can_view, takes=(JOB,)),
    "view_steeringcommittee": Rule(can_view, takes=(COMMITTEE, "organizations.SteeringMember")),
    "view_calendarexception": Rule(can_view, takes=("organizations.CalendarException",)),
    "view_auditevent": Rule(can_view, takes=("core.AuditEvent",)),
    # an uploaded import (core.jobs): its agency's readers, and whoever uploaded it
    "view_importjob": Rule(can_view | UserIs("created_by"), takes=("core.ImportJob",)),
    "add_agency": is_superuser | is_admin,
    "change_agency": Rule(can_manage_province, takes=(AGENCY,)),
    "change_session_settings": Rule(can_manage_own_agency, takes=(AGENCY,)),
    "merge_agencies": is_superuser | is_admin,
    # "add" rules take the agency the new object goes into.
    "add_unit": Rule(can_manage_own_agency, takes=(AGENCY,)),
    "change_unit": Rule(can_manage_own_agency, takes=(UNIT,)),
    "add_user": Rule(can_manage_province, takes=(AGENCY,)),
    "change_user": Rule(is_superuser | (is_admin & NowInProvince() & ~PrivilegedAccount()), takes=(USER,)),
    "add_jobdescription": Rule(can_manage_own_agency | (is_unit_head & same_agency), takes=(AGENCY, JOB)),
    "change_jobdescription": Rule(can_manage_own_agency | (is_unit_head & same_agency & InOwnUnit()),
                                  takes=(JOB,)),
    "add_steeringcommittee": Rule(can_manage_own_agency, takes=(AGENCY,)),
    "change_steeringcommittee": Rule(can_manage_own_agency, takes=(COMMITTEE,)),
    "view_audit_trail": is_superuser | is_admin | is_overseer | is_agency_head | is_secretary,
    "issue_token": is_superuser | is_admin | is_member,
    # The working calendar: everyone who reads an agency reads its calendar; its head, ISO secretary
    # and the province's admins change its exceptions and office hours (the object is the agency or
    # one of its exceptions).
    "view_calendar": Rule(can_view, takes=(AGENCY, "organizations.CalendarException")),
    "change_calendar": Rule(can_manage_own_agency, takes=(AGENCY, "organizations.CalendarException")),
    # The national days off and make-up working days decreed each year (on top of the shipped
    # ones): the system's administrators enter them, for every agency at once.
    "change_national_calendar": is_superuser | is_admin,
})
