"""The quality policy: a controlled document of its own kind, one per agency, read and acknowledged
by the staff; the objectives page shows the one in force, where the reader stands with it and, for
the secretary and the head, who has not read it yet. The API says the same."""

import pytest

from eiso.core.errors import ValidationFailed
from eiso.documents.choices import DocumentKind
from eiso.documents.models import DistributionEntry
from eiso.documents.services import revisions as document_services
from eiso.documents.tests.factories.revisions import publish

pytestmark = pytest.mark.django_db

TEXT = "Lấy người dân làm trung tâm; công khai, minh bạch, đúng hạn."


@pytest.fixture
def policy(agency_a, a_secretary, a_unit_head, a_head, a_staff):
    document = document_services.document_create(actor=a_secretary, agency=agency_a, code="CSCL",
                                                 title="Chính sách chất lượng", kind=DocumentKind.POLICY)
    return publish(document, a_secretary, a_head, a_head, text=TEXT)


def test_an_agency_has_one_quality_policy(agency_a, agency_b, a_secretary, b_head, policy):
    with pytest.raises(ValidationFailed) as refused:
        document_services.document_create(actor=a_secretary, agency=agency_a, code="CSCL-2",
                                          title="Chính sách chất lượng mới", kind=DocumentKind.POLICY)
    assert "lần sửa đổi mới" in str(refused.value.message)  # says what to do instead
    other = document_services.document_create(actor=a_secretary, agency=agency_a, code="MTCL",
                                              title="Mục tiêu chất lượng", kind=DocumentKind.OBJECTIVES)
    with pytest.raises(ValidationFailed):
        document_services.document_update(actor=a_secretary, document=other, kind=DocumentKind.POLICY)
    theirs = document_services.document_create(actor=b_head, agency=agency_b, code="CSCL",
                                               title="Chính sách chất lượng", kind=DocumentKind.POLICY)
    assert theirs.pk


def _card(client) -> str:
    """The policy card of the objectives page ("" when the page has none)."""
    page = client.get("/objectives/").content.decode()
    return page.split('data-testid="quality-policy"')[1].split("</section>")[0] if "quality-policy" in page else ""


def test_the_objectives_page_shows_the_policy_and_takes_the_acknowledgement(client_for, a_staff, a_secretary,
                                                                           b_head, policy):
    staff = client_for(a_staff)
    card = _card(staff)
    assert "công khai, minh bạch" in card and 'data-action="acknowledge"' in card
    assert a_staff.full_name not in card  # the list of readers is the managers'
    assert a_staff.full_name in _card(client_for(a_secretary))  # not read yet
    response = staff.post(f"/revisions/{policy.pk}/acknowledge/", {"next": "/objectives/"})
    assert response.status_code == 302 and response["Location"] == "/objectives/"
    assert 'data-action="acknowledge"' not in _card(staff)
    assert DistributionEntry.objects.get(revision=policy, user=a_staff).acknowledged_at is not None
    assert a_staff.full_name not in _card(client_for(a_secretary))
    assert _card(client_for(b_head)) == ""


def test_the_api_reads_and_acknowledges_the_policy(api_for, agency_a, a_staff, a_secretary, b_head, overseer,
                                                   policy):
    mine = api_for(a_staff).get("/api/v1/quality-policy")
    assert mine.status_code == 200, mine.json()
    body = mine.json()
    assert (body["document"]["code"], body["issue_number"], body["content"]) == ("CSCL", 1, TEXT)
    assert body["on_my_list"] is True and body["acknowledged_at"] is None and body["readers"] is None
    readers = api_for(a_secretary).get("/api/v1/quality-policy").json()["readers"]
    assert readers["acknowledged"] == 0 and readers["total"] >= 4
    assert a_staff.pk in [p["id"] for p in readers["pending"]]
    assert api_for(b_head).post(f"/api/v1/revisions/{policy.pk}/acknowledge").status_code == 404
    done = api_for(a_staff).post(f"/api/v1/revisions/{policy.pk}/acknowledge")
    assert done.status_code == 200 and done.json()["acknowledged_at"]
    again = api_for(a_staff).post(f"/api/v1/revisions/{policy.pk}/acknowledge")
    assert again.json()["acknowledged_at"] == done.json()["acknowledged_at"]  # once, not moved
    readers = api_for(a_secretary).get("/api/v1/quality-policy").json()["readers"]
    assert readers["acknowledged"] == 1 and a_staff.pk not in [p["id"] for p in readers["pending"]]
    assert api_for(b_head).get(f"/api/v1/quality-policy?agency={agency_a.code}").status_code == 400
    assert api_for(b_head).get("/api/v1/quality-policy").status_code == 404  # B has none in force
    province = api_for(overseer).get(f"/api/v1/quality-policy?agency={agency_a.code}")
    assert province.status_code == 200 and province.json()["on_my_list"] is False


def test_only_readers_on_the_list_acknowledge(api_for, agency_a, a_staff, policy):
    from eiso.organizations.choices import Role
    from eiso.organizations.tests.factories import make_user

    DistributionEntry.objects.filter(revision=policy, user=a_staff).delete()
    assert api_for(a_staff).post(f"/api/v1/revisions/{policy.pk}/acknowledge").status_code == 403
    newcomer = make_user(agency_a, [Role.STAFF], username="newcomer")
    assert api_for(newcomer).get("/api/v1/quality-policy").json()["on_my_list"] is False
