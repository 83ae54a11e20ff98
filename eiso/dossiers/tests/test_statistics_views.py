"""The statistics page, its Excel export and the API: scope, filters, bad input, query counts."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from eiso.dossiers.services.recording import dossier_events_record
from eiso.dossiers.tests.factories.statistics import build, dossier_rows
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = pytest.mark.django_db
URL = "/dossiers/statistics/"
XLSX = "/dossiers/statistics.xlsx"
API = "/api/v1/dossiers/statistics"
PERIOD = {"from": "2026-03", "to": "2026-04"}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def world(agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head):
    p1, p2, pb, _extra = build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b,
                               unit_b=unit_b, a_secretary=a_secretary, b_head=b_head)
    return {"p1": p1, "p2": p2, "pb": pb}


def chart(response, name):
    html = response.content.decode()
    start = html.index(">", html.index(f'<script id="{name}"')) + 1
    return json.loads(html[start:html.index("</script>", start)])


# --- the page ---------------------------------------------------------------------------------------

def test_the_url_is_the_reserved_navigation_entry():
    assert reverse("dossiers:statistics") == URL
    assert reverse("dossiers:statistics-xlsx") == XLSX


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_user_without_an_agency_is_refused(client_for, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    assert client_for(nobody).get(URL).status_code == 403
    assert client_for(nobody).get(XLSX).status_code == 403


def test_agency_staff_see_their_figures_steps_and_units(world, client_for, a_staff):
    response = client_for(a_staff, language="en").get(URL, PERIOD)
    assert response.status_code == 200
    ctx = response.context
    assert (ctx["totals"].early, ctx["totals"].on_time, ctx["totals"].late) == (2, 1, 2)
    assert ctx["now"] == {"open": 1, "overdue": 1}
    assert "agencies" not in ctx  # one agency: no ranking
    html = response.content.decode()
    assert "Thẩm định, trình ký" in html and "Bộ phận Một cửa" in html and "Sở Xây dựng" not in html
    months = chart(response, "chart-months")
    assert months["labels"] == ["03/2026", "04/2026"]
    assert [d["data"] for d in months["datasets"]] == [[1, 1], [1, 0], [2, 0], [50.0, 100.0]]
    assert months["datasets"][3]["axis"] == "rate"
    assert months["rateMin"] == 40  # the rate axis starts below the lowest rate (50 %), not at 0
    steps = chart(response, "chart-steps")  # worst first, as shares
    assert steps["labels"][0].startswith("1.000002 · 1.") and steps["datasets"][2]["data"][0] == 100.0
    assert 'src="/static/eiso/charts.js"' in html and "<script>" not in html


def test_tables_span_the_page_and_fold_the_rows_past_the_first(world, client_for, a_staff, monkeypatch):
    from eiso.dossiers.views import statistics as view

    monkeypatch.setattr(view, "TABLE_SHOWN", 1)
    html = client_for(a_staff).get(URL, PERIOD).content.decode()
    steps = html[html.index('id="per-step"'):html.index('id="per-unit"')]
    assert "col-xl-7" not in steps and "col-xl-5" not in steps  # no table squeezed beside its chart
    assert steps.index('data-stats-chart="chart-steps"') < steps.index("<table")  # the chart above
    shown, folded = steps.split('<tbody class="collapse" id="per-step-more">')
    assert shown.count("<tr>") == 2 and folded.count("<tr>") >= 1  # header row + one row; the rest folded
    assert 'data-bs-target="#per-step-more"' in steps


def test_a_late_count_links_to_the_late_dossiers_of_the_procedure(world, client_for, a_staff):
    html = client_for(a_staff).get(URL, PERIOD).content.decode()
    assert f"/dossiers/?procedure={world['p1'].pk}&amp;result=late" in html


def test_the_overseer_compares_the_agencies_of_the_province(world, client_for, overseer, agency_a, agency_b):
    response = client_for(overseer, language="en").get(URL, PERIOD)
    assert response.status_code == 200
    rows = response.context["agencies"]["rows"]
    assert [(r.key, r.rank, r.total) for r in rows] == [(agency_a.pk, 1, 5), (agency_b.pk, 2, 1)]
    agencies_chart = chart(response, "chart-agencies")
    assert agencies_chart["datasets"][0]["data"] == [60.0, 0.0] and agencies_chart["min"] == 0
    assert "2.000001" in response.content.decode()
    one = client_for(overseer).get(URL, {**PERIOD, "agency": agency_b.pk})
    assert one.context["totals"].total == 1 and "agencies" not in one.context
    assert "1.004227" not in one.content.decode()


def test_another_agency_and_another_province_see_none_of_a(world, client_for, b_staff, q_overseer, agency_a):
    for user in (b_staff, q_overseer):
        response = client_for(user).get(URL, PERIOD)
        assert response.status_code == 200
        html = response.content.decode()
        assert "1.004227" not in html and "1.000002" not in html and "Bộ phận Một cửa" not in html
        assert "Sở Tư pháp" not in html
    assert client_for(q_overseer).get(URL, PERIOD).context["totals"].total == 0
    # Asking for agency A by id: a filter error, no figures, nothing of A.
    response = client_for(b_staff).get(URL, {**PERIOD, "agency": agency_a.pk})
    assert response.status_code == 200 and response.context["query"] is None
    response = client_for(q_overseer).get(URL, {**PERIOD, "agency": agency_a.pk})
    assert response.context["query"] is None and "1.004227" not in response.content.decode()
    response = client_for(b_staff).get(URL, {**PERIOD, "procedure": world["p1"].pk})
    assert response.context["query"] is None and "1.004227" not in response.content.decode()


@pytest.mark.parametrize("params", [
    {"from": "2026-13"}, {"from": "2026-05", "to": "2026-04"}, {"to": "x" * 300}, {"from": "1990-01", "to": "2026-01"},
    {"sort": "nope"}, {"agency": "abc"}, {"field": "Không có"}, {"procedure": "-1"}, {"procedure": "999999"},
])
def test_bad_filters_get_a_message_not_an_error(world, client_for, overseer, params):
    response = client_for(overseer, language="en").get(URL, params)
    assert response.status_code == 200
    assert response.context["query"] is None
    assert "The filter is not valid" in response.content.decode()
    assert client_for(overseer).get(XLSX, params).status_code == 400


def test_htmx_gets_only_the_results(world, client_for, a_staff):
    response = client_for(a_staff).get(URL, PERIOD, headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="results">') and "<html" not in html


def test_default_period_is_the_last_twelve_months(world, client_for, a_staff):
    response = client_for(a_staff).get(URL)
    query = response.context["query"]
    assert (query.start, query.end) == (dt.date(2025, 5, 1), dt.date(2026, 4, 1))
    assert len(response.context["months"]) == 12 and response.context["totals"].total == 5


@pytest.mark.parametrize("persona", ["overseer", "a_secretary"])
def test_the_page_costs_the_same_queries_whatever_the_procedures_and_months(
        persona, request, agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head, client_for,
        django_assert_max_num_queries, django_assert_num_queries):
    build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b, unit_b=unit_b,
          a_secretary=a_secretary, b_head=b_head, extra_a=1)
    client = client_for(request.getfixturevalue(persona))
    params = {"from": "2025-01", "to": "2026-04"}
    # Both requests are measured with nothing kept (a write in agency A leaves kept copies of other
    # agencies' data, such as the overseer's own inbox count, which would make the second cheaper).
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, params).status_code == 200
    rows = []
    for i in range(12):
        code = f"8.{i:06d}"
        procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a, code=code, name=f"Thêm {i}",
                               document_code=f"QT-Y-{i}")
        start = dt.datetime(2025, 1 + i, 13 if i != 3 else 14, 8, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        rows += dossier_rows(f"Y{i}", "STP", code, start, [start + dt.timedelta(hours=1)],
                             start + dt.timedelta(hours=2))
    dossier_events_record(actor=a_secretary, rows=rows, source="more")
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(URL, params)
    own = 2 + 1 + 12  # agency A's procedures; the overseer also sees B's
    assert len(response.context["procedures"]["rows"]) == own + (persona == "overseer")
    with django_assert_max_num_queries(25):
        client.get(URL, params)


# --- Excel ------------------------------------------------------------------------------------------

def test_the_export_has_every_table(world, client_for, overseer):
    response = client_for(overseer).get(XLSX, {**PERIOD, "sort": "total"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Theo tháng", "Theo cơ quan", "Theo thủ tục", "Theo bước", "Theo đơn vị"]
    procedures = list(book["Theo thủ tục"].iter_rows(min_row=2, values_only=True))
    assert procedures[0][:7] == ("STP", "1.004227", "Đăng ký khai sinh có yếu tố nước ngoài", 2, 1, 1, 4)
    assert procedures[0][7] == pytest.approx(0.75)
    assert len(procedures) == 3
    steps = list(book["Theo bước"].iter_rows(min_row=2, values_only=True))
    assert ("STP", "1.004227", 2, "Thẩm định, trình ký") in {(r[0], r[1], r[3], r[4]) for r in steps}
    agencies = list(book["Theo cơ quan"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in agencies] == [(1, "STP"), (2, "SXD")]
    months = list(book["Theo tháng"].iter_rows(min_row=2, values_only=True))
    assert [r[:4] for r in months] == [("03/2026", 1, 1, 3), ("04/2026", 1, 0, 0)]  # A and B


def test_the_export_of_another_agency_holds_none_of_a(world, client_for, b_staff):
    book = load_workbook(io.BytesIO(client_for(b_staff).get(XLSX, PERIOD).content))
    codes = {r[1] for r in book["Theo thủ tục"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"2.000001"} and "Theo cơ quan" not in book.sheetnames


# --- API --------------------------------------------------------------------------------------------

def test_api_groups(world, api_for, a_staff, one_stop_a):
    api = api_for(a_staff)
    body = api.get(API, {**PERIOD, "group": "procedure"}).json()
    assert (body["from"], body["to"], body["group"]) == ("2026-03", "2026-04", "procedure")
    assert body["totals"] == {"early": 2, "on_time": 1, "late": 2, "total": 5, "on_time_rate": 60.0,
                              "late_rate": 40.0}
    assert {r["code"]: (r["early"], r["on_time"], r["late"], r["on_time_rate"]) for r in body["rows"]} == {
        "1.004227": (2, 1, 1, 75.0), "1.000002": (0, 0, 1, 0.0)}
    months = api.get(API, {**PERIOD, "group": "month"}).json()["rows"]
    assert [(r["month"], r["total"]) for r in months] == [("2026-03", 4), ("2026-04", 1)]
    steps = api.get(API, {**PERIOD, "group": "step", "procedure": "1.004227"}).json()["rows"]
    assert {r["step"]: r["late"] for r in steps} == {1: 1, 2: 1, 3: 0}
    units = api.get(API, {**PERIOD, "group": "unit"}).json()["rows"]
    assert {r["key"]: r["total"] for r in units}[str(one_stop_a.pk)] == 11
    per = api.get(API, {**PERIOD, "group": "procedure_month", "procedure": str(world["p1"].pk)}).json()["rows"]
    assert [(r["month"], r["total"]) for r in per] == [("2026-03", 3), ("2026-04", 1)]


def test_api_overseer_per_agency_and_scope(world, api_for, overseer, q_overseer, b_staff, agency_a):
    body = api_for(overseer).get(API, {**PERIOD, "group": "agency"}).json()
    assert [(r["code"], r["rank"], r["on_time_rate"]) for r in body["rows"]] == [("STP", 1, 60.0), ("SXD", 2, 0.0)]
    assert api_for(overseer).get(API, {**PERIOD, "agency": "SXD"}).json()["totals"]["total"] == 1
    assert api_for(q_overseer).get(API, {**PERIOD, "group": "agency"}).json()["rows"] == []
    assert api_for(q_overseer).get(API, {**PERIOD, "agency": "STP"}).status_code == 404
    assert api_for(b_staff).get(API, {**PERIOD, "agency": str(agency_a.pk)}).status_code == 404
    assert api_for(b_staff).get(API, {**PERIOD, "procedure": "1.004227"}).status_code == 404
    assert api_for(b_staff).get(API, {**PERIOD, "procedure": str(world["p1"].pk)}).status_code == 404
    own = api_for(b_staff).get(API, {**PERIOD, "group": "procedure"}).json()["rows"]
    assert [r["code"] for r in own] == ["2.000001"]


def test_api_refuses_bad_input_clearly(world, api_for, a_staff, client):
    api = api_for(a_staff)
    for params, status in [({"group": "nope"}, 422), ({"from": "2026-13"}, 400), ({"from": "2026-05", "to": "2026-01"},
                                                                                  400), ({"agency": "x\x00"}, 422)]:
        response = api.get(API, params)
        assert response.status_code == status, params
        assert response.json()["message"]
    assert client.get(API).status_code == 401


def test_api_is_not_taken_for_a_dossier_code(world, api_for, a_staff):
    from django.urls import resolve

    match = resolve(API)  # the dossiers router has GET /dossiers/{code}: this one comes first
    assert match.route.endswith("dossiers/statistics")
    assert api_for(a_staff).get(API).json()["group"] == "procedure"


# --- the dashboards' card ---------------------------------------------------------------------------

def test_dashboard_card_for_the_secretary_head_and_overseer(world, client_for, a_secretary, a_head, overseer,
                                                            a_staff, q_overseer):
    for user, total in ((a_secretary, 5), (a_head, 5), (overseer, 6)):
        response = client_for(user).get(reverse("dashboard"))
        ontime = response.context["ontime"]
        assert ontime.counts.total == total and 'id="ontime-card"' in response.content.decode()
        assert ontime.province == (user is overseer)
        assert ontime.chart["datasets"][2]["data"][-2:] == [2 if user is not overseer else 3, 0]  # late: Mar, Apr
    assert client_for(a_staff).get(reverse("dashboard")).context["ontime"] is None
    other = client_for(q_overseer).get(reverse("dashboard")).context["ontime"]
    assert other.counts.total == 0 and other.open == 0
