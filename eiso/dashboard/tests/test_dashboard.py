"""The landing page per kind of user, its scope and its bounded queries."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.organizations import services
from eiso.organizations.choices import AgencyLevel, Role
from eiso.organizations.tests.factories import AgencyFactory, SteeringCommitteeFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db


def page(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response, response.content.decode()


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staff_sees_their_agency_unit_and_links(client_for, agency_a, unit_a, a_staff, a_head, agency_b):
    SteeringCommitteeFactory(agency=agency_a, name="Ban chỉ đạo ISO Sở Tư pháp")
    response, body = page(client_for(a_staff))
    assert "Sở Tư pháp" in body and "Phòng Hành chính tư pháp" in body
    assert "Ban chỉ đạo ISO Sở Tư pháp" in body
    assert response.context["agency_counts"].people_count == 2
    assert reverse("organizations:user-detail", args=[a_staff.pk]) in body
    assert reverse("organizations:unit-create") not in body  # staff cannot add units
    assert "recent_events" not in response.context  # no audit trail for staff
    assert "Sở Xây dựng" not in body


def test_secretary_sees_manager_links_and_recent_changes(
    client_for, agency_a, unit_a, a_secretary, b_head, unit_b
):
    services.unit_update(actor=a_secretary, unit=unit_a, name="Phòng Pháp chế")
    services.unit_update(actor=b_head, unit=unit_b, name="Phòng của B")
    response, body = page(client_for(a_secretary))
    assert reverse("organizations:unit-create") in body
    assert reverse("organizations:steeringcommittee-create") in body  # no committee yet
    assert "Phòng Pháp chế" in body
    assert "Phòng của B" not in body  # another agency's changes stay out


def test_unit_head_gets_their_unit_links(client_for, unit_a, a_unit_head):
    _response, body = page(client_for(a_unit_head))
    assert f"{reverse('organizations:jobdescription-list')}?unit={unit_a.pk}" in body
    assert reverse("organizations:jobdescription-create") in body


def test_overseer_sees_every_agency_of_the_province_with_a_chart(
    client_for, agency_a, agency_b, agency_q, unit_a, a_staff, b_staff, overseer
):
    SteeringCommitteeFactory(agency=agency_a)
    response, body = page(client_for(overseer))
    codes = {a.code for a in response.context["agencies"]}
    assert {"STP", "SXD", "SKHCN"} <= codes and "QT-STP" not in codes
    row = next(a for a in response.context["agencies"] if a.code == "STP")
    assert (row.unit_count, row.people_count, row.has_committee) == (1, 1, True)
    assert 'id="chart-people"' in body and 'data-chart="chart-people"' in body
    assert "vendor/chartjs/chart.umd.min.js" in body and body.count('src="/static/eiso/charts.js"') == 1
    chart = json.loads(
        body.split('<script id="chart-levels" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["type"] == "doughnut" and sum(chart["datasets"][0]["data"]) == len(codes)
    assert reverse("organizations:agency-create") not in body  # overseers do not write


def test_overseer_table_shows_every_agency_without_a_scroll_box(client_for, province, agency_a, overseer):
    """Ten agencies in a box 38rem high hid two of them: the table now holds every agency in full."""
    for i in range(12):
        AgencyFactory(province=province, name=f"Ủy ban nhân dân xã Thử Nghiệm Số {i:02d}")
    _response, body = page(client_for(overseer))
    table = body.split('id="province-agencies"')[1].split("</table>")[0]
    for i in range(12):
        assert f"Ủy ban nhân dân xã Thử Nghiệm Số {i:02d}" in table
    box = body.split('id="province-agencies"')[0].rsplit("<div", 2)[-2:]
    assert "scroll" not in table and not any("scroll" in b for b in box)


def test_other_province_overseer_sees_only_their_province(client_for, agency_a, agency_q, q_overseer):
    response, _body = page(client_for(q_overseer))
    assert {a.code for a in response.context["agencies"]} == {"QT-STP"}


def test_admin_sees_counts_links_and_recent_changes(client_for, agency_a, unit_a, admin_user):
    services.unit_update(actor=admin_user, unit=unit_a, name="Phòng Pháp chế")
    response, body = page(client_for(admin_user))
    assert response.context["totals"]["agencies"] >= 2
    for name in (
        "organizations:agency-create",
        "organizations:agency-merge",
        "organizations:user-create",
        "organizations:auditevent-list",
    ):
        assert reverse(name) in body
    assert "Phòng Pháp chế" in body


def test_user_without_an_agency_gets_a_hint(client, django_user_model):
    user = django_user_model.objects.create_user(username="lonely", password="x")
    client.force_login(user)
    response, body = page(client)
    assert 'class="alert alert-info"' in body


def _count(client) -> int:
    """The queries of computing the dashboard (its cached copy dropped first)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_overseer_dashboard_queries_do_not_grow_with_agencies(
    client_for, django_assert_max_num_queries, province, agency_a, overseer
):
    client = client_for(overseer)
    client.get(reverse("dashboard"))
    few = _count(client)
    for _ in range(30):
        agency = AgencyFactory(province=province, level=AgencyLevel.COMMUNE_PC)
        UnitFactory(agency=agency)
        SteeringCommitteeFactory(agency=agency)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("dashboard"))
    assert len(response.context["agencies"]) >= 30


def test_staff_dashboard_queries_do_not_grow_with_people(
    client_for, django_assert_max_num_queries, agency_a, unit_a, a_secretary
):
    client = client_for(a_secretary)
    client.get(reverse("dashboard"))
    few = _count(client)
    for _ in range(30):
        make_user(agency_a, [Role.STAFF], unit=unit_a)
    with django_assert_max_num_queries(few):
        client.get(reverse("dashboard"))


def test_a_repeated_view_reads_its_cached_figures_until_the_data_change(
    client_for, django_assert_num_queries, agency_a, unit_a, a_secretary
):
    """Nothing changed: the figures come from the cache (the session's user, then the data
    generation, by which the membership and its roles are kept too: 2 queries). A write, here a new
    person, shows at the next view."""
    client = client_for(a_secretary)
    before, _body = page(client)
    with django_assert_num_queries(2):
        again, _body = page(client)
    assert again.context["agency_counts"].people_count == before.context["agency_counts"].people_count
    make_user(agency_a, [Role.STAFF], unit=unit_a)
    after, _body = page(client)
    assert after.context["agency_counts"].people_count == before.context["agency_counts"].people_count + 1


def test_a_write_in_another_agency_leaves_the_cached_dashboard_of_agency_people(
    client_for, monkeypatch, agency_a, unit_a, a_secretary, b_staff, overseer
):
    """An agency's people see its data alone: their cached dashboard stays through another
    agency's writes; that agency's people and the province's overseer see the write at once, and
    a write of no one agency (an agency's own row) reaches everyone."""
    from eiso.dashboard import views

    computed = []
    monkeypatch.setattr(views, "dashboard_context", lambda user, compute=views.dashboard_context: (
        computed.append(user.username) or compute(user)))
    clients = {user: client_for(user) for user in (a_secretary, b_staff, overseer)}
    before = {user: page(client)[0] for user, client in clients.items()}
    assert sorted(computed) == sorted(["a_secretary", "b_staff", "overseer"])
    computed.clear()
    UnitFactory(agency=agency_a, name="Phòng mới")  # a write of agency A's data
    page(clients[b_staff])
    assert computed == []  # B's copy kept
    after, _body = page(clients[a_secretary])
    assert after.context["agency_counts"].unit_count == before[a_secretary].context["agency_counts"].unit_count + 1
    after, _body = page(clients[overseer])
    assert computed == ["a_secretary", "overseer"]
    units = {a.pk: a.unit_count for a in after.context["agencies"]}
    assert units[agency_a.pk] == {a.pk: a.unit_count for a in before[overseer].context["agencies"]}[agency_a.pk] + 1
    AgencyFactory(province=agency_a.province)  # not one agency's data alone: every copy goes stale
    page(clients[b_staff])
    assert computed == ["a_secretary", "overseer", "b_staff"]


def test_agency_people_are_shown_the_documents_to_read_of_the_agencies_they_read(
        client_for, a_secretary, a_unit_head, a_head, a_staff, b_staff, agency_a, unit_a):
    """As "Việc của tôi" lists them: an entry left for someone of agency B on a revision of agency A
    (an agency they moved from) is not on their dashboard, which A's writes no longer refresh."""
    from django.utils import timezone

    from eiso.documents.choices import DocumentKind
    from eiso.documents.models import DistributionEntry
    from eiso.documents.services import revisions as documents
    from eiso.documents.tests.factories.revisions import publish

    document = documents.document_create(actor=a_secretary, agency=agency_a, code="QT-05", title="Quy trình",
                                         kind=DocumentKind.OPERATIONAL_PROCEDURE, owner_unit=unit_a)
    revision = publish(document, a_unit_head, a_secretary, a_head)
    DistributionEntry.objects.create(revision=revision, user=b_staff, notified_at=timezone.now())
    assert page(client_for(a_staff))[0].context["to_read_count"] == 1
    assert page(client_for(b_staff))[0].context["to_read_count"] == 0
