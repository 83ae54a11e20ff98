"""Who may do what with documented information (rules predicates).

Everyone in an agency reads its documents, drafts included (staff comment on drafts); overseers
read the whole province and change nothing. The ISO secretary and the agency head manage every
document; a unit head manages the documents their unit owns. A revision is reviewed by the
secretary or the owning unit's head (never by its drafter) and approved by the agency head.
"""

import rules

from eiso.organizations.permissions import (
    agency_of,
    can_view,
    is_agency_head,
    is_member,
    is_secretary,
    is_superuser,
    is_unit_head,
    own_unit,
    same_agency,
)


def _document_of(obj):
    """The document a comment, file, distribution entry, revision or request is about."""
    if getattr(obj, "revision", None) is not None:
        obj = obj.revision
    return getattr(obj, "document", None) or obj


@rules.predicate
def owns_unit_of(user, obj):
    """The user heads the unit that owns the document (for an agency object: any unit)."""
    if obj is None:
        return False
    document = _document_of(obj)
    unit_id = getattr(document, "owner_unit_id", None)
    m = user.membership
    return m is not None and unit_id is not None and m.unit_id == unit_id


@rules.predicate
def is_drafter(user, revision):
    return revision is not None and getattr(revision, "drafted_by_id", None) == user.pk


@rules.predicate
def is_reader(user, entry):
    return entry is not None and getattr(entry, "user_id", None) == user.pk


@rules.predicate
def is_author(user, comment):
    return comment is not None and getattr(comment, "author_id", None) == user.pk


@rules.predicate
def agency_is_active(user, obj):
    agency = agency_of(obj)
    return agency is not None and agency.is_active


managers = (is_secretary | is_agency_head) & same_agency
unit_managers = is_unit_head & same_agency & owns_unit_of
member_here = is_member & same_agency

rules.add_perm("documents.view_document", can_view)
# add_document takes the agency (or a Document with agency and owner_unit set, to check unit heads)
rules.add_perm("documents.add_document", is_superuser | ((managers | unit_managers | (is_unit_head & same_agency))
                                                         & agency_is_active))
rules.add_perm("documents.change_document", is_superuser | managers | unit_managers)
rules.add_perm("documents.add_revision", is_superuser | managers | unit_managers)
rules.add_perm("documents.change_revision", is_superuser | managers | unit_managers | (is_drafter & same_agency))
rules.add_perm("documents.submit_revision", is_superuser | managers | unit_managers | (is_drafter & same_agency))
rules.add_perm("documents.review_revision", is_superuser | ((is_secretary | (is_unit_head & owns_unit_of))
                                                           & same_agency & ~is_drafter))
rules.add_perm("documents.approve_revision", is_superuser | (is_agency_head & same_agency))
rules.add_perm("documents.withdraw_revision", is_superuser | (is_agency_head & same_agency))
rules.add_perm("documents.comment_revision", is_superuser | member_here)
rules.add_perm("documents.acknowledge_revision", is_reader)
rules.add_perm("documents.view_distribution", is_superuser | managers | unit_managers
               | ((is_agency_head | is_secretary) & can_view))
rules.add_perm("documents.add_changerequest", is_superuser | member_here)
rules.add_perm("documents.decide_changerequest", is_superuser | managers)
rules.add_perm("documents.add_externaldocument", is_superuser | managers)
rules.add_perm("documents.change_externaldocument", is_superuser | managers)
rules.add_perm("documents.complete_reviewtask", is_superuser | managers | unit_managers)
rules.add_perm("documents.add_recordtype", is_superuser | managers)
rules.add_perm("documents.change_recordtype", is_superuser | managers)
rules.add_perm("documents.add_filelist", is_superuser | managers | (is_unit_head & same_agency & own_unit))
rules.add_perm("documents.change_filelist", is_superuser | managers | (is_unit_head & same_agency & own_unit))
rules.add_perm("documents.dispose_recordfile", is_superuser | managers)
