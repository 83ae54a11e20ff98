"""Sign-in lockout (django-axes): per account, per address, behind a proxy; audit rows; unlocking."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.organizations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.BEHIND_PROXY = False
    return settings


def test_the_right_password_is_refused_after_repeated_failures(limits, a_staff):
    client = Client()
    for _ in range(2):
        assert sign_in(client, "a_staff", "sai-mat-khau").status_code == 200
    assert sign_in(client, "a_staff", "sai-mat-khau").status_code == 429  # the third failure locks
    response = sign_in(client, "a_staff", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    # One audit row for the lockout, on the person, in their agency's trail; not one per refused try.
    sign_in(client, "a_staff", "sai-mat-khau")
    events = AuditEvent.objects.filter(action="lockout")
    assert [(e.object_id, e.agency_id) for e in events] == [(str(a_staff.pk), a_staff.agency.pk)]


def test_username_case_does_not_reset_the_count(limits, a_staff):
    client = Client()
    for name in ("a_staff", "A_STAFF", "A_Staff"):
        sign_in(client, name, "sai")
    assert sign_in(client, "a_staff", PASSWORD).status_code == 429


def test_a_correct_password_before_the_limit_clears_the_count(limits, a_staff):
    client = Client()
    for _ in range(2):
        sign_in(client, "a_staff", "sai")
    assert sign_in(client, "a_staff", PASSWORD).status_code == 302
    for _ in range(2):
        sign_in(Client(), "a_staff", "sai")
    assert sign_in(Client(), "a_staff", PASSWORD).status_code == 302


def test_an_address_is_locked_after_its_own_higher_limit(limits, a_staff, b_staff):
    client = Client()
    for n in range(6):  # six different unknown accounts from one address: none reaches the account limit
        sign_in(client, f"khong-co-{n}", "sai")
    assert sign_in(client, "b_staff", PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), "b_staff", PASSWORD).status_code == 302


def test_behind_a_proxy_each_client_address_counts_alone(limits, a_staff, b_staff):
    limits.BEHIND_PROXY = True
    for n in range(6):  # the client prepends an address of its choice: the proxy's own entry counts
        sign_in(Client(), f"khong-co-{n}", "sai", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7")
    assert sign_in(Client(), "b_staff", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert sign_in(Client(), "b_staff", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(limits, b_staff):
    for n in range(6):
        sign_in(Client(), f"khong-co-{n}", "sai", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert sign_in(Client(), "b_staff", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_an_administrator_unlocks_an_account(limits, a_staff, capsys):
    for _ in range(3):
        sign_in(Client(), "a_staff", "sai")
    assert sign_in(Client(), "a_staff", PASSWORD).status_code == 429
    call_command("unlock", "A_Staff")
    assert sign_in(Client(), "a_staff", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="unlock", object_id=str(a_staff.pk)).count() == 1


def test_unlocking_an_address(limits, b_staff):
    for n in range(6):
        sign_in(Client(), f"khong-co-{n}", "sai")
    call_command("unlock", address="127.0.0.1")
    assert sign_in(Client(), "b_staff", PASSWORD).status_code == 302


def test_the_admin_lists_attempts_for_unlocking(limits, a_staff, django_user_model):
    sign_in(Client(), "a_staff", "sai")
    admin_client = Client()
    admin_client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200 and "a_staff" in response.content.decode()
