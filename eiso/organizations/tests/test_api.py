"""The organisation API: every endpoint with no token, no permission, another agency, and access."""

import datetime
import json

import pytest
from django.test import Client

from eiso.core.models import AuditEvent
from eiso.organizations import services
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Membership, Unit, User
from eiso.organizations.tests.factories import AgencyFactory, UnitFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
NOT_FOUND = {"message": "Not found.", "code": "not_found"}


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"  # msgids in assertions; the lead translates later


def body(response):
    assert response["Content-Type"].startswith(JSON), response.content[:200]
    return json.loads(response.content)


def post(client, path, data):
    return client.post(path, data if isinstance(data, str) else json.dumps(data), content_type=JSON)


def patch(client, path, data):
    return client.patch(path, data if isinstance(data, str) else json.dumps(data), content_type=JSON)


def assert_error(response, status, code=None):
    data = body(response)
    assert response.status_code == status, data
    assert data["message"]
    if code:
        assert data["code"] == code
    return data


def audit_count() -> int:
    """Audit events, leaving out the token issued by ``api_for`` for the request itself."""
    return AuditEvent.objects.exclude(action="token").count()


def last_event(obj, action):
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action,
                                     content_type__model=obj._meta.model_name).order_by("-id").first()


# --- authentication ------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/agencies"),
    ("post", "/api/v1/agencies"),
    ("post", "/api/v1/agencies/merge"),
    ("get", "/api/v1/agencies/1"),
    ("patch", "/api/v1/agencies/1"),
    ("get", "/api/v1/units"),
    ("post", "/api/v1/units"),
    ("get", "/api/v1/units/1"),
    ("patch", "/api/v1/units/1"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/1"),
    ("patch", "/api/v1/users/1"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer eiso_not-a-real-token", "Basic YTpi", "Bearer "])
def test_no_or_bad_token_gives_401_json(agency_a, method, path, header):
    client = Client(headers={"Authorization": header} if header else {})
    count = audit_count()
    response = getattr(client, method)(path, data="{}", content_type=JSON) if method != "get" \
        else client.get(path)
    assert_error(response, 401, "unauthenticated")
    assert audit_count() == count


def test_revoked_token_and_inactive_user_are_refused(a_staff):
    token, raw = services.api_token_create(actor=None, user=a_staff)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200
    services.api_token_revoke(actor=None, token=token)
    assert_error(client.get("/api/v1/me"), 401)
    _t2, raw2 = services.api_token_create(actor=None, user=a_staff)
    User.objects.filter(pk=a_staff.pk).update(is_active=False)
    assert_error(Client(headers={"Authorization": f"Bearer {raw2}"}).get("/api/v1/me"), 401)


# --- me ------------------------------------------------------------------------------------------

def test_me(api_for, a_secretary, unit_a):
    response = api_for(a_secretary).get("/api/v1/me")
    data = body(response)
    assert response.status_code == 200
    assert data["username"] == "a_secretary"
    assert data["full_name"] == "Lê Văn Thư Ký"
    assert data["agency"]["code"] == "STP"
    assert data["unit"] == {"id": unit_a.pk, "code": "HCTP", "name": "Phòng Hành chính tư pháp"}
    assert data["roles"] == [Role.QMS_SECRETARY, Role.AUDITOR]
    assert data["is_superuser"] is False
    # Vietnamese letters travel as UTF-8, never as \u escapes
    assert "Sở Tư pháp".encode() in response.content
    assert "Lê Văn Thư Ký".encode() in response.content
    assert b"\\u" not in response.content


# --- agencies: reads -----------------------------------------------------------------------------

def test_agency_list_is_scoped(api_for, a_staff, b_staff, overseer, q_overseer, agency_a, agency_b, agency_q):
    def codes(user):
        return sorted(a["code"] for a in body(api_for(user).get("/api/v1/agencies"))["items"])

    assert codes(a_staff) == ["STP"]
    assert codes(b_staff) == ["SXD"]
    assert codes(overseer) == ["SKHCN", "STP", "SXD"]
    assert codes(q_overseer) == ["QT-STP"]


def test_agency_list_filters_and_pagination(api_for, overseer, agency_a, agency_b):
    client = api_for(overseer)
    AgencyFactory(code="OLD", name="Sở Cũ", province=agency_a.province, valid_to=datetime.date(2025, 6, 30))
    data = body(client.get("/api/v1/agencies", {"q": "tu phap"}))  # folded: no diacritics needed
    assert [a["code"] for a in data["items"]] == ["STP"]
    assert data["items"][0]["province"] == "PT"
    data = body(client.get("/api/v1/agencies", {"status": "ended"}))
    assert [a["code"] for a in data["items"]] == ["OLD"]
    assert body(client.get("/api/v1/agencies", {"status": "active"}))["count"] == 3
    assert body(client.get("/api/v1/agencies", {"level": "commune_pc"}))["count"] == 0
    page = body(client.get("/api/v1/agencies", {"limit": 2, "offset": 1}))
    assert page["count"] == 4 and len(page["items"]) == 2
    assert_error(client.get("/api/v1/agencies", {"level": "galaxy"}), 422, "invalid")
    assert_error(client.get("/api/v1/agencies", {"limit": "many"}), 422, "invalid")
    assert_error(client.get("/api/v1/agencies", {"limit": 101}), 422, "invalid")
    assert_error(client.get("/api/v1/agencies", {"offset": 2**63}), 422, "invalid")


def test_agency_list_query_count_is_bounded(api_for, overseer, agency_a, django_assert_max_num_queries):
    parent = agency_a
    for n in range(35):
        parent = AgencyFactory(province=agency_a.province, parent=parent if n % 2 else None)
    client = api_for(overseer)
    with django_assert_max_num_queries(7):
        data = body(client.get("/api/v1/agencies", {"limit": 100}))
    assert data["count"] == 37 and len(data["items"]) == 37


def test_agency_detail(api_for, a_staff, agency_a):
    response = api_for(a_staff).get(f"/api/v1/agencies/{agency_a.pk}")
    data = body(response)
    assert response.status_code == 200
    assert data["code"] == "STP" and data["name"] == "Sở Tư pháp"
    assert data["province"] == "PT" and data["province_name"] == "Tỉnh Phú Thịnh"
    assert data["valid_from"] == "2020-01-01" and data["valid_to"] is None
    assert data["predecessors"] == [] and data["successors"] == []
    assert "Sở Tư pháp".encode() in response.content and b"\\u" not in response.content


def test_agency_detail_of_another_agency_reads_like_a_missing_one(api_for, b_staff, q_overseer, agency_a):
    for user in (b_staff, q_overseer):
        client = api_for(user)
        other = client.get(f"/api/v1/agencies/{agency_a.pk}")
        missing = client.get("/api/v1/agencies/987654")
        assert other.status_code == missing.status_code == 404
        assert body(other) == body(missing) == NOT_FOUND
        assert other.content == missing.content
    assert_error(api_for(b_staff).get("/api/v1/agencies/abc"), 422, "invalid")
    assert body(api_for(b_staff).get(f"/api/v1/agencies/{10**22}")) == NOT_FOUND


# --- agencies: writes ----------------------------------------------------------------------------

def agency_payload(**over):
    return {"code": "SYT", "name": "Sở Y tế", "short_name": "SYT", "level": "department", "province": "PT",
            "parent": None, "valid_from": "2025-07-01", **over}


def test_agency_create_by_province_admin(api_for, admin_user, agency_a):
    count = audit_count()
    response = post(api_for(admin_user), "/api/v1/agencies", agency_payload(parent="STP"))
    data = body(response)
    assert response.status_code == 201, data
    assert data["code"] == "SYT" and data["parent"] == "STP" and data["province"] == "PT"
    assert "Sở Y tế".encode() in response.content
    agency = Agency.objects.get(code="SYT")
    event = last_event(agency, "create")
    assert audit_count() == count + 1
    assert event.actor == admin_user and event.agency == agency
    assert event.changes["name"] == [None, "Sở Y tế"]
    assert event.changes["parent"] == [None, "Sở Tư pháp"]


@pytest.mark.parametrize("who", ["a_staff", "a_head", "overseer"])
def test_agency_create_without_permission_is_403(request, api_for, who, agency_a):
    user = request.getfixturevalue(who)
    count = audit_count()
    assert_error(post(api_for(user), "/api/v1/agencies", agency_payload()), 403, "forbidden")
    assert not Agency.objects.filter(code="SYT").exists()
    assert audit_count() == count


def test_agency_create_refuses_codes_outside_scope(api_for, admin_user, q_overseer, agency_a, agency_q):
    count = audit_count()
    client = api_for(admin_user)
    data = assert_error(post(client, "/api/v1/agencies", agency_payload(province="QT")), 400, "invalid")
    assert "province" in data["errors"]
    data = assert_error(post(client, "/api/v1/agencies", agency_payload(parent="QT-STP")), 400, "invalid")
    assert data["errors"] == {"parent": ["Unknown agency: QT-STP"]}
    data = assert_error(post(client, "/api/v1/agencies", agency_payload(province="NOPE")), 400, "invalid")
    # the admin of another province cannot attach to agency A either
    other = api_for(q_overseer)
    assert_error(post(other, "/api/v1/agencies", agency_payload(province="QT", parent="STP")), 400)
    assert not Agency.objects.filter(code="SYT").exists()
    assert audit_count() == count


def test_agency_create_bad_input(api_for, admin_user, agency_a):
    client = api_for(admin_user)
    count = audit_count()
    data = assert_error(post(client, "/api/v1/agencies", agency_payload(code="STP")), 400, "invalid")
    assert "code" in data["errors"]
    assert_error(post(client, "/api/v1/agencies", agency_payload(valid_from="not a date")), 422, "invalid")
    assert_error(post(client, "/api/v1/agencies", agency_payload(level="galaxy")), 422, "invalid")
    assert_error(post(client, "/api/v1/agencies", agency_payload(name=["list"])), 422, "invalid")
    assert_error(post(client, "/api/v1/agencies", agency_payload(colour="blue")), 422, "invalid")
    assert_error(post(client, "/api/v1/agencies", {"name": "Thiếu mã"}), 422, "invalid")
    assert_error(post(client, "/api/v1/agencies", [1, 2]), 422, "invalid")
    data = assert_error(post(client, "/api/v1/agencies", '{"code": "SYT", '), 400, "malformed")
    assert data["message"] == "The request body is not valid JSON."
    assert_error(client.post("/api/v1/agencies", b"\xff\xfe\xfa", content_type=JSON), 400, "malformed")
    data = assert_error(post(client, "/api/v1/agencies",
                             agency_payload(valid_from="2025-07-01", valid_to="2025-01-01")), 400, "invalid")
    assert not Agency.objects.filter(code="SYT").exists()
    assert audit_count() == count


def test_agency_update_by_province_admin(api_for, admin_user, agency_a, agency_b):
    response = patch(api_for(admin_user), f"/api/v1/agencies/{agency_a.pk}",
                     {"name": "Sở Tư pháp tỉnh Phú Thịnh", "parent": "SXD", "valid_to": None})
    data = body(response)
    assert response.status_code == 200, data
    assert data["name"] == "Sở Tư pháp tỉnh Phú Thịnh" and data["parent"] == "SXD"
    event = last_event(agency_a, "update")
    assert event.actor == admin_user
    assert event.changes == {"name": ["Sở Tư pháp", "Sở Tư pháp tỉnh Phú Thịnh"],
                             "parent": [None, "Sở Xây dựng"]}
    # parent null removes it
    data = body(patch(api_for(admin_user), f"/api/v1/agencies/{agency_a.pk}", {"parent": None}))
    assert data["parent"] is None


@pytest.mark.parametrize("who", ["a_staff", "a_head", "overseer"])
def test_agency_update_without_permission_is_403(request, api_for, who, agency_a):
    user = request.getfixturevalue(who)
    count = audit_count()
    assert_error(patch(api_for(user), f"/api/v1/agencies/{agency_a.pk}", {"name": "Khác"}), 403, "forbidden")
    agency_a.refresh_from_db()
    assert agency_a.name == "Sở Tư pháp"
    assert audit_count() == count


def test_agency_update_of_another_agency_is_404(api_for, b_head, q_overseer, agency_a):
    for user in (b_head, q_overseer):
        response = patch(api_for(user), f"/api/v1/agencies/{agency_a.pk}", {"name": "Khác"})
        assert response.status_code == 404 and body(response) == NOT_FOUND
    agency_a.refresh_from_db()
    assert agency_a.name == "Sở Tư pháp"


def test_agency_update_bad_input(api_for, admin_user, agency_a, agency_q):
    client = api_for(admin_user)
    count = audit_count()
    url = f"/api/v1/agencies/{agency_a.pk}"
    data = assert_error(patch(client, url, {"parent": "STP"}), 400, "invalid")
    assert "parent" in data["errors"]
    assert_error(patch(client, url, {"parent": "QT-STP"}), 400, "invalid")
    assert_error(patch(client, url, {"province": "QT"}), 400, "invalid")
    assert_error(patch(client, url, {"valid_to": 12}), 422, "invalid")
    assert_error(patch(client, url, {"nam": "typo"}), 422, "invalid")
    assert_error(patch(client, url, "{oops"), 400, "malformed")
    agency_a.refresh_from_db()
    assert agency_a.parent is None and agency_a.name == "Sở Tư pháp"
    assert audit_count() == count


def merge_payload(**over):
    return {"sources": ["STP", "SXD"], "code": "SXDTP", "name": "Sở Xây dựng và Tư pháp",
            "effective_date": "2025-07-01", **over}


def test_agency_merge(api_for, admin_user, agency_a, agency_b, unit_a, a_staff):
    client = api_for(admin_user)
    response = post(client, "/api/v1/agencies/merge", merge_payload())
    data = body(response)
    assert response.status_code == 201, data
    assert data["predecessors"] == ["STP", "SXD"] and data["valid_from"] == "2025-07-01"
    target = Agency.objects.get(code="SXDTP")
    assert last_event(target, "merge").actor == admin_user
    old = body(client.get(f"/api/v1/agencies/{agency_a.pk}"))
    assert old["successors"] == ["SXDTP"] and old["valid_to"] == "2025-06-30"
    assert last_event(agency_a, "end").changes == {"valid_to": [None, "2025-06-30"]}
    a_staff.refresh_from_db()
    assert Membership.objects.get(user=a_staff, valid_to__isnull=True).agency == target


@pytest.mark.parametrize("who", ["a_head", "overseer", "a_staff"])
def test_agency_merge_without_permission_writes_nothing(request, api_for, who, agency_a, agency_b):
    user = request.getfixturevalue(who)
    count = audit_count()
    # agency people see only their own agency, so the other code reads as unknown (400); overseers get 403
    response = post(api_for(user), "/api/v1/agencies/merge", merge_payload())
    assert response.status_code in (400, 403)
    if who == "overseer":
        assert_error(response, 403, "forbidden")
    assert not Agency.objects.filter(code="SXDTP").exists()
    assert audit_count() == count


def test_agency_merge_bad_input(api_for, admin_user, q_overseer, agency_a, agency_b, agency_q):
    count = audit_count()
    client = api_for(admin_user)
    data = assert_error(post(client, "/api/v1/agencies/merge", merge_payload(sources=["STP", "QT-STP"])), 400)
    assert data["errors"] == {"sources": ["Unknown agency: QT-STP"]}
    assert_error(post(api_for(q_overseer), "/api/v1/agencies/merge", merge_payload()), 400, "invalid")
    assert_error(post(client, "/api/v1/agencies/merge", merge_payload(sources=["STP"])), 400, "invalid")
    assert_error(post(client, "/api/v1/agencies/merge", merge_payload(sources="STP")), 422, "invalid")
    assert_error(post(client, "/api/v1/agencies/merge", merge_payload(effective_date="soon")), 422)
    assert_error(post(client, "/api/v1/agencies/merge", merge_payload(effective_date="2019-01-01")), 400)
    assert not Agency.objects.filter(code="SXDTP").exists()
    assert audit_count() == count


# --- units ---------------------------------------------------------------------------------------

def test_unit_list_is_scoped_and_filtered(api_for, a_staff, overseer, unit_a, one_stop_a, unit_b):
    data = body(api_for(a_staff).get("/api/v1/units"))
    assert sorted(u["code"] for u in data["items"]) == ["HCTP", "MC"]
    assert body(api_for(a_staff).get("/api/v1/units", {"agency": "SXD"}))["count"] == 0
    client = api_for(overseer)
    assert [u["code"] for u in body(client.get("/api/v1/units", {"agency": "SXD"}))["items"]] == ["QLXD"]
    assert [u["code"] for u in body(client.get("/api/v1/units", {"kind": "one_stop"}))["items"]] == ["MC"]
    assert [u["code"] for u in body(client.get("/api/v1/units", {"q": "hành chính"}))["items"]] == ["HCTP"]
    assert_error(client.get("/api/v1/units", {"kind": "moon"}), 422)


def test_unit_list_query_count_is_bounded(api_for, overseer, agency_a, agency_b,
                                          django_assert_max_num_queries):
    for n in range(35):
        UnitFactory(agency=agency_a if n % 2 else agency_b)
    client = api_for(overseer)
    with django_assert_max_num_queries(7):
        data = body(client.get("/api/v1/units", {"limit": 100}))
    assert data["count"] == 35 and len(data["items"]) == 35


def test_unit_detail_scoped(api_for, a_staff, b_staff, q_overseer, unit_a):
    data = body(api_for(a_staff).get(f"/api/v1/units/{unit_a.pk}"))
    assert data["code"] == "HCTP" and data["agency"]["code"] == "STP" and data["kind"] == "specialist"
    for user in (b_staff, q_overseer):
        client = api_for(user)
        other, missing = client.get(f"/api/v1/units/{unit_a.pk}"), client.get("/api/v1/units/987654")
        assert other.status_code == missing.status_code == 404 and other.content == missing.content


@pytest.mark.parametrize("who", ["a_secretary", "a_head", "admin_user"])
def test_unit_create_with_access(request, api_for, who, agency_a):
    user = request.getfixturevalue(who)
    response = post(api_for(user), "/api/v1/units", {"agency": "STP", "code": "VP", "name": "Văn phòng Sở",
                                                      "kind": "office"})
    data = body(response)
    assert response.status_code == 201, data
    assert data["agency"]["code"] == "STP" and data["kind"] == "office"
    unit = Unit.objects.get(agency=agency_a, code="VP")
    event = last_event(unit, "create")
    assert event.actor == user and event.agency == agency_a
    assert event.changes["name"] == [None, "Văn phòng Sở"]


@pytest.mark.parametrize(("who", "status"), [("a_staff", 403), ("a_unit_head", 403), ("overseer", 403),
                                             ("b_head", 400), ("q_overseer", 400)])
def test_unit_create_without_access(request, api_for, who, status, agency_a):
    user = request.getfixturevalue(who)
    count = audit_count()
    payload = {"agency": "STP", "code": "VP", "name": "Văn phòng"}
    data = assert_error(post(api_for(user), "/api/v1/units", payload), status)
    if status == 400:  # another agency's code reads as unknown
        assert data["errors"] == {"agency": ["Unknown agency: STP"]}
    assert not Unit.objects.filter(code="VP").exists()
    assert audit_count() == count


def test_unit_create_bad_input(api_for, a_secretary, unit_a):
    client = api_for(a_secretary)
    count = audit_count()
    data = assert_error(post(client, "/api/v1/units", {"agency": "STP", "code": "HCTP", "name": "Trùng"}),
                        400)
    assert data["code"] == "invalid" and data["errors"]
    assert_error(post(client, "/api/v1/units", {"agency": "STP", "code": "X", "name": "X", "kind": "moon"}),
                 422)
    assert_error(post(client, "/api/v1/units", {"agency": "STP", "code": "X"}), 422)
    assert_error(post(client, "/api/v1/units", {"agency": "STP", "code": 5, "name": None}), 422)
    assert_error(post(client, "/api/v1/units", "not json"), 400, "malformed")
    assert Unit.objects.count() == 1
    assert audit_count() == count


def test_unit_update(api_for, a_secretary, unit_a):
    response = patch(api_for(a_secretary), f"/api/v1/units/{unit_a.pk}",
                     {"name": "Phòng Hành chính - Tư pháp", "is_active": False})
    data = body(response)
    assert response.status_code == 200, data
    assert data["name"] == "Phòng Hành chính - Tư pháp" and data["is_active"] is False
    assert last_event(unit_a, "update").changes == {
        "name": ["Phòng Hành chính tư pháp", "Phòng Hành chính - Tư pháp"], "is_active": [True, False]}


def test_unit_update_without_access(api_for, a_staff, overseer, b_head, q_overseer, unit_a):
    count = audit_count()
    url = f"/api/v1/units/{unit_a.pk}"
    assert_error(patch(api_for(a_staff), url, {"name": "Khác"}), 403, "forbidden")
    assert_error(patch(api_for(overseer), url, {"name": "Khác"}), 403, "forbidden")
    for user in (b_head, q_overseer):
        assert body(patch(api_for(user), url, {"name": "Khác"})) == NOT_FOUND
    assert_error(patch(api_for(overseer), url, {"kind": "moon"}), 422)
    unit_a.refresh_from_db()
    assert unit_a.name == "Phòng Hành chính tư pháp"
    assert audit_count() == count


# --- users ---------------------------------------------------------------------------------------

def test_user_list_is_scoped_and_filtered(api_for, a_head, a_staff, a_secretary, b_staff, overseer,
                                          q_overseer, unit_a):
    def names(user, **q):
        return sorted(u["username"] for u in body(api_for(user).get("/api/v1/users", q))["items"])

    assert names(a_head) == ["a_head", "a_secretary", "a_staff"]
    assert names(overseer) == ["a_head", "a_secretary", "a_staff", "b_staff", "overseer"]
    assert names(q_overseer) == ["q_overseer"]
    assert names(overseer, agency="SXD") == ["b_staff"]
    assert names(overseer, role="qms_secretary") == ["a_secretary"]
    assert names(overseer, unit=unit_a.pk) == ["a_secretary", "a_staff"]
    assert names(overseer, q="chuyên viên") == ["a_staff"]
    assert names(a_head, agency="SXD") == []
    assert_error(api_for(a_head).get("/api/v1/users", {"role": "king"}), 422)
    item = next(u for u in body(api_for(a_head).get("/api/v1/users"))["items"] if u["username"] == "a_staff")
    assert item["agency"]["code"] == "STP" and item["unit"]["code"] == "HCTP" and item["roles"] == ["staff"]


def test_user_list_query_count_is_bounded(api_for, overseer, agency_a, unit_a, django_assert_max_num_queries):
    for n in range(35):
        services.user_create(actor=None, username=f"nv{n}", full_name=f"Nhân viên {n}", agency=agency_a,
                             unit=unit_a if n % 2 else None, roles=[Role.STAFF, Role.AUDITOR])
    client = api_for(overseer)
    with django_assert_max_num_queries(9):
        data = body(client.get("/api/v1/users", {"limit": 100}))
    assert data["count"] == 36 and len(data["items"]) == 36
    assert all(u["agency"] for u in data["items"])


def test_user_detail(api_for, a_head, a_staff):
    response = api_for(a_head).get(f"/api/v1/users/{a_staff.pk}")
    data = body(response)
    assert response.status_code == 200
    assert data["username"] == "a_staff" and data["full_name"] == "Đặng Văn Chuyên Viên"
    assert data["is_active"] is True and data["email"].endswith("@example.gov.vn")
    assert data["roles"] == ["staff"] and data["unit"]["code"] == "HCTP"
    assert len(data["memberships"]) == 1 and data["memberships"][0]["agency"]["code"] == "STP"
    assert data["memberships"][0]["valid_to"] is None
    assert "Đặng Văn Chuyên Viên".encode() in response.content and b"\\u" not in response.content


def test_user_detail_of_another_agency_is_404(api_for, b_staff, q_overseer, a_staff):
    for user in (b_staff, q_overseer):
        client = api_for(user)
        other, missing = client.get(f"/api/v1/users/{a_staff.pk}"), client.get("/api/v1/users/987654")
        assert other.status_code == missing.status_code == 404 and other.content == missing.content


def user_payload(**over):
    return {"username": "nguyen.moi", "full_name": "Nguyễn Thị Mới", "email": "moi@stp.gov.vn",
            "agency": "STP", "unit": "HCTP", "roles": ["staff", "auditor"], **over}


def test_user_create_by_admin(api_for, admin_user, unit_a):
    response = post(api_for(admin_user), "/api/v1/users", user_payload(password="Mat-khau-manh-2026"))
    data = body(response)
    assert response.status_code == 201, data
    assert data["agency"]["code"] == "STP" and data["unit"]["code"] == "HCTP"
    assert data["roles"] == ["staff", "auditor"] and "password" not in data
    person = User.objects.get(username="nguyen.moi")
    assert person.check_password("Mat-khau-manh-2026")
    event = last_event(person, "create")
    assert event.actor == admin_user and event.agency == unit_a.agency
    assert event.changes["roles"] == [None, ["staff", "auditor"]]
    assert event.changes["full_name"] == [None, "Nguyễn Thị Mới"]
    # without a password the account cannot log in yet
    body(post(api_for(admin_user), "/api/v1/users", user_payload(username="khong.mk", unit=None)))
    assert not User.objects.get(username="khong.mk").has_usable_password()


@pytest.mark.parametrize("who", ["a_head", "a_secretary", "overseer", "a_staff"])
def test_user_create_without_permission_is_403(request, api_for, who, unit_a):
    user = request.getfixturevalue(who)
    count = audit_count()
    assert_error(post(api_for(user), "/api/v1/users", user_payload()), 403, "forbidden")
    assert not User.objects.filter(username="nguyen.moi").exists()
    assert audit_count() == count


def test_user_create_bad_input(api_for, admin_user, q_overseer, unit_a, unit_b, agency_q, a_staff):
    client = api_for(admin_user)
    count = audit_count()
    data = assert_error(post(client, "/api/v1/users", user_payload(roles=["staff", "king"])), 400, "invalid")
    assert data["errors"] == {"roles": ["Unknown role: king"]}
    assert_error(post(client, "/api/v1/users", user_payload(roles=[])), 400, "invalid")
    assert_error(post(client, "/api/v1/users", user_payload(roles="staff")), 422, "invalid")
    data = assert_error(post(client, "/api/v1/users", user_payload(unit="QLXD")), 400, "invalid")  # unit of B
    assert data["errors"] == {"unit": ["Unknown unit QLXD in STP."]}
    assert_error(post(client, "/api/v1/users", user_payload(agency="QT-STP", unit=None)), 400, "invalid")
    assert_error(post(api_for(q_overseer), "/api/v1/users", user_payload(unit=None)), 400, "invalid")
    data = assert_error(post(client, "/api/v1/users", user_payload(username="A_STAFF")), 400, "invalid")
    assert "username" in data["errors"]
    data = assert_error(post(client, "/api/v1/users", user_payload(password="123")), 400, "invalid")
    assert "password" in data["errors"]
    assert_error(post(client, "/api/v1/users", user_payload(email="not-an-email")), 400, "invalid")
    assert_error(post(client, "/api/v1/users", user_payload(is_superuser=True)), 422, "invalid")
    assert_error(post(client, "/api/v1/users", '{"username": }'), 400, "malformed")
    assert not User.objects.filter(username__in=["nguyen.moi", "A_STAFF"]).exists()
    assert audit_count() == count


def test_user_update_details_and_roles(api_for, admin_user, a_staff, unit_a, one_stop_a):
    response = patch(api_for(admin_user), f"/api/v1/users/{a_staff.pk}",
                     {"full_name": "Đặng Văn Chuyên Viên Chính", "position": "Chuyên viên chính",
                      "roles": ["staff", "unit_head"], "unit": "MC"})
    data = body(response)
    assert response.status_code == 200, data
    assert data["full_name"] == "Đặng Văn Chuyên Viên Chính" and data["position"] == "Chuyên viên chính"
    assert data["roles"] == ["unit_head", "staff"] and data["unit"]["code"] == "MC"
    assert len(data["memberships"]) == 1  # same agency: the membership is changed, not replaced
    events = AuditEvent.objects.filter(object_id=str(a_staff.pk), action="update", actor=admin_user)
    changes = {}
    for event in events:
        changes.update(event.changes)
    assert changes["full_name"] == ["Đặng Văn Chuyên Viên", "Đặng Văn Chuyên Viên Chính"]
    assert changes["roles"] == [["staff"], ["staff", "unit_head"]]
    assert changes["unit"] == ["Phòng Hành chính tư pháp", "Bộ phận Một cửa"]


def test_user_update_moves_to_another_agency(api_for, admin_user, a_staff, unit_b):
    response = patch(api_for(admin_user), f"/api/v1/users/{a_staff.pk}", {"agency": "SXD", "unit": "QLXD"})
    data = body(response)
    assert response.status_code == 200, data
    assert data["agency"]["code"] == "SXD" and data["unit"]["code"] == "QLXD" and data["roles"] == ["staff"]
    assert [m["agency"]["code"] for m in data["memberships"]] == ["SXD", "STP"]
    assert last_event(a_staff, "move").changes["agency"] == ["Sở Tư pháp", "Sở Xây dựng"]


def test_user_update_without_access(api_for, a_head, overseer, b_head, q_overseer, a_staff):
    count = audit_count()
    url = f"/api/v1/users/{a_staff.pk}"
    for user in (a_head, overseer, a_staff):
        assert_error(patch(api_for(user), url, {"full_name": "Khác"}), 403, "forbidden")
        assert_error(patch(api_for(user), url, {"roles": ["admin"]}), 403, "forbidden")
        assert_error(patch(api_for(user), url, {}), 403, "forbidden")
    for user in (b_head, q_overseer):
        assert body(patch(api_for(user), url, {"full_name": "Khác"})) == NOT_FOUND
    a_staff = User.objects.get(pk=a_staff.pk)
    assert a_staff.full_name == "Đặng Văn Chuyên Viên" and a_staff.roles == {"staff"}
    assert audit_count() == count


def test_user_update_bad_input_changes_nothing(api_for, admin_user, a_staff, unit_b, agency_q):
    client = api_for(admin_user)
    count = audit_count()
    url = f"/api/v1/users/{a_staff.pk}"
    # the details are valid but the role is not: nothing at all is written
    data = assert_error(patch(client, url, {"full_name": "Tên Mới", "roles": ["king"]}), 400, "invalid")
    assert data["errors"] == {"roles": ["Unknown role: king"]}
    data = assert_error(patch(client, url, {"full_name": "Tên Mới", "unit": "QLXD"}), 400, "invalid")
    assert data["errors"] == {"unit": ["Unknown unit QLXD in STP."]}
    assert_error(patch(client, url, {"full_name": "Tên Mới", "agency": "QT-STP"}), 400, "invalid")
    assert_error(patch(client, url, {"is_active": "maybe"}), 422, "invalid")
    assert_error(patch(client, url, {"roles": "staff"}), 422, "invalid")
    assert_error(patch(client, url, {"password": "x"}), 422, "invalid")
    assert_error(patch(client, url, "[1,"), 400, "malformed")
    a_staff.refresh_from_db()
    assert a_staff.full_name == "Đặng Văn Chuyên Viên"
    assert Membership.objects.filter(user=a_staff).count() == 1
    assert audit_count() == count


def test_admin_cannot_deactivate_self(api_for, admin_user):
    assert_error(patch(api_for(admin_user), f"/api/v1/users/{admin_user.pk}", {"is_active": False}), 409,
                 "conflict")


# --- documentation -------------------------------------------------------------------------------

def test_openapi_json_is_public_and_lists_the_paths():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = body(response)
    paths = set(schema["paths"])
    assert {"/api/v1/me", "/api/v1/agencies", "/api/v1/agencies/merge", "/api/v1/agencies/{agency_id}",
            "/api/v1/units", "/api/v1/units/{unit_id}", "/api/v1/users", "/api/v1/users/{user_id}"} <= paths
    assert set(schema["paths"]["/api/v1/users/{user_id}"]) == {"get", "patch"}
    assert "201" in schema["paths"]["/api/v1/units"]["post"]["responses"]


def test_docs_page_works_offline_under_the_csp():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert 'src="http' not in html and 'href="http' not in html
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    # every executable script is a file; the only inline one is a JSON data block
    assert html.count("<script") == html.count("<script src=") + html.count('<script type="application/json"')
    assert "<style" not in html and "style=" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        static = Client().get(f"/static/ninja/{asset}")
        assert static.status_code == 200, asset
        static.close()



@pytest.mark.parametrize(("path", "params"), [
    ("/api/v1/units", {"agency": "²"}),
    ("/api/v1/units", {"agency": "9" * 30}),
    ("/api/v1/users", {"agency": "²"}),
    ("/api/v1/users", {"agency": "9" * 30}),
    ("/api/v1/users", {"unit": 2**70}),
    ("/api/v1/agencies", {"q": "%_'\""}),
])
def test_junk_filters_give_an_empty_list_not_a_500(api_for, overseer, unit_a, path, params):
    """Found by the schemathesis fuzz: digit-looking values that are not ids."""
    response = api_for(overseer).get(path, params)
    assert response.status_code == 200 and body(response)["count"] == 0


def test_nul_characters_are_refused_before_reaching_the_database(api_for, admin_user, agency_a):
    client = api_for(admin_user)
    count = audit_count()
    for path in ("/api/v1/agencies", "/api/v1/units", "/api/v1/users"):
        assert_error(client.get(path, {"q": "a\x00b"}), 422, "invalid")
    assert_error(post(client, "/api/v1/units", {"agency": "STP", "code": "X", "name": "Phòng\x00"}), 422)
    assert_error(patch(client, f"/api/v1/agencies/{agency_a.pk}", {"name": "Sở\x00"}), 422)
    assert audit_count() == count
