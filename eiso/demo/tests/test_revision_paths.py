"""No dead ends in document control: in every agency of the demo province, whoever owns a document
and whoever drafted its revision, some person of the agency can move the revision on from every
status (the rule is the documents policy; the people are the demo's)."""

import io

import pytest
from django.core.management import call_command

from eiso.demo.loaders import organizations
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import Document, DocumentRevision
from eiso.documents.selectors.revisions import revisions_awaiting_user
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Membership

pytestmark = pytest.mark.django_db

# status → the permission of the step that moves a revision in that status forward
FORWARD = {
    RevisionStatus.DRAFT: "documents.submit_revision",
    RevisionStatus.IN_REVIEW: "documents.review_revision",
    RevisionStatus.REVIEWED: "documents.approve_revision",
    RevisionStatus.APPROVED: "documents.approve_revision",  # put into force (or the daily run)
    RevisionStatus.EFFECTIVE: "documents.withdraw_revision",  # or a new revision
}


@pytest.fixture
def demo_people(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr("eiso.demo.management.commands.demo.LOADERS", [organizations.load])
    call_command("demo", "--no-serve", "--json", stdout=io.StringIO(), stderr=io.StringIO())


def members_of(agency) -> list:
    return [m.user for m in Membership.objects.filter(agency=agency, valid_to__isnull=True, user__is_active=True)
            .select_related("user", "unit")]


def test_every_revision_of_every_demo_agency_has_someone_to_move_it_on(demo_people):
    stuck, checked = [], 0
    agencies = [a for a in Agency.objects.order_by("code") if a.is_active]
    headed = [a for a in agencies if any(Role.AGENCY_HEAD in u.roles for u in members_of(a))]
    # Approval is the agency head's by law: an agency without one (the province's People's Committee,
    # seen only by its system administrator) drafts nothing in the demo. The service centre has its
    # director since its audits and reviews joined the demo, so its revisions are walked too.
    assert {a.code for a in agencies} - {a.code for a in headed} == {"UBNDT"}
    for agency in headed:
        people = members_of(agency)
        for unit in [None, *agency.units.filter(is_active=True)]:
            document = Document(agency=agency, owner_unit=unit, code="QT-X", title="Quy trình")
            drafters = [None, *(u for u in people if u.has_perm("documents.change_document", document))]
            for drafter in drafters:
                for status, perm in FORWARD.items():
                    revision = DocumentRevision(document=document, issue_number=1, status=status, drafted_by=drafter)
                    checked += 1
                    if not any(u.has_perm(perm, revision) for u in people):
                        stuck.append((agency.code, unit and unit.code, drafter and drafter.username, status))
    assert checked > 300 and stuck == [], stuck


def test_without_a_unit_head_the_secretary_reviews_and_when_she_drafted_the_head_does(demo_people):
    """The Department of Justice's office has no head: the secretary reviews what others draft; what
    she drafts herself the director reviews (before this rule it stayed in review for good)."""
    stp = Agency.objects.get(code="STP")
    office = stp.units.get(code="VP")
    people = {u.username: u for u in members_of(stp)}
    secretary, head, hctp = people["stp.thuky"], people["stp.giamdoc"], people["stp.hctp"]
    document = Document.objects.create(agency=stp, owner_unit=office, code="QT-VP", title="Quy trình văn thư")

    by_secretary = DocumentRevision.objects.create(document=document, issue_number=1,
                                                   status=RevisionStatus.IN_REVIEW, drafted_by=secretary)
    assert [u.username for u in people.values() if u.has_perm("documents.review_revision", by_secretary)] == [
        "stp.giamdoc"]
    assert revisions_awaiting_user(head) == [by_secretary] and revisions_awaiting_user(secretary) == []

    by_head = DocumentRevision(document=document, issue_number=1, status=RevisionStatus.IN_REVIEW, drafted_by=head)
    assert secretary.has_perm("documents.review_revision", by_head)
    assert not head.has_perm("documents.review_revision", by_head)
    # A unit with its own head: its head or the secretary review, never the agency head.
    own = Document(agency=stp, owner_unit=hctp.membership.unit, code="QT-HT", title="Hộ tịch")
    by_secretary_there = DocumentRevision(document=own, issue_number=1, status=RevisionStatus.IN_REVIEW,
                                          drafted_by=secretary)
    assert hctp.has_perm("documents.review_revision", by_secretary_there)
    assert not head.has_perm("documents.review_revision", by_secretary_there)
