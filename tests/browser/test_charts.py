"""Charts in a real browser (the system Chromium through Playwright): the risk heat map is drawn by
static/eiso/charts.js, is drawn again when a filter replaces the list through htmx, and is still drawn
after the Back button restores the page from htmx's history copy, with no console or CSP error."""

import pytest
from playwright.sync_api import expect

from eiso.improvements.services import risk_create
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

DRAWN = "() => Array.from(document.querySelectorAll('canvas[data-heatmap]')).map(c => !!window.Chart.getChart(c))"


def test_the_heat_map_survives_a_filter_and_the_back_button(transactional_db, live_server, browser, agency_a, unit_a):
    make_user(agency_a, [Role.QMS_SECRETARY], unit=unit_a, username="thuky", full_name="Lê Văn Thư Ký",
              password=PASSWORD)
    risk_create(actor=None, agency=agency_a, description="Mất hồ sơ giấy", likelihood=4, impact=5)
    risk_create(actor=None, agency=agency_a, description="Số hóa hồ sơ", likelihood=3, impact=3, kind="opportunity")
    base = live_server.url
    problems = []
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text[:300]}") if msg.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "thuky")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/risks/")
    page.wait_for_function(f"() => ({DRAWN})().length === 1 && ({DRAWN})().every(Boolean)")
    assert page.evaluate("() => window.Chart.getChart(document.querySelector('canvas[data-heatmap]')).scales.x"
                         ".ticks.map(t => t.value)") == [1, 2, 3, 4, 5]

    with page.expect_response(lambda r: "/risks/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("form[data-autosubmit] select[name=kind]").select_option("risk")
    expect(page).to_have_url(f"{base}/risks/?kind=risk")
    page.wait_for_function(f"() => ({DRAWN})().length === 1 && ({DRAWN})().every(Boolean)")

    page.go_back()
    expect(page).to_have_url(f"{base}/risks/")
    expect(page.locator("form[data-autosubmit] select[name=kind]")).to_have_value("")
    page.wait_for_function(f"() => ({DRAWN})().length === 1 && ({DRAWN})().every(Boolean)")
    assert problems == []
