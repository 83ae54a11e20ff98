"""The oversight pages and API as an overseer, the inspected agency and another province's overseer;
the overview's figures equal the agency page's and the apps' own, at a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.organizations.tests.factories import AgencyFactory
from eiso.oversight.figures import agency_figures, overview_agencies
from eiso.oversight.tests.factories import approved_plan, decided
from eiso.procedures.selectors import coverage_summary
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = pytest.mark.django_db


def test_an_overseer_carries_out_an_inspection_through_the_pages(client_for, overseer, dost, agency_a, agency_b):
    client = client_for(overseer)
    response = client.post("/oversight/plans/new/", {"year": 2026, "number": "15/KH-SKHCN",
                                                      f"month_{agency_a.pk}": "5", f"month_{agency_b.pk}": "6"})
    assert response.status_code == 200 and "1" in response.content.decode()  # refused: none on site
    response = client.post("/oversight/plans/new/", {"year": 2026, f"month_{agency_a.pk}": "5",
                                                      f"on_site_{agency_a.pk}": "on", f"month_{agency_b.pk}": "6"})
    assert response.status_code == 302
    plan = dost.inspection_plans.get()
    assert client.post(f"/oversight/plans/{plan.pk}/approve/", {"number": "15/KH-SKHCN",
                                                                "signed_on": "10/01/2026"}).status_code == 302
    inspection = plan.inspections.get(agency=agency_a)
    assert client.post(f"/oversight/inspections/{inspection.pk}/decide/", {
        "decision_number": "25/QĐ-SKHCN", "decision_on": "04/05/2026",
        "team": "Ngô Thị Thanh Tra; Phó Chi cục trưởng; trưởng đoàn\nLê Văn Đoàn; Chuyên viên"}).status_code == 302
    page = client.get(f"/oversight/inspections/{inspection.pk}/checklist/")
    assert page.status_code == 200 and f"/admin-procedures/coverage/?agency={agency_a.pk}" in page.content.decode()
    data = {"inspected_on": "12/05/2026", "agency_representative": "Trần Văn Đại Diện", "conclusion": "Cơ bản đạt"}
    for code in ("scope", "training", "conformity", "processes", "internal_audit", "management_review",
                 "corrective_action", "complaints", "improvement", "head_confirmation", "announcement",
                 "legal_changes", "renewal"):
        data[f"result_{code}"] = "met"
    data["result_training"], data["note_training"] = "not_met", "Chưa đào tạo chuyên gia đánh giá nội bộ"
    assert client.post(f"/oversight/inspections/{inspection.pk}/checklist/", data).status_code == 302
    assert client.post(f"/oversight/inspections/{inspection.pk}/minutes/",
                       {"minutes_on": "15/05/2026"}).status_code == 302
    detail = client.get(f"/oversight/inspections/{inspection.pk}/").content.decode()
    assert "15/07/2026" in detail and "NC-2026-001" in detail
    for url in (f"/reports/oversight/plans/{plan.pk}/plan.docx",
                f"/reports/oversight/inspections/{inspection.pk}/decision.docx",
                f"/reports/oversight/inspections/{inspection.pk}/minutes.docx"):
        response = client.get(url)
        assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_inspected_agency_reads_its_inspection_but_changes_nothing(client_for, overseer, dost, agency_a, a_head,
                                                                       agency_b, b_head):
    plan = approved_plan(overseer, dost, [agency_a, agency_b])
    inspection = plan.inspections.get(agency=agency_a)
    decided(overseer, inspection)
    assert client_for(a_head).get(f"/oversight/inspections/{inspection.pk}/").status_code == 200
    assert client_for(a_head).post(f"/oversight/inspections/{inspection.pk}/decide/").status_code == 403
    assert client_for(b_head).get(f"/oversight/inspections/{inspection.pk}/").status_code == 404
    assert client_for(a_head).get(f"/oversight/plans/{plan.pk}/").status_code == 404  # the Department's plan


def test_the_overview_is_for_overseers_and_shows_each_agency_once(client_for, overseer, q_overseer, a_head,
                                                                  agency_a, agency_b, agency_q, dost):
    page = client_for(overseer).get("/oversight/?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and agency_a.name in text and agency_b.name in text
    assert agency_q.name not in text
    assert "/reports/oversight/province-report.docx?year=2026" in text and "tthc-report.xlsx?period=2026" in text
    assert agency_a.name not in client_for(q_overseer).get("/oversight/").content.decode()
    own = client_for(a_head).get("/oversight/").content.decode()  # an agency reads its own line only
    assert agency_a.name in own and agency_b.name not in own
    xlsx = client_for(overseer).get("/reports/oversight/overview.xlsx?year=2026")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_overview_equals_the_agency_page_and_the_apps_own_figures(overseer, a_head, agency_a, unit_a, one_stop_a,
                                                                      client_for):
    procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    row = next(f for f in agency_figures(overview_agencies(overseer), year=2026) if f.agency.pk == agency_a.pk)
    own = agency_figures(overview_agencies(a_head), year=2026)
    assert [f.agency.pk for f in own] == [agency_a.pk]
    assert (own[0].tthc_total, own[0].tthc_covered) == (row.tthc_total, row.tthc_covered)
    summary = coverage_summary(a_head, agency=str(agency_a.pk))
    assert (row.tthc_total, row.tthc_covered) == (summary["total"], summary["covered"])
    page = client_for(a_head).get(f"/oversight/agencies/{agency_a.pk}/?year=2026").content.decode()
    assert f'data-figure="tthc">{row.tthc_covered} / {row.tthc_total}<' in page


def _count_queries(user, year=2026) -> int:
    with CaptureQueriesContext(connection) as captured:
        agency_figures(overview_agencies(user), year=year)
    return len(captured)


def test_the_overview_costs_the_same_queries_for_more_agencies(overseer, province, agency_a, unit_a, one_stop_a):
    procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    _count_queries(overseer)  # the user's membership is read once, then kept
    few = _count_queries(overseer)
    for i in range(6):
        agency = AgencyFactory(province=province)
        procedure_with_process(agency, code=f"2.00{i}", document_code=f"QT-{i}")
    assert _count_queries(overseer) == few


def test_the_api_plans_and_lists(api_for, overseer, agency_a, agency_b, q_overseer):
    api = api_for(overseer)
    refused = api.post("/api/v1/inspection-plans", {"year": 2026, "items": [
        {"agency": agency_a.code, "month": 5}, {"agency": agency_b.code, "month": 6}]}, content_type="application/json")
    assert refused.status_code == 400
    created = api.post("/api/v1/inspection-plans", {"year": 2026, "items": [
        {"agency": agency_a.code, "month": 5, "on_site": True}, {"agency": agency_b.code, "month": 6}]},
        content_type="application/json")
    assert created.status_code == 201 and len(created.json()["inspections"]) == 2
    assert len(api.get("/api/v1/inspections?year=2026").json()) == 2
    assert api_for(q_overseer).get("/api/v1/inspections").json() == []
    rows = api.get("/api/v1/oversight/agencies?year=2026").json()
    assert {r["agency"]["code"] for r in rows} >= {agency_a.code, agency_b.code}
    assert {"tthc_total", "tthc_covered", "on_time_rate", "compliant"} <= set(rows[0])
    assert datetime.date.today()  # the API answers dates as ISO text


def test_the_5s_score_and_the_last_review_reach_the_overview(overseer, a_head, agency_a, unit_a, one_stop_a, a_staff):
    from eiso.fives.tests.factories import make_area, make_inspection
    from eiso.reviews import services as review_services

    office, desk = make_area(agency_a, unit_a), make_area(agency_a, one_stop_a, name="Quầy một cửa")
    scores = [make_inspection(agency_a, office, a_staff, day=datetime.date(2026, 3, 10), failed=f).percent
              for f in (0, 2)]
    scores_desk = [make_inspection(agency_a, desk, a_staff, day=datetime.date(2026, 4, 10), failed=1).percent]
    review = review_services.review_create(actor=None, agency=agency_a, meeting_on=datetime.date(2026, 6, 5))
    review_services.review_start(actor=a_head, review=review, now=datetime.datetime(2026, 6, 5, 9, tzinfo=datetime.UTC))
    row = agency_figures(overview_agencies(a_head), year=2026)[0]
    units = [float(sum(scores) / len(scores)), float(scores_desk[0])]
    assert row.fives_score == round(sum(units) / 2, 1)  # the mean of the units' means, as the 5S ranking says
    assert row.last_management_review == datetime.date(2026, 6, 5)
    assert agency_figures(overview_agencies(a_head), year=2025)[0].fives_score is None


def test_the_announcement_and_its_renewal_reach_the_overview_and_the_checklist(overseer, a_head, agency_a, unit_a,
                                                                                one_stop_a, client_for):
    from eiso.oversight.selectors import evidence_of
    from eiso.rollout.announcements import announcement_record_past

    procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    assert agency_figures(overview_agencies(a_head), year=2026)[0].announced_on is None
    announcement_record_past(actor=None, agency=agency_a, number="12/QĐ-STP", signed_on=datetime.date(2026, 2, 3),
                             signer_name="Giám đốc", posted_where="Trụ sở", posted_on=datetime.date(2026, 2, 4),
                             notice_number="15/STP-VP", notice_date=datetime.date(2026, 2, 5))
    row = agency_figures(overview_agencies(a_head), year=2026)[0]
    assert (row.announced_on, row.renewal_due, row.checks["announcement"]) == (datetime.date(2026, 2, 3), False, True)
    assert evidence_of(row)["announcement"]["suggested"] == "met"
    procedure_with_process(agency_a, code="1.000099", name="Thủ tục mới", document_code="QT-NEW")  # not announced
    row = agency_figures(overview_agencies(a_head), year=2026)[0]
    assert row.renewal_due and row.checks["announcement"] is False and row.compliance == "red"
    assert evidence_of(row)["renewal"]["suggested"] == "not_met"
    page = client_for(overseer).get("/oversight/?year=2026").content.decode()
    assert "03/02/2026" in page


def test_the_checklist_shows_the_training_held(overseer, a_head, a_staff, agency_a):
    from eiso.oversight.selectors import evidence_of
    from eiso.people.models import Course, CourseKind, TrainingResult

    kind = CourseKind.objects.first() or CourseKind.objects.create(code="iso", name="ISO 9001")
    course = Course.objects.create(agency=agency_a, kind=kind, title="Nhận thức ISO 9001", start_date=datetime.date(
        2026, 3, 2), end_date=datetime.date(2026, 3, 3), hours=8)
    TrainingResult.objects.create(course=course, user=a_staff, issued_on=datetime.date(2026, 3, 3))
    row = agency_figures(overview_agencies(a_head), year=2026)[0]
    assert (row.courses, row.people_trained) == (1, 1) and row.staff >= 2
    assert "1" in evidence_of(row)["training"]["text"]


def test_the_peoples_committee_reads_the_lines_but_opens_no_agency_list(client_for, overseer, province, agency_a):
    from eiso.organizations.choices import AgencyLevel, Role
    from eiso.organizations.tests.factories import AgencyFactory, make_user

    committee = AgencyFactory(code="UBND-P", name="UBND tỉnh", province=province, level=AgencyLevel.PROVINCE_PC)
    pc_head = make_user(committee, [Role.AGENCY_HEAD], username="pc_head")
    opens = f"?agency={agency_a.pk}&state=overdue"  # the overdue corrective actions of A
    seen = client_for(pc_head).get("/oversight/?year=2026").content.decode()
    assert agency_a.name in seen and opens not in seen
    assert f"/oversight/agencies/{agency_a.pk}/?year=2026" in seen  # its line still opens the agency's page
    assert opens in client_for(overseer).get("/oversight/?year=2026").content.decode()


def test_the_overview_lines_escape_names_and_link_each_figure(client_for, overseer, agency_a, province):
    from eiso.organizations.tests.factories import AgencyFactory

    agency_a.name = 'Sở <b>Tư pháp</b> & "Hộ tịch"'
    agency_a.save(update_fields=["name"])
    other = AgencyFactory(province=province, name="Cơ quan <script>x</script>")
    page = client_for(overseer).get("/oversight/?year=2026&sort=-name").content.decode()
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    assert "<b>" not in body and "<script>" not in body
    assert "Sở &lt;b&gt;Tư pháp&lt;/b&gt; &amp; &quot;Hộ tịch&quot;" in body and "&lt;script&gt;" in body
    assert body.count("<tr>") == body.count("</tr>") >= 2
    line = next(tr for tr in body.split("<tr>") if f"/oversight/agencies/{agency_a.pk}/?year=2026" in tr)
    assert line.count("<td") == 14 and line.count("<a ") == 13  # the name and 12 figures; the light is a badge
    assert f'href="/audits/?agency={agency_a.pk}"' in line and f"/agencies/{other.pk}/" not in line
