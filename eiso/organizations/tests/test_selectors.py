"""The scope gate: who reads which agencies, units, people and audit events."""

import pytest

from eiso.core.errors import NotFound
from eiso.organizations import selectors, services
from eiso.organizations.tests.factories import JobDescriptionFactory, SteeringCommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency_a, agency_b, dost, agency_q, unit_a, unit_b, a_staff, b_staff, overseer, q_overseer):
    return {"A": agency_a, "B": agency_b, "DOST": dost, "Q": agency_q}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("a_staff", {"A"}),
        ("b_staff", {"B"}),
        ("overseer", {"A", "B", "DOST"}),
        ("admin_user", {"A", "B", "DOST"}),
        ("q_overseer", {"Q"}),
    ],
)
def test_visible_agencies(request, world, persona, expected):
    user = request.getfixturevalue(persona)
    names = {k for k, agency in world.items() if agency in selectors.visible_agencies(user)}
    assert names == expected


def test_anonymous_and_memberless_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.visible_agencies(AnonymousUser()).exists()
    loner = django_user_model.objects.create_user("loner", password="x")
    assert not selectors.visible_agencies(loner).exists()
    assert not selectors.users_for_user(loner).exists()


def test_superuser_sees_every_province(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert set(selectors.visible_agencies(root)) >= set(world.values())


def test_get_outside_scope_reads_like_missing(world, a_staff, unit_b, b_staff):
    for getter, obj in [
        (selectors.agency_get_for_user, world["B"]),
        (selectors.unit_get_for_user, unit_b),
        (selectors.user_get_for_user, b_staff),
        (selectors.job_description_get_for_user, JobDescriptionFactory(agency=world["B"])),
        (selectors.steering_committee_get_for_user, SteeringCommitteeFactory(agency=world["B"])),
    ]:
        with pytest.raises(NotFound):
            getter(a_staff, obj.pk)
    for junk in ("abc", None, "", 10**12):
        with pytest.raises(NotFound):
            selectors.agency_get_for_user(a_staff, junk)


def test_lists_are_scoped(world, a_staff, overseer, b_staff, a_head):
    assert set(selectors.users_for_user(a_staff)) == {a_staff, a_head}
    assert b_staff in selectors.users_for_user(overseer)
    assert all(u.agency == world["A"] for u in selectors.units_for_user(a_staff))


def test_search_ignores_diacritics_and_case(world, a_staff, overseer):
    assert list(selectors.agencies_for_user(overseer, q="so tu PHAP")) == [world["A"]]
    assert list(selectors.agencies_for_user(overseer, q="Sở Xây")) == [world["B"]]
    assert not selectors.agencies_for_user(a_staff, q="xay dung").exists()


def test_people_filters(world, a_staff, a_head, overseer, unit_a):
    assert list(selectors.users_for_user(overseer, role="agency_head")) == [a_head]
    assert set(selectors.users_for_user(overseer, unit=str(unit_a.pk))) == {a_staff}
    assert set(selectors.users_for_user(overseer, agency="STP")) == {a_staff, a_head}


def test_audit_events_scoped_by_agency(world, admin_user, unit_a, unit_b, a_staff, a_head):
    services.unit_update(actor=admin_user, unit=unit_a, name="Phòng A mới")
    services.unit_update(actor=admin_user, unit=unit_b, name="Phòng B mới")
    seen = {e.object_repr for e in selectors.audit_events_for_user(a_head) if e.content_type.model == "unit"}
    assert seen == {"Phòng A mới"}
    seen_overseer = {e.object_repr for e in selectors.audit_events_for_user(admin_user)
                     if e.content_type.model == "unit"}
    assert seen_overseer == {"Phòng A mới", "Phòng B mới"}


def test_successor_agency_staff_read_predecessors(admin_user, province):
    import datetime

    from eiso.organizations.choices import Role
    from eiso.organizations.models import User
    from eiso.organizations.tests.factories import AgencyFactory, make_user

    old1 = AgencyFactory(province=province, name="Sở Lao động - Thương binh và Xã hội")
    old2 = AgencyFactory(province=province, name="Sở Nội vụ (cũ)")
    person = make_user(old1, [Role.STAFF], valid_from=datetime.date(2020, 1, 1))
    new = services.agencies_merge(actor=admin_user, sources=[old1, old2], code="SNV", name="Sở Nội vụ",
                                  effective_date=datetime.date(2025, 3, 1))
    person = User.objects.get(pk=person.pk)
    assert set(selectors.visible_agencies(person)) == {new, old1, old2}


def test_successor_staff_read_the_whole_chain_of_predecessors(admin_user, province):
    """A merged into C, C into D: D's staff read A too (not only the agencies D merged directly)."""
    import datetime

    from eiso.organizations.choices import Role
    from eiso.organizations.tests.factories import AgencyFactory, make_user

    a = AgencyFactory(province=province, code="A", name="Phòng Tài nguyên và Môi trường huyện (cũ)")
    b = AgencyFactory(province=province, code="B", name="Phòng Nông nghiệp huyện (cũ)")
    c = services.agencies_merge(actor=admin_user, sources=[a, b], code="C", name="Phòng Nông nghiệp và Môi trường",
                                effective_date=datetime.date(2025, 3, 1))
    other = AgencyFactory(province=province, code="E", name="UBND xã bên cạnh")
    d = services.agencies_merge(actor=admin_user, sources=[c, other], code="D", name="UBND xã mới",
                                effective_date=datetime.date(2025, 7, 1))
    staff = make_user(d, [Role.STAFF])
    assert set(selectors.visible_agencies(staff)) == {d, c, other, a, b}
    assert set(selectors.visible_agencies(make_user(c, [Role.STAFF]))) == {c, a, b}
