"""Shared personas, as in healthchecks' alice/bob/charlie.

Province P has agency A (a department with two units) and agency B, plus the Department of
Science and Technology whose overseer reads the whole province. Province Q has agency Q1 with
its own overseer, to prove provincial scope stops at the border.
"""

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from eiso.organizations.choices import AgencyLevel, Role, UnitKind
from eiso.organizations.services import api_token_create
from eiso.organizations.tests.factories import AgencyFactory, ProvinceFactory, UnitFactory, make_user

# Property tests check results, never speed: no per-example deadline and no "too slow" health check,
# which fail on a loaded machine (a CI runner, or tests beside a benchmark) with nothing wrong.
hypothesis_settings.register_profile("eiso", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("eiso")


def pytest_configure(config):
    # Tests (and the live server of the browser tests) speak plain HTTP on loopback; production
    # defaults (HTTPS redirect, secure cookies) stay as they are everywhere else.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Hashing is deliberately slow in production; tests create many people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # eiso demo records 20,000 dossiers; a few hundred show the same in tests (eiso.demo.loaders.dossiers).
    settings.DEMO_DOSSIERS = 300


@pytest.fixture
def province():
    return ProvinceFactory(code="PT", name="Tỉnh Phú Thịnh")


@pytest.fixture
def other_province():
    return ProvinceFactory(code="QT", name="Tỉnh Quảng Tiến")


@pytest.fixture
def agency_a(province):
    return AgencyFactory(code="STP", name="Sở Tư pháp", province=province)


@pytest.fixture
def unit_a(agency_a):
    return UnitFactory(agency=agency_a, code="HCTP", name="Phòng Hành chính tư pháp")


@pytest.fixture
def one_stop_a(agency_a):
    return UnitFactory(agency=agency_a, code="MC", name="Bộ phận Một cửa", kind=UnitKind.ONE_STOP)


@pytest.fixture
def agency_b(province):
    return AgencyFactory(code="SXD", name="Sở Xây dựng", province=province)


@pytest.fixture
def unit_b(agency_b):
    return UnitFactory(agency=agency_b, code="QLXD", name="Phòng Quản lý xây dựng")


@pytest.fixture
def dost(province):
    return AgencyFactory(code="SKHCN", name="Sở Khoa học và Công nghệ", province=province)


@pytest.fixture
def agency_q(other_province):
    return AgencyFactory(code="QT-STP", name="Sở Giáo dục và Đào tạo tỉnh Quảng Tiến", province=other_province,
                         level=AgencyLevel.DEPARTMENT)


@pytest.fixture
def a_head(agency_a):
    return make_user(agency_a, [Role.AGENCY_HEAD, Role.STEERING_MEMBER], username="a_head",
                     full_name="Trần Thị Giám Đốc")


@pytest.fixture
def a_secretary(agency_a, unit_a):
    return make_user(agency_a, [Role.QMS_SECRETARY, Role.AUDITOR], unit=unit_a, username="a_secretary",
                     full_name="Lê Văn Thư Ký")


@pytest.fixture
def a_unit_head(agency_a, unit_a):
    return make_user(agency_a, [Role.UNIT_HEAD], unit=unit_a, username="a_unit_head",
                     full_name="Phạm Thị Trưởng Phòng")


@pytest.fixture
def a_staff(agency_a, unit_a):
    return make_user(agency_a, [Role.STAFF], unit=unit_a, username="a_staff", full_name="Đặng Văn Chuyên Viên")


@pytest.fixture
def b_staff(agency_b, unit_b):
    return make_user(agency_b, [Role.STAFF], unit=unit_b, username="b_staff", full_name="Hoàng Thị Bê")


@pytest.fixture
def b_head(agency_b):
    return make_user(agency_b, [Role.AGENCY_HEAD, Role.QMS_SECRETARY], username="b_head",
                     full_name="Vũ Văn Bê Trưởng")


@pytest.fixture
def overseer(dost):
    return make_user(dost, [Role.OVERSEER], username="overseer", full_name="Ngô Thị Thanh Tra")


@pytest.fixture
def admin_user(dost):
    return make_user(dost, [Role.ADMIN], username="admin_p", full_name="Đỗ Văn Quản Trị")


@pytest.fixture
def q_overseer(agency_q):
    return make_user(agency_q, [Role.OVERSEER, Role.ADMIN], username="q_overseer",
                     full_name="Bùi Văn Tỉnh Khác")


@pytest.fixture
def client_for():
    """A Django test client logged in as the given user."""

    def make(user, language: str | None = None) -> Client:
        client = Client()
        client.force_login(user)
        if language:  # as after the language switch (the site language is Vietnamese otherwise)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def api_for():
    """A test client whose requests carry the user's Bearer token."""

    def make(user) -> Client:
        _token, raw = api_token_create(actor=None, user=user)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make
