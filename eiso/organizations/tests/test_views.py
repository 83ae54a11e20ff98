"""The organisation pages through HTTP: scope (404 outside it), permissions (403), forms that
refuse bad or tampered input without changing anything, bounded queries on list pages, i18n."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.organizations import services
from eiso.organizations.choices import AgencyLevel, Role, SteeringRole, UnitKind
from eiso.organizations.models import (
    Agency,
    JobDescription,
    Membership,
    SteeringCommittee,
    SteeringMember,
    Unit,
)
from eiso.organizations.tests.factories import (
    PASSWORD,
    AgencyFactory,
    JobDescriptionFactory,
    SteeringCommitteeFactory,
    UnitFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_a(agency_a, unit_a):
    return JobDescriptionFactory(
        agency=agency_a, unit=unit_a, code="MTCV-A1", position="Chuyên viên pháp chế"
    )


@pytest.fixture
def committee_a(agency_a, a_head):
    committee = SteeringCommitteeFactory(agency=agency_a, name="Ban chỉ đạo ISO Sở Tư pháp")
    SteeringMember.objects.create(committee=committee, user=a_head, role=SteeringRole.HEAD)
    return committee


@pytest.fixture
def objs(agency_a, unit_a, a_staff, job_a, committee_a):
    return {"agency": agency_a, "unit": unit_a, "person": a_staff, "job": job_a, "committee": committee_a}


def url(name, objs=None, key=None):
    return reverse(f"organizations:{name}", args=[objs[key].pk] if key else [])


def snapshot():
    """Everything a refused form must leave alone."""
    return (
        Agency.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
        JobDescription.objects.count(),
        SteeringCommittee.objects.count(),
        SteeringMember.objects.count(),
        AuditEvent.objects.count(),
    )


LIST_PAGES = ["agency-list", "unit-list", "user-list", "jobdescription-list", "steeringcommittee-list"]
DETAIL_PAGES = [
    ("agency-detail", "agency"),
    ("unit-detail", "unit"),
    ("user-detail", "person"),
    ("jobdescription-detail", "job"),
    ("steeringcommittee-detail", "committee"),
]
WRITE_PAGES = [
    ("agency-create", None),
    ("agency-merge", None),
    ("agency-update", "agency"),
    ("unit-create", None),
    ("unit-update", "unit"),
    ("user-create", None),
    ("user-update", "person"),
    ("jobdescription-create", None),
    ("jobdescription-update", "job"),
    ("steeringcommittee-create", None),
    ("steeringcommittee-update", "committee"),
    ("steeringmember-add", "committee"),
]
SCOPED_PAGES = [*DETAIL_PAGES, *[(n, k) for n, k in WRITE_PAGES if k]]


# --- no permission ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,key", [*[(n, None) for n in LIST_PAGES], ("auditevent-list", None), *DETAIL_PAGES, *WRITE_PAGES]
)
def test_anonymous_is_sent_to_login(client, objs, name, key):
    response = client.get(url(name, objs, key))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_dashboard_and_password_pages_redirect(client):
    for path in (reverse("dashboard"), reverse("password_change")):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name,key", WRITE_PAGES)
def test_staff_without_the_role_gets_403_on_write_pages(client_for, objs, a_staff, name, key):
    client = client_for(a_staff)
    before = snapshot()
    assert client.get(url(name, objs, key)).status_code == 403
    assert client.post(url(name, objs, key), {"code": "X", "name": "X"}).status_code == 403
    assert snapshot() == before


def test_staff_cannot_read_the_audit_trail(client_for, a_staff):
    assert client_for(a_staff).get(url("auditevent-list")).status_code == 403


def test_staff_cannot_remove_committee_members(client_for, objs, a_staff, committee_a):
    member = committee_a.members.get()
    before = snapshot()
    response = client_for(a_staff).post(
        reverse("organizations:steeringmember-remove", args=[committee_a.pk, member.pk])
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_unit_head_may_edit_only_their_own_units_job_descriptions(
    client_for, agency_a, unit_a, a_unit_head, job_a
):
    client = client_for(a_unit_head)
    other_unit = UnitFactory(agency=agency_a, code="KHAC")
    other_job = JobDescriptionFactory(agency=agency_a, unit=other_unit)
    assert client.get(reverse("organizations:jobdescription-update", args=[job_a.pk])).status_code == 200
    assert client.get(reverse("organizations:jobdescription-update", args=[other_job.pk])).status_code == 403


def test_buttons_follow_permissions(client_for, objs, a_staff, a_secretary, agency_a):
    staff_page = client_for(a_staff).get(url("unit-detail", objs, "unit")).content.decode()
    assert reverse("organizations:unit-update", args=[objs["unit"].pk]) not in staff_page
    secretary_page = client_for(a_secretary).get(url("unit-detail", objs, "unit")).content.decode()
    assert reverse("organizations:unit-update", args=[objs["unit"].pk]) in secretary_page
    assert (
        reverse("organizations:unit-create") not in client_for(a_staff).get(url("unit-list")).content.decode()
    )
    assert (
        reverse("organizations:unit-create") in client_for(a_secretary).get(url("unit-list")).content.decode()
    )


# --- other agency ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,key", SCOPED_PAGES)
def test_other_agency_gets_404(client_for, objs, b_staff, b_head, name, key):
    for user in (b_staff, b_head):
        response = client_for(user).get(url(name, objs, key))
        assert response.status_code == 404, (user, name)


@pytest.mark.parametrize("name,key", DETAIL_PAGES)
def test_other_agency_gets_404_on_history_tabs(client_for, objs, b_staff, name, key):
    assert client_for(b_staff).get(url(name, objs, key) + "?tab=history").status_code == 404


def test_other_province_overseer_gets_404(client_for, objs, q_overseer):
    client = client_for(q_overseer)
    for name, key in DETAIL_PAGES:
        assert client.get(url(name, objs, key)).status_code == 404


def test_other_agency_cannot_post_to_scoped_writes(client_for, objs, b_head, committee_a):
    client = client_for(b_head)
    member = committee_a.members.get()
    before = snapshot()
    assert (
        client.post(
            url("unit-update", objs, "unit"), {"code": "X", "name": "X", "kind": "office"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("organizations:steeringmember-remove", args=[committee_a.pk, member.pk])
        ).status_code
        == 404
    )
    assert snapshot() == before


@pytest.mark.parametrize("name", LIST_PAGES)
def test_lists_show_only_the_users_scope(client_for, objs, agency_b, unit_b, b_staff, name):
    JobDescriptionFactory(agency=agency_b, unit=unit_b, code="MTCV-B1", position="Vị trí của B")
    SteeringCommitteeFactory(agency=agency_b, name="Ban chỉ đạo của B")
    page = client_for(b_staff).get(url(name)).content.decode()
    for text in (
        "Sở Tư pháp",
        "Phòng Hành chính tư pháp",
        "Đặng Văn Chuyên Viên",
        "MTCV-A1",
        "Ban chỉ đạo ISO Sở Tư pháp",
    ):
        assert text not in page


# --- with access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,key", DETAIL_PAGES)
def test_staff_reads_their_agency_pages_and_every_tab(client_for, objs, a_staff, name, key):
    client = client_for(a_staff)
    response = client.get(url(name, objs, key))
    assert response.status_code == 200
    for tab_key, _label in response.context["tabs"]:
        assert client.get(url(name, objs, key), {"tab": tab_key}).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
def test_staff_reads_lists(client_for, objs, a_staff, name):
    response = client_for(a_staff).get(url(name))
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 1


def test_list_filters_and_search(client_for, objs, agency_a, a_secretary, a_staff):
    client = client_for(a_secretary)
    UnitFactory(agency=agency_a, code="MC", name="Bộ phận Một cửa", kind=UnitKind.ONE_STOP)
    found = client.get(url("unit-list"), {"kind": UnitKind.ONE_STOP}).context["page"].object_list
    assert [u.code for u in found] == ["MC"]
    people = client.get(url("user-list"), {"q": "Chuyên Viên"}).context["page"].object_list
    assert [p.username for p in people] == ["a_staff"]
    people = client.get(url("user-list"), {"role": Role.QMS_SECRETARY}).context["page"].object_list
    assert [p.username for p in people] == ["a_secretary"]
    # junk filter values are ignored, not a 500
    assert client.get(url("unit-list"), {"kind": "nonsense", "agency": "abc", "page": "x"}).status_code == 200


def test_history_tab_shows_changes_before_and_after(client_for, objs, a_secretary, unit_a):
    services.unit_update(actor=a_secretary, unit=unit_a, name="Phòng Pháp chế")
    page = client_for(a_secretary).get(url("unit-detail", objs, "unit"), {"tab": "history"}).content.decode()
    assert "Phòng Hành chính tư pháp" in page and "Phòng Pháp chế" in page
    assert "Lê Văn Thư Ký" in page


def test_person_membership_history_shows_ended_memberships(
    client_for, agency_a, agency_b, admin_user, b_staff
):
    services.membership_change(actor=admin_user, user=b_staff, roles=[Role.STAFF], agency=agency_a)
    response = client_for(admin_user).get(
        reverse("organizations:user-detail", args=[b_staff.pk]), {"tab": "memberships"}
    )
    page = response.content.decode()
    assert "Sở Xây dựng" in page and "Sở Tư pháp" in page
    assert len(response.context["memberships"]) == 2


def test_agency_detail_links_predecessors_and_successors(client_for, province, admin_user):
    old1 = AgencyFactory(province=province, code="OLD1", name="Sở Cũ Một")
    old2 = AgencyFactory(province=province, code="OLD2", name="Sở Cũ Hai")
    new = services.agencies_merge(
        actor=admin_user,
        sources=[old1, old2],
        code="NEW",
        name="Sở Mới",
        effective_date=datetime.date(2025, 7, 1),
    )
    client = client_for(admin_user)
    page = client.get(reverse("organizations:agency-detail", args=[new.pk])).content.decode()
    assert reverse("organizations:agency-detail", args=[old1.pk]) in page
    page = client.get(reverse("organizations:agency-detail", args=[old1.pk])).content.decode()
    assert reverse("organizations:agency-detail", args=[new.pk]) in page


def test_audit_trail_for_managers(client_for, objs, a_secretary, unit_a, b_head):
    services.unit_update(actor=a_secretary, unit=unit_a, name="Phòng Pháp chế")
    response = client_for(a_secretary).get(url("auditevent-list"), {"model": "unit"})
    assert response.status_code == 200
    assert "Phòng Pháp chế" in response.content.decode()
    # another agency's manager does not see A's events
    assert "Phòng Pháp chế" not in client_for(b_head).get(url("auditevent-list")).content.decode()


def test_htmx_filter_request_gets_only_the_results(client_for, objs, a_staff):
    response = client_for(a_staff).get(
        url("unit-list"), {"q": "Hành"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="results"' in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


# --- the overseer reads, never writes -----------------------------------------------------------------


def test_overseer_reads_the_province(client_for, objs, overseer, agency_b):
    client = client_for(overseer)
    for name, key in DETAIL_PAGES:
        assert client.get(url(name, objs, key)).status_code == 200
    agencies = client.get(url("agency-list")).context["page"].object_list
    assert {"STP", "SXD"} <= {a.code for a in agencies}
    assert client.get(url("auditevent-list")).status_code == 200


@pytest.mark.parametrize("name,key", WRITE_PAGES)
def test_overseer_gets_403_on_every_write_page(client_for, objs, overseer, agency_a, name, key):
    client = client_for(overseer)
    before = snapshot()
    assert client.get(url(name, objs, key)).status_code == 403
    response = client.post(
        url(name, objs, key),
        {
            "agency": agency_a.pk,
            "code": "X",
            "name": "X",
            "kind": "office",
            "roles": [Role.STAFF],
            "username": "x",
            "full_name": "X",
        },
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_overseer_cannot_remove_members(client_for, committee_a, overseer):
    member = committee_a.members.get()
    url_ = reverse("organizations:steeringmember-remove", args=[committee_a.pk, member.pk])
    assert client_for(overseer).post(url_).status_code == 403
    assert committee_a.members.count() == 1


# --- forms: good input writes through the service, bad input changes nothing -------------------------


def test_secretary_creates_and_edits_a_unit(client_for, agency_a, a_secretary):
    client = client_for(a_secretary)
    response = client.post(
        url("unit-create"),
        {"agency": agency_a.pk, "code": "PC", "name": "Phòng Pháp chế", "kind": UnitKind.SPECIALIST},
    )
    unit = Unit.objects.get(agency=agency_a, code="PC")
    assert response.status_code == 302 and response.url == reverse(
        "organizations:unit-detail", args=[unit.pk]
    )
    response = client.post(
        reverse("organizations:unit-update", args=[unit.pk]),
        {"code": "PC", "name": "Phòng Pháp chế và Kiểm soát", "kind": UnitKind.SPECIALIST, "is_active": "on"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Phòng Pháp chế và Kiểm soát"
    assert AuditEvent.objects.filter(object_id=str(unit.pk), action="update").exists()


def test_duplicate_unit_code_is_refused_on_the_field(client_for, agency_a, unit_a, a_secretary):
    before = snapshot()
    client = client_for(a_secretary)
    data = {"agency": agency_a.pk, "code": unit_a.code, "name": "Trùng mã", "kind": UnitKind.OFFICE}
    response = client.post(url("unit-create"), data)  # Vietnamese by default
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "Mã này đã được dùng cho một đơn vị khác" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.post(url("unit-create"), data)
    assert "already used by another unit" in response.content.decode()
    assert snapshot() == before


def test_tampered_agency_id_is_a_form_error(client_for, agency_b, a_secretary):
    before = snapshot()
    response = client_for(a_secretary).post(
        url("unit-create"),
        {"agency": agency_b.pk, "code": "HACK", "name": "Phòng lạ", "kind": UnitKind.OFFICE},
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert snapshot() == before


def test_tampered_committee_member_is_a_form_error(client_for, committee_a, a_secretary, b_staff):
    before = snapshot()
    response = client_for(a_secretary).post(
        reverse("organizations:steeringmember-add", args=[committee_a.pk]),
        {"user": b_staff.pk, "role": SteeringRole.MEMBER},
    )
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert snapshot() == before


def test_committee_member_add_and_remove(client_for, committee_a, a_secretary, a_staff):
    client = client_for(a_secretary)
    response = client.post(
        reverse("organizations:steeringmember-add", args=[committee_a.pk]),
        {"user": a_staff.pk, "role": SteeringRole.MEMBER, "duties": "Theo dõi"},
    )
    assert response.status_code == 302
    member = committee_a.members.get(user=a_staff)
    # a second time: the service refuses, the form shows why
    response = client.post(
        reverse("organizations:steeringmember-add", args=[committee_a.pk]),
        {"user": a_staff.pk, "role": SteeringRole.MEMBER},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    remove = reverse("organizations:steeringmember-remove", args=[committee_a.pk, member.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not committee_a.members.filter(user=a_staff).exists()
    event = AuditEvent.objects.filter(object_id=str(committee_a.pk), content_type__model="steeringcommittee").first()
    assert event.action == "member_remove" and event.changes["member"][1] is None


def test_steering_committee_create_and_edit(client_for, agency_a, a_head):
    client = client_for(a_head)
    response = client.post(
        url("steeringcommittee-create"),
        {
            "agency": agency_a.pk,
            "name": "Ban chỉ đạo ISO 2026",
            "decision_number": "7/QĐ-STP",
            "decision_date": "2026-01-05",
            "decision_signer": "Giám đốc",
        },
    )
    committee = SteeringCommittee.objects.get(decision_number="7/QĐ-STP")
    assert response.status_code == 302
    response = client.post(
        reverse("organizations:steeringcommittee-update", args=[committee.pk]),
        {
            "name": "Ban chỉ đạo ISO 2026 (sửa)",
            "decision_number": "7/QĐ-STP",
            "decision_date": "bad date",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "decision_date" in response.context["form"].errors
    committee.refresh_from_db()
    assert committee.name == "Ban chỉ đạo ISO 2026"


def test_job_description_create_with_a_unit_of_another_agency_is_refused(
    client_for, agency_a, unit_b, a_secretary
):
    before = snapshot()
    response = client_for(a_secretary).post(
        url("jobdescription-create"),
        {"agency": agency_a.pk, "unit": unit_b.pk, "code": "MTCV-X", "position": "X", "duties": "Y"},
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert snapshot() == before


def test_job_description_create_and_update(client_for, agency_a, unit_a, a_unit_head):
    client = client_for(a_unit_head)
    response = client.post(
        url("jobdescription-create"),
        {
            "agency": agency_a.pk,
            "unit": unit_a.pk,
            "code": "MTCV-09",
            "position": "Chuyên viên",
            "duties": "Tiếp nhận hồ sơ",
        },
    )
    job = JobDescription.objects.get(code="MTCV-09")
    assert response.status_code == 302
    response = client.post(
        reverse("organizations:jobdescription-update", args=[job.pk]),
        {"unit": unit_a.pk, "code": "MTCV-09", "position": "Chuyên viên chính", "duties": ""},
    )
    assert response.status_code == 200 and "duties" in response.context["form"].errors
    job.refresh_from_db()
    assert job.position == "Chuyên viên"


def test_admin_creates_a_person_with_roles(client_for, agency_a, unit_a, admin_user):
    client = client_for(admin_user)
    response = client.post(
        url("user-create"),
        {
            "username": "nguyen.moi",
            "full_name": "Nguyễn Văn Mới",
            "email": "moi@example.gov.vn",
            "password": "Mat-khau-rat-dai-2026",
            "agency": agency_a.pk,
            "unit": unit_a.pk,
            "roles": [Role.STAFF, Role.AUDITOR],
        },
    )
    assert response.status_code == 302
    person = services.User.objects.get(username="nguyen.moi")
    assert person.roles == {Role.STAFF, Role.AUDITOR} and person.membership.unit == unit_a
    assert Client().login(username="nguyen.moi", password="Mat-khau-rat-dai-2026")


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"username": "a_staff"}, "username", "already taken"),
        ({"password": "123"}, "password", "too short"),
        ({"roles": []}, "roles", ""),
        ({"email": "not-an-email"}, "email", ""),
    ],
)
def test_person_create_bad_input_changes_nothing(
    client_for, agency_a, a_staff, admin_user, data, field, message
):
    before = snapshot()
    post = {
        "username": "nguoi.moi",
        "full_name": "Người Mới",
        "agency": agency_a.pk,
        "roles": [Role.STAFF],
        **data,
    }
    response = client_for(admin_user, language="en").post(url("user-create"), post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert snapshot() == before


def test_person_create_in_another_province_is_refused(client_for, agency_q, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        url("user-create"),
        {"username": "la", "full_name": "Người Lạ", "agency": agency_q.pk, "roles": [Role.STAFF]},
    )
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert snapshot() == before


def test_person_create_with_unit_of_another_agency_is_refused(client_for, agency_a, unit_b, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        url("user-create"),
        {
            "username": "la",
            "full_name": "Người Lạ",
            "agency": agency_a.pk,
            "unit": unit_b.pk,
            "roles": [Role.STAFF],
        },
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert snapshot() == before


def test_admin_edits_a_person_and_their_membership(
    client_for, agency_a, agency_b, unit_b, a_staff, admin_user
):
    response = client_for(admin_user).post(
        reverse("organizations:user-update", args=[a_staff.pk]),
        {
            "full_name": "Đặng Văn Chuyên Viên",
            "email": "cv@example.gov.vn",
            "is_active": "on",
            "agency": agency_b.pk,
            "unit": unit_b.pk,
            "roles": [Role.STAFF, Role.UNIT_HEAD],
        },
    )
    assert response.status_code == 302
    a_staff.refresh_from_db()
    a_staff.__dict__.pop("_membership_cache", None)
    assert a_staff.email == "cv@example.gov.vn"
    assert a_staff.agency == agency_b and a_staff.roles == {Role.STAFF, Role.UNIT_HEAD}
    assert a_staff.memberships.filter(agency=agency_a, valid_to__isnull=False).exists()


def test_person_edit_is_all_or_nothing(client_for, agency_a, unit_a, a_staff, admin_user):
    """The details are valid, the new password is not: nothing at all is saved."""
    before = snapshot()
    response = client_for(admin_user).post(
        reverse("organizations:user-update", args=[a_staff.pk]),
        {
            "full_name": "Tên Mới",
            "is_active": "on",
            "agency": agency_a.pk,
            "unit": unit_a.pk,
            "roles": [Role.STAFF, Role.AUDITOR],
            "new_password": "123",
        },
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    a_staff.refresh_from_db()
    assert a_staff.full_name == "Đặng Văn Chuyên Viên"
    assert snapshot() == before


def test_admin_cannot_deactivate_themselves(client_for, dost, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        reverse("organizations:user-update", args=[admin_user.pk]),
        {"full_name": admin_user.full_name, "agency": dost.pk, "roles": [Role.ADMIN]},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot() == before


def test_agency_create_edit_and_bad_dates(client_for, province, admin_user):
    client = client_for(admin_user)
    before = snapshot()
    response = client.post(
        url("agency-create"),
        {
            "code": "SNV",
            "name": "Sở Nội vụ",
            "level": AgencyLevel.DEPARTMENT,
            "province": province.pk,
            "valid_from": "2026-01-01",
            "valid_to": "2025-01-01",
        },
    )
    assert response.status_code == 200 and "valid_to" in response.context["form"].errors
    assert snapshot() == before
    response = client.post(
        url("agency-create"),
        {
            "code": "SNV",
            "name": "Sở Nội vụ",
            "level": AgencyLevel.DEPARTMENT,
            "province": province.pk,
            "valid_from": "2026-01-01",
        },
    )
    agency = Agency.objects.get(code="SNV")
    assert response.status_code == 302
    response = client.post(
        reverse("organizations:agency-update", args=[agency.pk]),
        {
            "code": "SNV",
            "name": "Sở Nội vụ tỉnh",
            "level": AgencyLevel.DEPARTMENT,
            "province": province.pk,
            "valid_from": "2026-01-01",
            "parent": agency.pk,
        },
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_agency_create_in_another_province_is_refused(client_for, other_province, admin_user):
    before = snapshot()
    response = client_for(admin_user).post(
        url("agency-create"),
        {"code": "LA", "name": "Sở Lạ", "level": AgencyLevel.DEPARTMENT, "province": other_province.pk},
    )
    assert response.status_code == 200 and "province" in response.context["form"].errors
    assert snapshot() == before


def test_agencies_merge(client_for, province, agency_a, agency_b, a_staff, b_staff, admin_user):
    client = client_for(admin_user)
    before = snapshot()
    response = client.post(
        url("agency-merge"),
        {"sources": [agency_a.pk], "code": "SX", "name": "Sở X", "effective_date": "2026-07-01"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url("agency-merge"),
        {
            "sources": [agency_a.pk, agency_b.pk],
            "code": agency_a.code,
            "name": "Sở X",
            "effective_date": "2026-07-01",
        },
    )
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert snapshot() == before
    response = client.post(
        url("agency-merge"),
        {
            "sources": [agency_a.pk, agency_b.pk],
            "code": "STPXD",
            "name": "Sở Tư pháp và Xây dựng",
            "effective_date": "2026-07-01",
        },
    )
    merged = Agency.objects.get(code="STPXD")
    assert response.status_code == 302
    assert set(merged.predecessors.all()) == {agency_a, agency_b}


def test_password_change_is_audited(client, a_staff):
    assert client.login(username="a_staff", password=PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert AuditEvent.objects.filter(action="password", object_id=str(a_staff.pk)).exists()
    assert client.get(reverse("dashboard")).status_code == 200  # still logged in
    assert Client().login(username="a_staff", password="Mat-khau-moi-2026!")


def test_password_change_wrong_old_password(client, a_staff):
    client.login(username="a_staff", password=PASSWORD)
    before = snapshot()
    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"},
    )
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert snapshot() == before


# --- login, logout, language ------------------------------------------------------------------------------


def test_login_shows_a_clear_error(client, a_staff):
    response = client.post(reverse("login"), {"username": "a_staff", "password": "sai"})
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()


def test_login_then_logout_by_post(client, a_staff):
    response = client.post(reverse("login"), {"username": "a_staff", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in page
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_language_defaults_to_vietnamese_and_switches(client, a_staff):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page and "Log in" in page
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert '<html lang="vi">' in client.get(reverse("login")).content.decode()


def test_error_pages_work_for_anonymous_users(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_no_inline_scripts_or_styles(client_for, objs, overseer):
    """The strict CSP forbids inline code: pages carry none (json_script data is not code)."""
    import re

    for path in [reverse("dashboard"), url("agency-list"), url("agency-detail", objs, "agency")]:
        page = client_for(overseer).get(path).content.decode()
        assert " style=" not in page and " onclick=" not in page
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, tag


# --- bounded queries on list pages ---------------------------------------------------------------------


def _queries(client, path) -> int:
    cache.clear()  # count computing the page, not reading its cached figures (eiso.core.freshness)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(kind, agency, unit, committee, actor, start, count):
    for i in range(start, start + count):
        if kind == "agency-list":
            AgencyFactory(province=agency.province, parent=agency)
        elif kind == "unit-list":
            UnitFactory(agency=agency)
        elif kind == "user-list":
            make_user(agency, [Role.STAFF, Role.AUDITOR], unit=unit)
        elif kind == "jobdescription-list":
            JobDescriptionFactory(agency=agency, unit=unit)
        elif kind == "steeringcommittee-list":
            c = SteeringCommitteeFactory(agency=agency, is_active=False)
            SteeringMember.objects.create(committee=c, user=committee.members.first().user)
        elif kind == "auditevent-list":
            services.unit_update(actor=actor, unit=unit, name=f"Phòng số {i}")


@pytest.mark.parametrize("name", [*LIST_PAGES, "auditevent-list"])
def test_list_page_queries_do_not_grow_with_rows(
    client_for, django_assert_max_num_queries, objs, agency_a, unit_a, committee_a, overseer, admin_user, name
):
    client = client_for(overseer)
    path = url(name)
    _fill(name, agency_a, unit_a, committee_a, admin_user, 0, 3)
    client.get(path)  # warm the per-process caches (content types) so both counts compare alike
    few = _queries(client, path)
    _fill(name, agency_a, unit_a, committee_a, admin_user, 3, 32)
    with django_assert_max_num_queries(few):
        response = client.get(path)
    assert response.context["page"].paginator.count >= 30


@pytest.mark.parametrize(
    "name,key,tab",
    [
        ("agency-detail", "agency", "people"),
        ("unit-detail", "unit", "people"),
        ("agency-detail", "agency", "units"),
    ],
)
def test_detail_tab_queries_do_not_grow(
    client_for, django_assert_max_num_queries, objs, agency_a, unit_a, overseer, name, key, tab
):
    client = client_for(overseer)
    path = url(name, objs, key) + f"?tab={tab}"
    client.get(path)
    few = _queries(client, path)
    for _ in range(30):
        if tab == "units":
            UnitFactory(agency=agency_a)
        else:
            make_user(agency_a, [Role.STAFF], unit=unit_a)
    with django_assert_max_num_queries(few):
        client.get(path)


# --- back office -----------------------------------------------------------------------------------------


def test_back_office_keeps_the_audit_trail_read_only(client, a_secretary, unit_a, django_user_model):
    services.unit_update(actor=a_secretary, unit=unit_a, name="Phòng Pháp chế")
    root = django_user_model.objects.create_superuser(username="root", password="x", email="r@example.gov.vn")
    client.force_login(root)
    models = ["agency", "unit", "user", "membership", "jobdescription", "steeringcommittee", "apitoken"]
    for model in [*(f"organizations/{m}" for m in models), "core/auditevent"]:
        assert client.get(f"/admin/{model}/").status_code == 200, model
    event = AuditEvent.objects.filter(action="update").first()
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_people_list_keeps_its_rows_until_the_data_change(client_for, agency_a, unit_a, a_secretary):
    """A repeat view reads no person row (the rows' markup is kept); a new person shows at the next one."""
    client = client_for(a_secretary)
    first = client.get(reverse("organizations:user-list")).content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("organizations:user-list"))
    assert not [q for q in again.captured_queries if "LIMIT" in q["sql"] and 'FROM "organizations_user"' in q["sql"]
                and '"organizations_user"."id" =' not in q["sql"]]
    make_user(agency_a, [Role.STAFF], unit=unit_a, full_name="Người Mới Đến")
    assert "Người Mới Đến" not in first
    assert "Người Mới Đến" in client.get(reverse("organizations:user-list")).content.decode()


def test_the_agency_list_keeps_its_rows_for_the_day_only(client_for, admin_user, province):
    """The rows' markup is kept until the data change, and for the day: an agency that ends today
    shows as ended from the first view after midnight, even within the minute a copy may live."""
    import time_machine

    agency = AgencyFactory(name="Sở Hết Hạn Hôm Nay", province=province, valid_to=datetime.date(2026, 5, 4))
    client = client_for(admin_user)
    before_midnight = datetime.datetime(2026, 5, 4, 23, 59, 40, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    with time_machine.travel(before_midnight, tick=False) as clock:
        page = client.get(reverse("organizations:agency-list"), {"q": agency.name}).content.decode()
        assert agency.name in page and "04/05/2026" not in page
        clock.shift(datetime.timedelta(seconds=30))  # 00:00:10 the next day
        page = client.get(reverse("organizations:agency-list"), {"q": agency.name}).content.decode()
        assert "04/05/2026" in page
