"""``eiso token create|list|revoke``: API tokens from the command line, audited as system actions."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from eiso.core.models import AuditEvent
from eiso.organizations.models import ApiToken, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_a_working_token(a_staff):
    out, _err = run("create", "a_staff", "--name", "báo cáo hằng đêm")
    raw = out.strip()
    assert out == raw + "\n" and raw.startswith("eiso_") and " " not in raw
    token = ApiToken.objects.get(user=a_staff)
    assert token.name == "báo cáo hằng đêm" and token.prefix == raw[:12] and raw not in token.digest
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert response.status_code == 200 and response.json()["username"] == "a_staff"
    event = AuditEvent.objects.filter(action="token", object_id=str(a_staff.pk)).get()
    assert event.actor is None and event.actor_repr == "" and event.actor_display in ("System", "Hệ thống")
    assert event.changes == {"token": [None, token.prefix]}


def test_username_is_case_insensitive(a_staff):
    out, _err = run("create", "A_STAFF")
    assert ApiToken.objects.filter(user=a_staff, prefix=out.strip()[:12]).exists()


def test_list(a_staff):
    first, _ = run("create", "a_staff", "--name", "cron")
    run("create", "a_staff")
    run("revoke", first.strip()[:12])
    out, _err = run("list", "a_staff")
    lines = out.strip().splitlines()
    assert len(lines) == 2
    revoked = next(line for line in lines if line.startswith(first.strip()[:12]))
    assert "\trevoked\t" in revoked and revoked.endswith("\tcron")
    assert sum("\tactive\t" in line for line in lines) == 1


def test_list_without_tokens(a_staff):
    out, err = run("list", "a_staff")
    assert out == "" and "no API tokens" in err


def test_revoke(a_staff):
    raw = run("create", "a_staff")[0].strip()
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").status_code == 200
    out, _err = run("revoke", raw[:12])
    assert raw[:12] in out
    assert ApiToken.objects.get(prefix=raw[:12]).revoked_at is not None
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    event = AuditEvent.objects.filter(action="revoke", object_id=str(a_staff.pk)).get()
    assert event.actor is None and event.changes == {"token": [raw[:12], None]}
    with pytest.raises(CommandError, match="No active token"):
        run("revoke", raw[:12])


@pytest.mark.parametrize("action", ["create", "list"])
def test_unknown_user(action, a_staff):
    count = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="No user with the username nobody"):
        run(action, "nobody")
    assert AuditEvent.objects.count() == count


def test_inactive_user_gets_no_token(a_staff):
    User.objects.filter(pk=a_staff.pk).update(is_active=False)
    count = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="deactivated"):
        run("create", "a_staff")
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.count() == count


def test_revoke_unknown_prefix(a_staff):
    with pytest.raises(CommandError, match="No active token with the prefix eiso_nothing"):
        run("revoke", "eiso_nothing")


def test_missing_action_is_a_usage_error():
    with pytest.raises(CommandError):
        call_command("token")
