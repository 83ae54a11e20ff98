"""``eiso demo``: the demo province loads through the services, logs in, and loads only once."""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import connection
from django.test import Client

from eiso.core.models import AuditEvent
from eiso.demo.loaders import organizations
from eiso.demo.loaders.organizations import demo_password
from eiso.organizations.choices import Role
from eiso.organizations.models import Agency, Membership, SteeringMember, Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # The loader hashes ~40 passwords; PBKDF2 at full strength would take most of a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def only_the_organisations(monkeypatch):
    # These tests are about the command and the organisation loader; the loaders of later areas
    # (documents…) run with it in eiso demo and are tested in their own apps.
    monkeypatch.setattr("eiso.demo.management.commands.demo.LOADERS", [organizations.load])


def run_demo(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def demo_users() -> list[dict]:
    out, _err = run_demo("--json")
    return json.loads(out)["users"]


def row_counts() -> dict[str, int]:
    models = [*apps.get_app_config("organizations").get_models(include_auto_created=True), AuditEvent]
    return {model._meta.label: model.objects.count() for model in models}


def test_json_lists_working_logins_for_every_role():
    users = demo_users()

    assert len(users) >= 20
    assert all(set(u) == {"username", "password", "agency", "unit", "roles"} for u in users)
    assert {r for u in users for r in u["roles"]} == set(Role.values)
    assert len({u["username"] for u in users}) == len(users)
    for u in users:
        assert Client().login(username=u["username"], password=u["password"]), u["username"]
        assert Agency.objects.filter(code=u["agency"]).exists()
        if u["unit"] is not None:
            assert Unit.objects.filter(agency__code=u["agency"], code=u["unit"], is_active=True).exists()


def test_overseers_sit_in_the_dost_and_auditors_have_units_to_audit():
    users = demo_users()

    assert {u["agency"] for u in users if "overseer" in u["roles"]} == {"SKHCN"}
    assert {u["agency"] for u in users if "admin" in u["roles"]} <= {"SKHCN", "UBNDT"}
    for auditor in (u for u in users if "auditor" in u["roles"]):
        units = Unit.objects.filter(agency__code=auditor["agency"], is_active=True)
        assert units.exclude(code=auditor["unit"]).exists()


def test_everything_is_created_by_the_system_through_the_services():
    demo_users()

    assert AuditEvent.objects.count() > 100
    assert not AuditEvent.objects.exclude(actor=None).exists()
    assert set(AuditEvent.objects.values_list("actor_repr", flat=True)) == {""}
    for model in ("agency", "unit", "user", "jobdescription", "steeringcommittee"):
        assert AuditEvent.objects.filter(content_type__model=model, action__in=["create", "merge"]).exists()


def test_second_run_creates_nothing_and_prints_the_same_passwords():
    first = demo_users()
    before = row_counts()

    second = demo_users()

    assert row_counts() == before
    assert second == first
    _out, err = run_demo("--json")
    assert "nothing to create" in err


def test_the_2025_mergers_are_visible():
    demo_users()

    finance = Agency.objects.get(code="STC")
    home = Agency.objects.get(code="SNV")
    assert set(finance.predecessors.values_list("code", flat=True)) == {"STC-CU", "SKHDT"}
    assert set(home.predecessors.values_list("code", flat=True)) == {"SNV-CU", "SLDTBXH"}
    assert finance.valid_from == datetime.date(2025, 3, 1)
    for old in Agency.objects.filter(code__in=["STC-CU", "SKHDT", "SNV-CU", "SLDTBXH"]):
        assert old.valid_to == datetime.date(2025, 2, 28)
        assert not old.memberships.filter(valid_to__isnull=True).exists()

    moved = User.objects.get(username="skhdt.dkkd")
    old, new = moved.memberships.order_by("valid_from")
    assert (old.agency.code, old.valid_to) == ("SKHDT", datetime.date(2025, 2, 28))
    assert (new.agency.code, new.valid_from, new.valid_to) == ("STC", datetime.date(2025, 3, 1), None)
    assert new.roles == old.roles
    # Offices both departments had are one office now; nobody is left in a closed unit.
    assert User.objects.get(username="skhdt.motcua").membership.unit == finance.units.get(code="MC")
    assert not Membership.objects.filter(valid_to__isnull=True, unit__is_active=False).exists()
    # The former head of the absorbed department is a deputy in the new one.
    deputy = User.objects.get(username="skhdt.giamdoc")
    assert deputy.roles == {"steering_member"}
    assert deputy.position == "Phó Giám đốc Sở Tài chính"


def test_steering_committees_have_decisions_and_members():
    demo_users()

    stp = SteeringMember.objects.filter(committee__agency__code="STP", committee__is_active=True)
    assert stp.first().committee.decision_number == "125/QĐ-STP"
    assert set(stp.values_list("role", flat=True)) == {"head", "deputy", "secretary", "member"}
    for user in User.objects.filter(memberships__valid_to__isnull=True,
                                    memberships__role_rows__role="steering_member"):
        assert SteeringMember.objects.filter(user=user, committee__agency=user.agency,
                                             committee__is_active=True).exists(), user.username


def test_passwords_come_from_the_secret_key(settings):
    password = demo_password("stp.thuky")
    validate_password(password, User(username="stp.thuky", email="stp.thuky@example.gov.vn"))
    assert demo_password("stp.thuky") == password
    assert demo_password("stp.giamdoc") != password
    settings.SECRET_KEY = "another installation"
    assert demo_password("stp.thuky") != password


def test_human_output_is_a_table_of_logins_per_agency():
    out, _err = run_demo()

    assert "STP — Sở Tư pháp tỉnh Nghệ An" in out
    assert "admin" in out and demo_password("admin") in out
    assert "Lê Thị Thanh Hương" in out


def test_without_no_serve_it_serves_with_runserver(monkeypatch):
    calls = []
    monkeypatch.setattr("eiso.demo.management.commands.demo.call_command",
                        lambda *args, **kwargs: calls.append((args, kwargs)))

    call_command("demo", "--port", "8123", stdout=io.StringIO(), stderr=io.StringIO())

    assert calls == [(("runserver", "127.0.0.1:8123"), {"use_reloader": False})]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_loaded_tables_have_planner_statistics():
    """After loading, the demo ANALYZEs: the planner knows how many rows each table holds instead of
    planning every table as empty until autovacuum comes round (or never, where it is off)."""
    run_demo()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Agency._meta.db_table])
        assert cursor.fetchone()[0] == Agency.objects.count() > 0
