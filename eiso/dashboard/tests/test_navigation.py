"""The menu: every built area is reachable, import and settings entries only for those who may."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.core.navigation import NAVIGATION, build_menu

pytestmark = pytest.mark.django_db

BUILT = ("procedures", "dossiers", "audits", "improvements", "feedback", "objectives")


def urls(user) -> dict[str, bool]:
    return {item["url"]: item["enabled"] for section in build_menu(user) for item in section["items"] if item["url"]}


def test_every_built_area_is_enabled(a_secretary):
    menu = urls(a_secretary)
    for section in NAVIGATION:
        for item in section.items:
            if item.url_name.split(":")[0] in BUILT:
                assert menu.get(reverse(item.url_name)) is True, item.url_name
    for name in ("procedures:adminprocedure-coverage", "procedures:adminprocedure-import",
                 "dossiers:dossierimport-list", "dossiers:dossiersettings-update", "dossiers:statistics",
                 "audits:qms-scope", "audits:finding-list", "improvements:attention",
                 "improvements:nonconformity-list", "improvements:corrective-action-list", "improvements:risk-list",
                 "feedback:satisfaction", "feedback:complaint-list", "objectives:objective-list"):
        assert reverse(name) in menu, name


@pytest.mark.parametrize("who", ["a_staff", "a_unit_head", "overseer"])
def test_import_and_settings_only_for_those_who_may(request, who):
    menu = urls(request.getfixturevalue(who))
    for name in ("procedures:adminprocedure-import", "dossiers:dossierimport-list", "dossiers:dossiersettings-update"):
        assert reverse(name) not in menu, name
    assert reverse("procedures:adminprocedure-coverage") in menu and reverse("improvements:attention") in menu


def test_head_and_admin_may_import(a_head, admin_user):
    for user in (a_head, admin_user):
        menu = urls(user)
        assert reverse("dossiers:dossierimport-list") in menu and reverse("procedures:adminprocedure-import") in menu


def test_the_page_shows_the_entries(client_for, a_secretary, a_staff):
    body = client_for(a_secretary).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("dossiers:dossierimport-list")}"' in body
    body = client_for(a_staff).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("dossiers:dossierimport-list")}"' not in body
    assert f'href="{reverse("audits:qms-scope")}"' in body


@pytest.mark.parametrize(("name", "active"), [
    ("dossiers:statistics", "dossiers:statistics"),
    ("procedures:adminprocedure-coverage", "procedures:adminprocedure-coverage"),
    ("dossiers:dossier-list", "dossiers:dossier-list"),
])
def test_only_the_closest_menu_item_is_active(client_for, a_secretary, name, active):
    html = client_for(a_secretary).get(reverse(name)).content.decode()
    assert re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', html) == [reverse(active)]


def test_the_audit_trail_entry_is_asked_of_the_rules_alone(a_staff, a_secretary, django_user_model):
    """A person the rule refuses costs no query of Django's permission tables (ModelBackend's
    answer after the rule says no); who may see the entry still sees it."""
    trail = reverse("organizations:auditevent-list")
    assert a_staff.membership is not None  # read as on a page, before the menu is built
    with CaptureQueriesContext(connection) as queries:
        assert trail not in urls(a_staff)
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    assert trail in urls(a_secretary) and trail in urls(root)


def test_the_kept_menu_follows_the_data_and_the_day(a_secretary, a_staff, agency_a):
    """The menu is kept between pages (per reader), yet an agency that has ended loses its import entry
    the next day, with no write in between."""
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from django.test import RequestFactory

    from eiso.core.context_processors import navigation

    imports = reverse("dossiers:dossierimport-list")
    agency_a.valid_to = datetime.date(2026, 3, 10)
    agency_a.save(update_fields=["valid_to"])

    def menu_urls(user):
        request = RequestFactory().get("/")
        request.user = user
        return [item["url"] for section in navigation(request)["nav_menu"] for item in section["items"]]

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime.datetime(2026, 3, 10, 16, tzinfo=zone), tick=False):
        assert imports in menu_urls(a_secretary) and imports not in menu_urls(a_staff)
        assert imports in menu_urls(a_secretary)
    with time_machine.travel(datetime.datetime(2026, 3, 11, 8, tzinfo=zone), tick=False):
        assert imports not in menu_urls(a_secretary)


def test_the_kept_menu_stays_through_another_agency_s_writes(monkeypatch, a_secretary, agency_a, agency_b):
    """The menu is asked of the reader's roles and agency: another agency's writes leave it, a write of
    the reader's agency (a role given, say) has it built again."""
    from django.test import RequestFactory

    from eiso.core import context_processors
    from eiso.organizations.tests.factories import UnitFactory

    built, build = [], context_processors.build_menu
    monkeypatch.setattr(context_processors, "build_menu", lambda user: built.append(user.pk) or build(user))

    def menu():
        request = RequestFactory().get("/")
        request.user = type(a_secretary).objects.get(pk=a_secretary.pk)
        return context_processors.navigation(request)["nav_menu"]

    first = menu()
    UnitFactory(agency=agency_b)
    assert menu() is first and built == [a_secretary.pk]
    UnitFactory(agency=agency_a)
    assert menu() == first and built == [a_secretary.pk] * 2
