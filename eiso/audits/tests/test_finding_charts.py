"""The charts beside an audit's finding statistics: data passed by json_script, drawn by the static
charts.js (no inline script)."""

import json
import re

import pytest
from django.urls import reverse

from eiso.audits import services
from eiso.audits.models import Clause
from eiso.audits.planning import finding_charts, finding_statistics

pytestmark = pytest.mark.django_db


def test_chart_specs_follow_the_statistics():
    stats = finding_statistics([("minor_nc", "8.5", "A"), ("minor_nc", "10.2", "A"), ("observation", "8.5", "B")])
    charts = finding_charts(stats, kinds_title="Findings", clauses_title="Per clause")
    assert charts["kinds"]["type"] == "doughnut" and charts["kinds"]["datasets"][0]["data"] == [0, 2, 1, 0]
    assert charts["kinds"]["labels"][1] == "Minor nonconformity"
    assert (charts["clauses"]["labels"], charts["clauses"]["datasets"][0]["data"]) == (["8.5", "10.2"], [2, 1])


def _chart(page: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', page, re.S)
    assert match, chart_id
    return json.loads(match.group(1))


def test_audit_page_draws_the_findings(client_for, started, auditor, unit_a, clause, a_secretary):
    for kind in ("major_nc", "minor_nc", "minor_nc"):
        services.finding_create(actor=auditor, audit=started, kind=kind, clause=clause, unit=unit_a,
                                description="Hồ sơ trễ hạn")
    services.finding_create(actor=auditor, audit=started, kind="opportunity",
                            clause=Clause.objects.get(edition__code="2015", code="7.5"),
                            unit=unit_a, description="Số hóa sổ giao nhận")
    page = client_for(a_secretary, language="en").get(reverse("audits:audit-detail", args=[started.pk]))
    html = page.content.decode()
    assert _chart(html, "finding-kinds-chart")["datasets"][0]["data"] == [1, 2, 0, 1]
    assert _chart(html, "finding-clauses-chart")["labels"] == ["7.5", "8.5"]
    assert 'data-chart="finding-kinds-chart"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert 'src="/static/eiso/charts.js"' in html
    assert "<script>" not in html  # CSP: no inline script


def test_no_chart_without_findings(client_for, started, a_secretary):
    html = client_for(a_secretary).get(reverse("audits:audit-detail", args=[started.pk])).content.decode()
    assert "finding-kinds-chart" not in html and "chart.umd.min.js" not in html and "charts.js" not in html
