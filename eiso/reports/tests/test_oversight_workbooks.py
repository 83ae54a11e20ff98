"""The oversight reports in Excel hold the same figures, agencies and inspections as their Word files."""

import io

import pytest
from openpyxl import load_workbook

from eiso.dossiers.tests.factories.statistics import build
from eiso.oversight.figures import agency_figures, overview_agencies
from eiso.reports.collectors import oversight as collect

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head):
    return build(agency_a=agency_a, unit_a=unit_a, one_stop_a=one_stop_a, agency_b=agency_b, unit_b=unit_b,
                 a_secretary=a_secretary, b_head=b_head)


def test_the_annual_and_province_reports_in_excel_hold_the_word_files_figures(dossiers, client_for, overseer,
                                                                               q_overseer, a_head, agency_a):
    client = client_for(overseer)
    response = client.get("/reports/oversight/province-report.xlsx?year=2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tình hình chung", "Từng cơ quan", "Kết quả kiểm tra"]
    data = collect.collect_province(overseer, overseer.agency, agency_figures(overview_agencies(overseer),
                                                                              year=2026), 2026)
    totals = [(row[1], row[2]) for row in book["Tình hình chung"].iter_rows(min_row=2, values_only=True)]
    assert totals == [(f.label, f.value) for f in data.totals] and totals
    agencies = [row[1] for row in book["Từng cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert agencies == [a.agency for a in data.agencies] and agency_a.name in agencies
    annual = client.get(f"/reports/oversight/agencies/{agency_a.pk}/annual-report.xlsx?year=2026")
    assert annual.status_code == 200
    figures = [(r[1], r[2]) for r in load_workbook(io.BytesIO(annual.content))["Kết quả"].iter_rows(
        min_row=2, values_only=True)]
    own = collect.collect_annual(overseer, agency_figures(overview_agencies(overseer).filter(pk=agency_a.pk),
                                                         year=2026)[0])
    assert figures == [(f.label, f.value) for f in own.figures] and figures
    # Another province's overseer gets nothing; an agency head cannot print the province report.
    assert client_for(q_overseer).get(
        f"/reports/oversight/agencies/{agency_a.pk}/annual-report.xlsx").status_code == 404
    assert client_for(a_head).get("/reports/oversight/province-report.xlsx?year=2026").status_code == 403
