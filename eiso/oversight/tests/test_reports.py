"""The reports: the province's totals are the sums of the agencies' own figures (and those equal
the dossier statistics); the 06a TTHC report counts the same dossiers; Word, Excel and the API."""

import io

import pytest
from docx import Document as Docx

from eiso.dossiers.selectors.statistics import by_agency, statistics_query
from eiso.dossiers.tests.factories.statistics import build
from eiso.oversight.figures import agency_figures, overview_agencies, province_totals, tthc_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head):
    return build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b, unit_b=unit_b,
                 a_secretary=a_secretary, b_head=b_head)


def test_the_province_totals_are_the_agencies_own_figures(dossiers, overseer, a_head, b_head, agency_a, agency_b):
    rows = agency_figures(overview_agencies(overseer), year=2026)
    totals = province_totals(rows)
    own = [agency_figures(overview_agencies(person), year=2026)[0] for person in (a_head, b_head)]
    assert totals["tthc_total"] == sum(f.tthc_total for f in own) == 3
    assert totals["dossiers_total"] == sum(f.dossiers.total for f in own)
    assert totals["dossiers_in_time"] == sum(f.dossiers.in_time for f in own)
    # … and each agency's dossier figures are the on-time statistics page's.
    stats = {r.key: r for r in by_agency(overseer, statistics_query(overseer, start="2026-01", end="2026-12"))}
    for f in own:
        assert (f.dossiers.early, f.dossiers.on_time, f.dossiers.late) == (
            stats[f.agency.pk].early, stats[f.agency.pk].on_time, stats[f.agency.pk].late)
    assert totals["dossiers_total"] == 6


def test_the_tthc_report_counts_received_resolved_and_in_progress(dossiers, agency_a, agency_b):
    import datetime

    march = tthc_report([agency_a.pk], start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 31))
    (hotich,) = march
    assert hotich.field == "Hộ tịch"
    assert hotich.received == 5 and hotich.carried_over == 0  # D1, D2, D3, D5, D6
    assert hotich.resolved == 4 and hotich.in_progress == 1 and hotich.overdue == 1  # D6 open, past due
    april = tthc_report([agency_a.pk], start=datetime.date(2026, 4, 1), end=datetime.date(2026, 4, 30))[0]
    assert april.carried_over == 1 and april.direct + april.online + april.postal == 1  # D6 carried, D4 new
    assert april.resolved == 1


def test_the_report_downloads_and_api(dossiers, client_for, api_for, overseer, q_overseer, a_head, agency_a):
    client = client_for(overseer)
    for url in ("/reports/oversight/province-report.docx?year=2026", "/reports/oversight/tthc-report.docx?period=2026",
                "/reports/oversight/tthc-report.xlsx?period=2026-Q1",
                f"/reports/oversight/agencies/{agency_a.pk}/annual-report.docx?year=2026"):
        response = client.get(url)
        assert response.status_code == 200 and response.content[:2] == b"PK", url
        if ".docx" in url:  # a report is numbered when registered: the number line waits for it (NĐ 30/2020)
            document = Docx(io.BytesIO(response.content))
            cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
            assert "agency=" not in cells and "/?" not in cells, url  # no web addresses printed on paper
            heading = document.tables[0]
            assert "Số: …/BC-" in "\n".join(c.text for row in heading.rows for c in row.cells), url
    assert client.get("/reports/oversight/tthc-report.docx?period=2026-13").status_code == 400
    assert client_for(q_overseer).get(
        f"/reports/oversight/agencies/{agency_a.pk}/annual-report.docx").status_code == 404
    assert client_for(q_overseer).get(f"/reports/oversight/tthc-report.xlsx?agency={agency_a.pk}").status_code == 404
    annual = api_for(overseer).get("/api/v1/reports/annual?year=2026").json()
    assert annual["totals"]["dossiers_total"] == sum(a["dossiers_finished"] for a in annual["agencies"])
    tthc = api_for(overseer).get("/api/v1/reports/tthc?period=2026-03").json()
    assert sum(r["received"] for r in tthc["rows"]) == 6  # A's five and B's one
    mine = api_for(a_head).get("/api/v1/reports/tthc?period=2026-03").json()
    assert mine["agencies"] == 1 and sum(r["received"] for r in mine["rows"]) == 5
    assert api_for(q_overseer).get(f"/api/v1/reports/tthc?agency={agency_a.code}").status_code == 404
    assert api_for(overseer).get("/api/v1/reports/tthc?period=abc").status_code == 400

