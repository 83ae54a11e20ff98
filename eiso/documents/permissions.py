"""Who may do what with documented information: the documents app's scope policy.

Everyone in an agency reads its documents, drafts included (staff comment on drafts); overseers
read the whole province and change nothing. The ISO secretary and the agency head manage every
document; a unit head manages the documents their unit owns. A revision is reviewed by the
secretary or the owning unit's head (never by its drafter) and approved by the agency head. When
neither can (the unit has no head and the secretary drafted it, or there is no secretary), the
agency head reviews: a revision in review always has someone to move it on.
"""

from django.db.models import Exists, OuterRef, Q

from eiso.core.policy import AgencyActive, AnchorCondition, InOwnUnit, Rule, ScopePolicy, UserIs, join, values_at
from eiso.organizations.choices import Role
from eiso.organizations.models import Membership
from eiso.organizations.permissions import (
    can_view,
    is_agency_head,
    is_member,
    is_secretary,
    is_superuser,
    is_unit_head,
    same_agency,
)


def _reviewers(agency, unit):
    """Current members who review a revision of ``agency`` owned by ``unit`` as of right: the ISO
    secretary, and the head of the owning unit."""
    places = Q(role_rows__role=Role.QMS_SECRETARY)
    if unit is not None:  # a document no unit owns has no unit head (an OuterRef to a null never matches)
        places |= Q(role_rows__role=Role.UNIT_HEAD, unit_id=unit)
    return Membership.objects.filter(places, agency_id=agency, valid_to__isnull=True, user__is_active=True)


class NoOtherReviewer(AnchorCondition):
    """Nobody but the drafter holds a reviewer's place (secretary, or head of the owning unit) for
    the revision: then the agency head reviews it."""

    anchor = "revision"

    def test_ids(self, viewer, obj, path):
        revisions = values_at(obj, path)
        if not revisions:
            return False
        revision = revisions[0]
        document = revision.document
        others = _reviewers(document.agency_id, document.owner_unit_id)
        if revision.drafted_by_id is not None:
            others = others.exclude(user_id=revision.drafted_by_id)
        return not others.exists()

    def q_path(self, viewer, path):
        anyone = _reviewers(OuterRef(join(path, "document__agency_id")),
                            OuterRef(join(path, "document__owner_unit_id")))
        drafter = join(path, "drafted_by")
        return ((Q(**{f"{drafter}__isnull": True}) & ~Exists(anyone))
                | (Q(**{f"{drafter}__isnull": False}) & ~Exists(anyone.exclude(user_id=OuterRef(f"{drafter}_id")))))


agency_is_active = AgencyActive()
owns_unit_of = InOwnUnit()  # the unit that owns the document (each model declares its `unit`)
is_drafter = UserIs("drafted_by", via="revision")

managers = (is_secretary | is_agency_head) & same_agency
unit_managers = is_unit_head & same_agency & owns_unit_of
member_here = is_member & same_agency

AGENCY = "organizations.Agency"
DOCUMENT, REVISION = "documents.Document", "documents.DocumentRevision"
REVISION_PARTS = (REVISION, "documents.RevisionFile", "documents.Comment", "documents.DistributionEntry")

policy = ScopePolicy("documents", {
    "view_document": Rule(can_view, takes=(DOCUMENT, *REVISION_PARTS, "documents.ChangeRequest")),
    "view_externaldocument": Rule(can_view, takes=("documents.ExternalDocument", "documents.ReviewTask")),
    "view_recordtype": Rule(can_view, takes=("documents.RecordType",)),
    "view_filelist": Rule(can_view, takes=("documents.FileList", "documents.RecordFile")),
    # add_document takes the agency (or a Document with agency and owner_unit set, to check unit heads)
    "add_document": Rule((is_superuser | ((managers | unit_managers | (is_unit_head & same_agency))
                                          & agency_is_active)), takes=(AGENCY,)),
    "change_document": Rule(is_superuser | managers | unit_managers, takes=(DOCUMENT,)),
    "add_revision": Rule(is_superuser | managers | unit_managers, takes=(DOCUMENT,)),
    "change_revision": Rule(is_superuser | managers | unit_managers | (is_drafter & same_agency),
                            takes=(REVISION,)),
    "submit_revision": Rule(is_superuser | managers | unit_managers | (is_drafter & same_agency),
                            takes=(REVISION,)),
    # Who reviews: the secretary or the owning unit's head, not the drafter; when nobody else holds
    # either place, the agency head.
    "review_revision": Rule(is_superuser | ((is_secretary | (is_unit_head & owns_unit_of))
                                            & same_agency & ~is_drafter)
                            | (is_agency_head & same_agency & NoOtherReviewer()), takes=(REVISION,)),
    "approve_revision": Rule(is_superuser | (is_agency_head & same_agency), takes=(REVISION,)),
    "withdraw_revision": Rule(is_superuser | (is_agency_head & same_agency), takes=(REVISION,)),
    "comment_revision": Rule(is_superuser | member_here, takes=(REVISION,)),
    "acknowledge_revision": Rule(UserIs("user"), takes=("documents.DistributionEntry",)),
    "view_distribution": Rule(is_superuser | managers | unit_managers
                              | ((is_agency_head | is_secretary) & can_view), takes=(REVISION,)),
    "add_changerequest": Rule(is_superuser | member_here, takes=(AGENCY,)),
    "decide_changerequest": Rule(is_superuser | managers, takes=("documents.ChangeRequest",)),
    "add_externaldocument": Rule(is_superuser | managers, takes=(AGENCY,)),
    "change_externaldocument": Rule(is_superuser | managers, takes=("documents.ExternalDocument",)),
    "complete_reviewtask": Rule(is_superuser | managers | unit_managers, takes=("documents.ReviewTask",)),
    "add_recordtype": Rule(is_superuser | managers, takes=(AGENCY,)),
    "change_recordtype": Rule(is_superuser | managers, takes=("documents.RecordType",)),
    "add_filelist": Rule(is_superuser | managers | (is_unit_head & same_agency & InOwnUnit()),
                         takes=(AGENCY, "documents.FileList")),
    "change_filelist": Rule(is_superuser | managers | (is_unit_head & same_agency & InOwnUnit()),
                            takes=("documents.FileList",)),
    "dispose_recordfile": Rule(is_superuser | managers, takes=("documents.RecordFile", "documents.FileList")),
})
