"""Sessions: signed cookies (a login writes nothing the SQLite lock holds up), the agency's idle
timeout, sign out everywhere (oneself, an administrator for a person), the API doors."""

import datetime
import sqlite3

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.organizations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
DASHBOARD = "/"


def signed_in(client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def test_an_idle_session_is_signed_out_after_the_agencys_timeout(a_staff):
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        client.force_login(a_staff)
        clock.shift(datetime.timedelta(hours=7, minutes=50))
        assert signed_in(client)  # activity keeps it alive
        clock.shift(datetime.timedelta(hours=7, minutes=50))
        assert signed_in(client)
        clock.shift(datetime.timedelta(hours=8, minutes=1))
        response = client.get(DASHBOARD)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        page = client.get(response.url).content.decode()
        assert "không hoạt động" in page  # says why
        assert not signed_in(client)


def test_the_timeout_is_the_agencys_setting(a_staff, a_head):
    client = Client()
    client.force_login(a_head)
    response = client.post(reverse("organizations:agency-sessions", args=[a_staff.agency.pk]),
                           {"session_idle_hours": 2})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_id=str(a_staff.agency.pk), changes__session_idle_hours=[8, 2]).exists()
    other = Client()
    with time_machine.travel(T0, tick=False) as clock:
        other.force_login(a_staff)
        clock.shift(datetime.timedelta(hours=2, minutes=1))
        assert not signed_in(other)


def test_staff_cannot_change_the_timeout(a_staff):
    client = Client()
    client.force_login(a_staff)
    url = reverse("organizations:agency-sessions", args=[a_staff.agency.pk])
    assert client.post(url, {"session_idle_hours": 72}).status_code == 403
    a_staff.agency.refresh_from_db()
    assert a_staff.agency.session_idle_hours == 8


def test_sign_out_everywhere_ends_the_other_devices_sessions(a_staff):
    laptop, phone = Client(), Client()
    laptop.force_login(a_staff)
    phone.force_login(a_staff)
    assert laptop.post(reverse("organizations:sign-out-everywhere")).status_code == 302
    assert signed_in(laptop)  # the device that asked stays signed in
    assert not signed_in(phone)
    assert AuditEvent.objects.filter(action="sign_out_everywhere", object_id=str(a_staff.pk)).count() == 1
    a_staff.refresh_from_db()
    phone.force_login(a_staff)  # signing in again works
    assert signed_in(phone)


def test_an_administrator_signs_a_person_out_everywhere(a_staff, admin_user, b_head):
    browser = Client()
    browser.force_login(a_staff)
    intruder = Client()
    intruder.force_login(b_head)
    assert intruder.post(reverse("organizations:user-signout", args=[a_staff.pk])).status_code == 404
    assert signed_in(browser)
    admin = Client()
    admin.force_login(admin_user)
    assert admin.post(reverse("organizations:user-signout", args=[a_staff.pk])).status_code == 302
    assert not signed_in(browser)
    assert signed_in(admin)


def test_the_api_signs_out_and_sets_the_timeout(a_staff, a_secretary, api_for):
    browser = Client()
    browser.force_login(a_staff)
    assert api_for(a_staff).post("/api/v1/me/sign-out-everywhere").status_code == 200
    assert not signed_in(browser)
    url = f"/api/v1/agencies/{a_staff.agency.pk}/session-settings"
    assert api_for(a_staff).put(url, {"session_idle_hours": 3}, content_type="application/json").status_code == 403
    response = api_for(a_secretary).put(url, {"session_idle_hours": 3}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"session_idle_hours": 3}
    bad = api_for(a_secretary).put(url, {"session_idle_hours": 0}, content_type="application/json")
    assert bad.status_code in (400, 422)
    assert api_for(a_staff).get(url).json() == {"session_idle_hours": 3}


def test_a_session_is_a_signed_cookie_with_no_database_row(a_staff):
    client = Client()
    assert client.post(reverse("login"), {"username": "a_staff", "password": PASSWORD}).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_session")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite write lock")
def test_a_login_works_while_another_connection_holds_the_write_lock(a_staff):
    """A long import holds SQLite's one write lock; logins must not need it (they used to save the
    session row, and failed with "database is locked")."""
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO core_auditevent (at, actor_repr, content_type_id, object_id, object_repr, "
                      "action, changes, note) SELECT '2026-01-01', '', id, '1', 'import', 'import', '{}', '' "
                      "FROM django_content_type LIMIT 1")
        client = Client()
        response = client.post(reverse("login"), {"username": "a_staff", "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        assert signed_in(client)
    finally:
        other.execute("ROLLBACK")
        other.close()
