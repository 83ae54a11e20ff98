"""Rate charts in a real browser (the system Chromium through Playwright): on the overseer's dashboard
the chart of the lowest on-time rates starts its axis where the server said (core/charts.py), and
every agency's name is drawn whole beside its bar, wrapped if need be, never cut at the canvas edge
(a card a third of the page wide showed 'JBND phường Thành Vinh')."""

import pytest
from playwright.sync_api import expect

from eiso.dossiers.tests.factories.statistics import build
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

CANVAS = "canvas[data-chart='chart-ontime-agencies']"
# The widest line of the y axis's labels, measured in the chart's own font, and the room the axis has.
LABELS = f"""() => {{
  if (!window.Chart) return null;  // Chart.js is deferred: not there yet
  const chart = window.Chart.getChart(document.querySelector("{CANVAS}"));
  if (!chart) return null;
  const y = chart.scales.y, ctx = chart.ctx;
  ctx.save(); ctx.font = window.Chart.helpers.toFont(y.options.ticks.font).string;
  const widest = Math.max(...y.ticks.map(t => [].concat(t.label)).flat().map(l => ctx.measureText(l).width));
  ctx.restore();
  return {{widest, room: y.width - y.options.ticks.padding, min: chart.scales.x.min,
           lines: y.ticks.map(t => [].concat(t.label).join(" "))}};
}}"""


def test_the_lowest_rates_chart_names_every_agency_whole(transactional_db, live_server, browser, dost, agency_a,
                                                         unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head):
    agency_a.name, agency_a.short_name = "Ủy ban nhân dân phường Trường Vinh", ""
    agency_a.save(update_fields=["name", "short_name"])
    build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b, unit_b=unit_b,
          a_secretary=a_secretary, b_head=b_head)
    make_user(dost, [Role.OVERSEER], username="thanhtra", full_name="Ngô Thị Thanh Tra", password=PASSWORD)
    base = live_server.url
    problems = []
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text[:300]}") if msg.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "thanhtra")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")

    page.wait_for_function(f"() => ({LABELS})() !== null")
    drawn = page.evaluate(LABELS)
    assert drawn["min"] == 0  # 60 % and 0 %: spread widely, the axis keeps 0
    assert drawn["widest"] <= drawn["room"] + 0.5, drawn
    assert "Ủy ban nhân dân phường Trường Vinh" in [" ".join(line.split()) for line in drawn["lines"]]
    assert problems == []
