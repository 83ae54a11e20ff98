"""A real browser (the system Chromium through Playwright) logs in, reads the dashboard,
switches language and back, and filters a list page. Fails, never skips, without Chromium."""

import re

import pytest
from playwright.sync_api import expect

from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_login_dashboard_language_and_list(transactional_db, live_server, browser, agency_a, unit_a):
    make_user(
        agency_a,
        [Role.QMS_SECRETARY, Role.AUDITOR],
        unit=unit_a,
        username="thuky",
        full_name="Lê Thị Thư Ký",
        password=PASSWORD,
    )
    UnitFactory(agency=agency_a, code="MC", name="Bộ phận Một cửa")

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)

    # Not logged in: the dashboard sends us to the login page, in Vietnamese.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # A wrong password gives a clear error and we stay on the login page.
    page.fill("input[name=username]", "thuky")
    page.fill("input[name=password]", "sai-mat-khau")
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_be_visible()

    page.fill("input[name=username]", "thuky")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("Lê Thị Thư Ký")
    expect(page.locator("main")).to_contain_text("Sở Tư pháp")

    # Switch to English through the top bar, then back to Vietnamese.
    page.locator("#language-menu").click()
    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Hello, Lê Thị Thư Ký")
    page.locator("#language-menu").click()
    page.locator("header button[name=language][value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # Open the units list from the menu; typing in the search box filters it in place (htmx).
    page.locator("#sidebar a[href='/units/']").click()
    expect(page).to_have_url(f"{live_server.url}/units/")
    results = page.locator("#results")
    expect(results).to_contain_text("Phòng Hành chính tư pháp")
    expect(results).to_contain_text("Bộ phận Một cửa")
    page.fill("main input[name=q]", "Một cửa")
    expect(results).not_to_contain_text("Phòng Hành chính tư pháp")
    expect(results).to_contain_text("Bộ phận Một cửa")
    expect(page).to_have_url(
        re.compile(r"/units/\?q=M%E1%BB%99t(\+|%20)c%E1%BB%ADa$")
    )  # pushed, no empty filters

    # Log out (a POST form in the user menu).
    page.locator("#user-menu").click()
    page.locator("header form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")

    assert problems == [], problems  # no script errors, no CSP violations
