import datetime

import pytest

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.organizations import services
from eiso.organizations.choices import AgencyLevel, Role, SteeringRole, UnitKind
from eiso.organizations.models import Agency, Membership, SteeringCommittee, Unit, User
from eiso.organizations.tests.factories import AgencyFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db


# --- agencies -----------------------------------------------------------------------------------

def test_admin_creates_agency_in_own_province(admin_user, province):
    agency = services.agency_create(actor=admin_user, code="SYT", name="Sở Y tế", level=AgencyLevel.DEPARTMENT,
                                    province=province)
    assert agency.name_folded == "so y te"
    event = AuditEvent.objects.get(object_id=str(agency.pk), content_type__model="agency")
    assert event.action == "create" and event.actor == admin_user and event.changes["name"] == [None, "Sở Y tế"]


def test_admin_cannot_create_agency_in_another_province(admin_user, other_province):
    with pytest.raises(Forbidden):
        services.agency_create(actor=admin_user, code="X", name="X", level=AgencyLevel.DEPARTMENT,
                               province=other_province)
    assert not Agency.objects.filter(code="X").exists()


@pytest.mark.parametrize("persona", ["a_head", "a_secretary", "a_staff", "overseer"])
def test_only_admins_create_or_change_agencies(request, persona, province, agency_a):
    user = request.getfixturevalue(persona)
    with pytest.raises(Forbidden):
        services.agency_create(actor=user, code="X", name="X", level=AgencyLevel.DEPARTMENT, province=province)
    with pytest.raises(Forbidden):
        services.agency_update(actor=user, agency=agency_a, name="Đổi tên")
    agency_a.refresh_from_db()
    assert agency_a.name == "Sở Tư pháp"


def test_agency_update_validates_dates(admin_user, agency_a):
    with pytest.raises(ValidationFailed):
        services.agency_update(actor=admin_user, agency=agency_a, valid_to=datetime.date(2019, 1, 1))
    agency_a.refresh_from_db()
    assert agency_a.valid_to is None


def test_agency_cannot_be_its_own_parent(admin_user, agency_a):
    with pytest.raises(ValidationFailed):
        services.agency_update(actor=admin_user, agency=agency_a, parent=agency_a)


def test_agency_parents_never_form_a_cycle(admin_user, agency_a, agency_b, dost):
    services.agency_update(actor=admin_user, agency=agency_b, parent=agency_a)
    services.agency_update(actor=admin_user, agency=dost, parent=agency_b)
    with pytest.raises(ValidationFailed) as refused:
        services.agency_update(actor=admin_user, agency=agency_a, parent=dost)  # A → SKHCN → B → A
    assert "parent" in refused.value.errors
    agency_a.refresh_from_db()
    assert agency_a.parent is None


def test_province_admin_cannot_change_another_province(admin_user, agency_q):
    with pytest.raises(Forbidden):
        services.agency_update(actor=admin_user, agency=agency_q, name="X")


# --- the 2025 merge -------------------------------------------------------------------------------

@pytest.fixture
def merge_sources(province):
    kh = AgencyFactory(code="SKHDT", name="Sở Kế hoạch và Đầu tư", province=province)
    tc = AgencyFactory(code="STC-OLD", name="Sở Tài chính (cũ)", province=province)
    vp_kh = UnitFactory(agency=kh, code="VP", name="Văn phòng Sở KH&ĐT")
    vp_tc = UnitFactory(agency=tc, code="VP", name="Văn phòng Sở Tài chính")
    UnitFactory(agency=tc, code="QLNS", name="Phòng Quản lý ngân sách")
    joined = datetime.date(2022, 5, 1)
    people = [
        make_user(kh, [Role.AGENCY_HEAD], username="gd.khdt", valid_from=joined),
        make_user(kh, [Role.STAFF, Role.AUDITOR], unit=vp_kh, username="cv.khdt", valid_from=joined),
        make_user(tc, [Role.QMS_SECRETARY], unit=vp_tc, username="tk.tc", valid_from=joined),
    ]
    return kh, tc, people


def test_merge_makes_successor_moves_people_and_keeps_history(admin_user, merge_sources):
    kh, tc, people = merge_sources
    day = datetime.date(2025, 3, 1)
    new = services.agencies_merge(actor=admin_user, sources=[kh, tc], code="STC", name="Sở Tài chính",
                                  effective_date=day)
    kh.refresh_from_db()
    tc.refresh_from_db()
    assert set(new.predecessors.all()) == {kh, tc}
    assert kh.valid_to == tc.valid_to == datetime.date(2025, 2, 28)
    assert new.valid_from == day and new.province == kh.province
    # Units are recreated; the clashing code "VP" is prefixed with its source's code.
    assert set(new.units.values_list("code", flat=True)) == {"VP", "STC-OLD-VP", "QLNS"}
    assert not Unit.objects.filter(agency__in=[kh, tc], is_active=True).exists()
    for person in people:
        person = User.objects.get(pk=person.pk)
        assert person.agency == new
        history = list(Membership.objects.filter(user=person).order_by("valid_from"))
        assert [m.agency for m in history] == [kh if person.username.endswith("khdt") else tc, new]
        assert history[0].valid_to == datetime.date(2025, 2, 28)
        assert history[0].roles == history[1].roles
    moved = User.objects.get(username="cv.khdt")
    assert moved.membership.unit.name == "Văn phòng Sở KH&ĐT"
    assert AuditEvent.objects.filter(agency=new, action="merge").count() == 1
    assert AuditEvent.objects.filter(action="move", agency=new).count() == 3


def test_merge_refuses_bad_requests(admin_user, merge_sources, agency_q):
    kh, tc, _people = merge_sources
    with pytest.raises(ValidationFailed):
        services.agencies_merge(actor=admin_user, sources=[kh], code="N", name="N",
                                effective_date=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationFailed):
        services.agencies_merge(actor=admin_user, sources=[kh, tc], code="N", name="N",
                                effective_date=datetime.date(2019, 1, 1))
    with pytest.raises(Forbidden):  # the other province is outside the admin's scope
        services.agencies_merge(actor=admin_user, sources=[kh, agency_q], code="N", name="N",
                                effective_date=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationFailed):  # code already used
        services.agencies_merge(actor=admin_user, sources=[kh, tc], code="SKHDT", name="N",
                                effective_date=datetime.date(2025, 3, 1))
    assert not Agency.objects.filter(code="N").exists()
    kh.refresh_from_db()
    assert kh.valid_to is None and kh.units.filter(is_active=True).exists()


def test_merge_of_ended_agency_is_a_conflict(admin_user, merge_sources):
    kh, tc, _people = merge_sources
    services.agencies_merge(actor=admin_user, sources=[kh, tc], code="STC", name="Sở Tài chính",
                            effective_date=datetime.date(2025, 3, 1))
    with pytest.raises(Conflict):
        services.agencies_merge(actor=admin_user, sources=[kh, tc], code="STC2", name="X",
                                effective_date=datetime.date(2025, 6, 1))


def test_staff_cannot_merge(a_staff, merge_sources):
    kh, tc, _people = merge_sources
    with pytest.raises(Forbidden):
        services.agencies_merge(actor=a_staff, sources=[kh, tc], code="N", name="N",
                                effective_date=datetime.date(2025, 3, 1))


# --- units ----------------------------------------------------------------------------------------

def test_secretary_manages_units_of_own_agency_only(a_secretary, agency_a, agency_b):
    unit = services.unit_create(actor=a_secretary, agency=agency_a, code="TTR", name="Thanh tra Sở",
                                kind=UnitKind.SPECIALIST)
    assert unit.agency == agency_a
    with pytest.raises(Forbidden):
        services.unit_create(actor=a_secretary, agency=agency_b, code="TTR", name="X", kind=UnitKind.OTHER)
    assert not agency_b.units.exists()


@pytest.mark.parametrize("persona", ["a_staff", "a_unit_head", "overseer", "b_head"])
def test_others_cannot_create_units_in_agency_a(request, persona, agency_a):
    with pytest.raises(Forbidden):
        services.unit_create(actor=request.getfixturevalue(persona), agency=agency_a, code="X", name="X",
                             kind=UnitKind.OTHER)


def test_unit_code_unique_in_agency(a_secretary, unit_a):
    with pytest.raises(ValidationFailed) as exc:
        services.unit_create(actor=a_secretary, agency=unit_a.agency, code="HCTP", name="Trùng", kind="other")
    assert "code" in str(exc.value.errors) or "__all__" in exc.value.errors


def test_unit_kind_must_be_known(a_secretary, agency_a):
    with pytest.raises(ValidationFailed):
        services.unit_create(actor=a_secretary, agency=agency_a, code="Z", name="Z", kind="castle")


# --- people ---------------------------------------------------------------------------------------

def test_admin_creates_person_with_membership(admin_user, agency_a, unit_a):
    person = services.user_create(actor=admin_user, username="moi", full_name="Lý Thị Mới", agency=agency_a,
                                  unit=unit_a, roles=[Role.STAFF, Role.AUDITOR], password="Mat-khau-rat-kho-9")
    assert person.agency == agency_a and person.roles == {"staff", "auditor"}
    assert person.check_password("Mat-khau-rat-kho-9")
    event = AuditEvent.objects.get(action="create", content_type__model="user", object_id=str(person.pk))
    assert event.agency == agency_a and event.changes["roles"] == [None, ["staff", "auditor"]]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": ["emperor"]}, "roles"),
        ({"password": "123"}, "password"),
        ({"username": "a_staff"}, "username"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_person_creation_rejects_bad_input(admin_user, agency_a, a_staff, kwargs, field):
    data = {"username": "moi", "full_name": "Lý Thị Mới", "agency": agency_a, "roles": [Role.STAFF],
            "password": "Mat-khau-rat-kho-9", **kwargs}
    count = User.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(actor=admin_user, **data)
    assert field in exc.value.errors
    assert User.objects.count() == count


def test_person_cannot_join_unit_of_another_agency(admin_user, agency_a, unit_b):
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(actor=admin_user, username="moi", full_name="X", agency=agency_a, unit=unit_b,
                             roles=[Role.STAFF])
    assert "unit" in exc.value.errors


def test_only_admins_create_people(a_head, agency_a):
    with pytest.raises(Forbidden):
        services.user_create(actor=a_head, username="moi", full_name="X", agency=agency_a, roles=[Role.STAFF])


def test_membership_change_in_place_and_move(admin_user, a_staff, unit_a, agency_b, one_stop_a):
    services.membership_change(actor=admin_user, user=a_staff, roles=[Role.STAFF, Role.UNIT_HEAD], unit=one_stop_a)
    a_staff = User.objects.get(pk=a_staff.pk)
    assert a_staff.roles == {"staff", "unit_head"} and a_staff.membership.unit == one_stop_a
    assert a_staff.memberships.count() == 1
    services.membership_change(actor=admin_user, user=a_staff, roles=[Role.STAFF], agency=agency_b)
    a_staff = User.objects.get(pk=a_staff.pk)
    assert a_staff.agency == agency_b
    assert a_staff.memberships.count() == 2
    assert a_staff.memberships.filter(valid_to__isnull=False).get().roles == {"staff", "unit_head"}
    actions = list(AuditEvent.objects.filter(content_type__model="user", object_id=str(a_staff.pk))
                   .values_list("action", flat=True))
    assert actions[:2] == ["move", "update"]


def test_user_cannot_deactivate_self(admin_user):
    with pytest.raises(Conflict):
        services.user_update(actor=admin_user, user=admin_user, is_active=False)


def test_deactivated_user_sees_nothing(admin_user, a_staff):
    from eiso.organizations.selectors import visible_agencies

    services.user_update(actor=admin_user, user=a_staff, is_active=False)
    a_staff.refresh_from_db()
    assert not visible_agencies(a_staff).exists()


def test_password_change_by_self_is_audited(a_staff):
    services.user_set_password(actor=a_staff, user=a_staff, password="Mot-mat-khau-moi-77")
    a_staff.refresh_from_db()
    assert a_staff.check_password("Mot-mat-khau-moi-77")
    assert AuditEvent.objects.filter(action="password", object_id=str(a_staff.pk)).exists()


def test_staff_cannot_set_anothers_password(a_staff, a_head):
    with pytest.raises(Forbidden):
        services.user_set_password(actor=a_staff, user=a_head, password="Mot-mat-khau-moi-77")


# --- job descriptions and steering committees -----------------------------------------------------

def test_unit_head_edits_job_descriptions_of_own_unit_only(a_unit_head, agency_a, unit_a, one_stop_a):
    job = services.job_description_create(actor=a_unit_head, agency=agency_a, unit=unit_a, code="MTCV-01",
                                          position="Chuyên viên", duties="Thẩm định hồ sơ")
    services.job_description_update(actor=a_unit_head, job=job, duties="Thẩm định và trình ký")
    other = services.job_description_create(actor=None, agency=agency_a, unit=one_stop_a, code="MTCV-02",
                                            position="Cán bộ một cửa", duties="Tiếp nhận hồ sơ")
    with pytest.raises(Forbidden):
        services.job_description_update(actor=a_unit_head, job=other, duties="X")


def test_new_steering_committee_stands_down_the_old(a_head, agency_a, a_secretary, b_staff):
    first = services.steering_committee_create(actor=a_head, agency=agency_a, name="Ban chỉ đạo ISO 2024",
                                               decision_number="12/QĐ-STP", decision_date=datetime.date(2024, 1, 5))
    second = services.steering_committee_create(actor=a_head, agency=agency_a, name="Ban chỉ đạo ISO 2026",
                                                decision_number="30/QĐ-STP", decision_date=datetime.date(2026, 2, 1))
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert SteeringCommittee.objects.filter(agency=agency_a, is_active=True).count() == 1
    member = services.steering_member_add(actor=a_head, committee=second, user=a_secretary,
                                          role=SteeringRole.SECRETARY)
    assert member.committee == second
    with pytest.raises(ValidationFailed):
        services.steering_member_add(actor=a_head, committee=second, user=a_secretary, role=SteeringRole.MEMBER)
    with pytest.raises(ValidationFailed):
        services.steering_member_add(actor=a_head, committee=second, user=b_staff, role=SteeringRole.MEMBER)
    services.steering_member_remove(actor=a_head, member=member)
    assert not second.members.exists()


def test_overseer_cannot_touch_steering_committee(overseer, agency_a):
    with pytest.raises(Forbidden):
        services.steering_committee_create(actor=overseer, agency=agency_a, name="X", decision_number="1",
                                           decision_date=datetime.date(2026, 1, 1))


# --- API tokens -----------------------------------------------------------------------------------

def test_token_round_trip_and_revocation(a_staff):
    token, raw = services.api_token_create(actor=None, user=a_staff)
    assert raw.startswith("eiso_") and token.digest != raw and raw not in token.digest
    assert services.api_token_authenticate(raw) == a_staff
    assert services.api_token_authenticate(raw + "x") is None
    assert services.api_token_authenticate("") is None
    services.api_token_revoke(actor=a_staff, token=token)
    assert services.api_token_authenticate(raw) is None


def test_token_of_deactivated_user_stops_working(admin_user, a_staff):
    _token, raw = services.api_token_create(actor=None, user=a_staff)
    services.user_update(actor=admin_user, user=a_staff, is_active=False)
    assert services.api_token_authenticate(raw) is None


def test_nothing_new_goes_into_an_ended_agency(admin_user, agency_a, a_staff):
    services.agency_update(actor=admin_user, agency=agency_a, valid_to=datetime.date(2025, 2, 28))
    with pytest.raises(Conflict):
        services.unit_create(actor=admin_user, agency=agency_a, code="NEW", name="Mới", kind=UnitKind.OTHER)
    with pytest.raises(Conflict):
        services.user_create(actor=admin_user, username="late", full_name="Đến muộn", agency=agency_a,
                             roles=[Role.STAFF])
    assert not agency_a.units.filter(code="NEW").exists()


def test_the_active_membership_is_kept_until_the_data_change(admin_user, a_staff, agency_a,
                                                             django_assert_num_queries):
    """Each request's user object reads the data generation, not the membership and its roles again
    (``models.active_membership``); its rows are its own copies; a role given shows at the next read."""
    assert User.objects.get(pk=a_staff.pk).roles == {"staff"}
    again = User.objects.get(pk=a_staff.pk)
    with django_assert_num_queries(1):  # the data generation
        assert again.roles == {"staff"} and again.agency == agency_a and again.membership.user is again
        assert again.agency.province_id == agency_a.province_id and again.membership.unit is not None
    again.agency.name = "Đổi trong một yêu cầu"
    assert User.objects.get(pk=a_staff.pk).agency.name == agency_a.name
    services.membership_change(actor=admin_user, user=a_staff, roles=[Role.STAFF, Role.UNIT_HEAD])
    assert User.objects.get(pk=a_staff.pk).roles == {"staff", "unit_head"}


def test_the_kept_membership_stays_through_another_agency_s_writes(admin_user, a_staff, agency_a, agency_b,
                                                                   django_assert_num_queries):
    """A person's kept membership depends on their agency's writes (and those of no one agency): a write
    in agency B leaves it; a role given in A, a move to B, a write of A's and a person's row are read."""
    User.objects.get(pk=a_staff.pk).roles  # noqa: B018 (kept)
    UnitFactory(agency=agency_b)
    again = User.objects.get(pk=a_staff.pk)
    with django_assert_num_queries(1):  # the data generation
        assert again.roles == {"staff"}
    services.membership_change(actor=admin_user, user=a_staff, roles=[Role.STAFF, Role.UNIT_HEAD])
    assert User.objects.get(pk=a_staff.pk).roles == {"staff", "unit_head"}
    UnitFactory(agency=agency_a)
    again = User.objects.get(pk=a_staff.pk)
    with django_assert_num_queries(3):  # the generation, the membership, its roles
        assert again.agency == agency_a
    services.membership_change(actor=admin_user, user=a_staff, roles=[Role.STAFF], agency=agency_b)
    moved = User.objects.get(pk=a_staff.pk)
    assert (moved.agency, moved.roles) == (agency_b, {"staff"})
    UnitFactory(agency=agency_a)  # no longer their agency
    again = User.objects.get(pk=a_staff.pk)
    with django_assert_num_queries(1):
        assert again.agency == agency_b


def test_a_change_to_one_readers_kept_membership_does_not_reach_another_reader(a_unit_head):
    """Two requests of one person share the kept membership (``models.active_membership``): what one
    changes in its copy, role rows included, stays in its own."""
    first, second = User.objects.get(pk=a_unit_head.pk), User.objects.get(pk=a_unit_head.pk)
    assert first.membership is not second.membership and first.roles == second.roles == {"unit_head"}
    with pytest.raises(AttributeError):
        first.roles.add(Role.ADMIN)  # a frozen set
    [row] = first.membership.role_rows.all()
    row.role = Role.ADMIN
    first.membership.agency.name = first.membership.agency.province.name = first.membership.unit.name = "Đổi"
    first.membership.valid_from = datetime.date(2000, 1, 1)
    third = User.objects.get(pk=a_unit_head.pk)
    for reader in (second, third):
        assert reader.roles == {"unit_head"}
        assert [r.role for r in reader.membership.role_rows.all()] == [Role.UNIT_HEAD]
        assert "Đổi" not in (reader.agency.name, reader.agency.province.name, reader.membership.unit.name)
        assert reader.membership.valid_from != datetime.date(2000, 1, 1)
        assert reader.membership.role_rows.get().membership is reader.membership
