"""Management reviews: inputs compiled on fixed data (equal to the apps' own figures), frozen at
the start, the close rule, open outputs carried to the next review, head-only approval, pages,
minutes and API."""

import datetime

import pytest
import time_machine

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.dossiers.selectors import statistics as stats
from eiso.feedback import services as feedback_services
from eiso.feedback.tests.factories import make_dossiers
from eiso.improvements import services as improvement_services
from eiso.improvements.models import Nonconformity
from eiso.reviews import selectors, services
from eiso.reviews.inputs import compile_inputs
from eiso.reviews.models import ManagementReview

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


MEETING = D(2026, 4, 28)


def _review(agency, actor=None, meeting_on=MEETING, **extra):
    return services.review_create(actor=actor, agency=agency, meeting_on=meeting_on, **extra)


def _data(agency, unit):
    """Four dossiers resolved in March (two of them late), a complaint, a nonconformity."""
    _procedure, dossiers = make_dossiers(agency, unit=unit, count=2)
    make_dossiers(agency, unit=unit, count=2, code="1.000002", prefix="STP-SLOW", document_code="QT-HT-02",
                  returned_after_days=30)
    feedback_services.complaint_create(actor=None, agency=agency, received_on=D(2026, 3, 10), person="Ông Nguyễn Văn A",
                                       content="Phản ánh về thời gian trả kết quả", unit=unit)
    improvement_services.nonconformity_create(actor=None, agency=agency, source="staff", clause="8.5.1", unit=unit,
                                              description="Thiếu biểu mẫu", detected_on=D(2026, 3, 12))
    return dossiers


def test_inputs_compiled_on_fixed_data_equal_the_apps_figures(agency_a, unit_a, a_secretary):
    _data(agency_a, unit_a)
    review = _review(agency_a, period_start=D(2026, 1, 1))
    inputs = compile_inputs(a_secretary, review)
    c3 = inputs["c3_process"]
    totals = stats.totals(a_secretary, stats.StatsQuery(start=D(2026, 1, 1), end=D(2026, 4, 1), agency_id=agency_a.pk))
    assert (c3["early"], c3["on_time"], c3["late"]) == (totals.early, totals.on_time, totals.late)
    assert c3["total"] == 4 and (c3["from"], c3["to"]) == ("2026-01", "2026-04")
    assert totals.late == 2 and [(r["code"], r["late"]) for r in c3["worst_procedures"]] == [("1.000002", 2)]
    assert inputs["c1_satisfaction"]["complaints_received"] == 1
    assert inputs["c1_satisfaction"]["complaints"]["open"] == 1
    assert inputs["c4_nonconformities"]["detected"] == 1 and inputs["c4_nonconformities"]["by_source"] == {"staff": 1}
    assert inputs["c4_nonconformities"]["without_action"] == 1
    assert inputs["a_previous"] == {"previous_review_id": None, "previous_review_on": None, "outputs": [],
                                    "total": 0, "open": 0, "overdue": 0}
    # Outside the period: nothing from March.
    later = ManagementReview.objects.filter(pk=review.pk).get()
    later.period_start = D(2026, 4, 1)
    assert compile_inputs(a_secretary, later)["c4_nonconformities"]["detected"] == 0


def test_the_same_opportunity_in_two_units_reads_apart_by_its_source(agency_a, unit_a, a_secretary):
    from eiso.organizations.tests.factories import UnitFactory
    from eiso.reviews.presentation import sections

    other = UnitFactory(agency=agency_a, name="Phòng Hành chính tư pháp")
    for unit in (unit_a, other):
        improvement_services.risk_create(actor=None, agency=agency_a, kind="opportunity", unit=unit, likelihood=3,
                                         impact=3, description="Số hóa kết quả giải quyết")
    inputs = compile_inputs(a_secretary, _review(agency_a, period_start=D(2026, 1, 1)))
    assert sorted(o["where"] for o in inputs["f_opportunities"]["list"]) == sorted([unit_a.name, other.name])
    table = next(s for s in sections(inputs) if s.code == "f").tables[0]
    assert sorted(row[1]["text"] for row in table.rows) == sorted([unit_a.name, other.name])
    # A snapshot frozen before the source was kept still reads.
    for o in inputs["f_opportunities"]["list"]:
        del o["where"]
    assert [row[1]["text"] for row in next(s for s in sections(inputs) if s.code == "f").tables[0].rows] == ["", ""]


def test_start_freezes_the_inputs(agency_a, unit_a, a_secretary, api_for):
    _data(agency_a, unit_a)
    review = _review(agency_a, period_start=D(2026, 1, 1), resources_note="Đủ nhân lực")
    services.review_start(actor=a_secretary, review=review)
    review.refresh_from_db()
    frozen = review.inputs
    assert review.status == "in_meeting" and review.frozen_at is not None
    assert frozen["c3_process"]["total"] == 4 and frozen["d_resources"]["note"] == "Đủ nhân lực"
    # Data added after the start does not change the stored inputs, nor what the API serves.
    make_dossiers(agency_a, unit=unit_a, count=3, code="1.000001", prefix="STP-LATE", document_code="QT-HT-09")
    feedback_services.complaint_create(actor=None, agency=agency_a, received_on=D(2026, 3, 20), person="Bà B",
                                       content="Phản ánh thêm", unit=unit_a)
    assert compile_inputs(a_secretary, review)["c3_process"]["total"] == 7  # the live figure moved…
    review.refresh_from_db()
    assert review.inputs == frozen  # …the frozen one did not
    body = api_for(a_secretary).get(f"/api/v1/management-reviews/{review.pk}").json()
    assert body["frozen"] is True and body["inputs"]["c3_process"]["total"] == 4
    assert body["inputs"]["c1_satisfaction"]["complaints_received"] == 1
    with pytest.raises(Conflict):
        services.review_update(actor=a_secretary, review=review, resources_note="Thiếu người")
    with pytest.raises(Conflict):
        services.review_start(actor=a_secretary, review=review)


def test_close_needs_an_output_or_no_action_needed(agency_a, a_secretary, a_staff):
    review = _review(agency_a)
    with pytest.raises(Conflict):  # outputs are decisions of the meeting
        services.output_create(actor=a_secretary, review=review, kind="improvement", description="X",
                               due_on=D(2026, 6, 1))
    services.review_start(actor=a_secretary, review=review)
    with pytest.raises(ValidationFailed):
        services.review_close(actor=a_secretary, review=review)
    assert ManagementReview.objects.get(pk=review.pk).status == "in_meeting"
    with pytest.raises(ValidationFailed):  # due before the meeting
        services.output_create(actor=a_secretary, review=review, kind="improvement", description="X",
                               due_on=D(2026, 4, 1), owner=a_staff)
    output = services.output_create(actor=a_secretary, review=review, kind="resources",
                                    description="Bổ sung máy scan", due_on=D(2026, 6, 30), owner=a_staff)
    assert AuditEvent.objects.filter(object_id=str(output.pk), action="create", agency=agency_a).exists()
    with pytest.raises(ValidationFailed):  # an output and "no action needed" contradict each other
        services.review_close(actor=a_secretary, review=review, no_action_needed=True)
    closed = services.review_close(actor=a_secretary, review=review, conclusions="Hệ thống phù hợp")
    assert closed.status == "awaiting_approval" and closed.conclusions == "Hệ thống phù hợp"


def test_no_action_needed_closes_and_only_the_head_approves(agency_a, a_secretary, a_head):
    review = _review(agency_a)
    services.review_start(actor=a_secretary, review=review)
    services.review_close(actor=a_secretary, review=review, no_action_needed=True)
    with pytest.raises(Forbidden):
        services.review_approve(actor=a_secretary, review=review)
    approved = services.review_approve(actor=a_head, review=review)
    assert approved.status == "approved" and approved.approved_by == a_head and approved.approved_on == D(2026, 5, 4)
    with pytest.raises(Conflict):
        services.review_approve(actor=a_head, review=review)


def test_open_outputs_are_carried_to_the_next_reviews(agency_a, a_secretary, a_head, a_staff):
    first = _review(agency_a, meeting_on=D(2025, 4, 20))
    services.review_start(actor=a_secretary, review=first)
    done = services.output_create(actor=a_secretary, review=first, kind="improvement", description="Số hoá hồ sơ",
                                  due_on=D(2025, 12, 31), owner=a_staff)
    still_open = services.output_create(actor=a_secretary, review=first, kind="qms_change",
                                        description="Sửa quy trình QT-01", due_on=D(2026, 3, 31), owner=a_staff)
    services.review_close(actor=a_secretary, review=first)
    services.review_approve(actor=a_head, review=first)
    services.output_set_status(actor=a_staff, output=done, status="done", done_on=D(2025, 11, 30))
    with pytest.raises(ValidationFailed):  # cancelling says why
        services.output_set_status(actor=a_staff, output=still_open, status="cancelled")
    second = _review(agency_a)
    assert second.period_start == D(2025, 4, 21)  # the day after the previous review
    a = compile_inputs(a_secretary, second)["a_previous"]
    assert a["previous_review_id"] == first.pk
    assert [(o["description"], o["status"], o["overdue"]) for o in a["outputs"]] == [
        ("Số hoá hồ sơ", "done", False), ("Sửa quy trình QT-01", "open", True)]
    assert (a["total"], a["open"], a["overdue"]) == (2, 1, 1)
    services.review_start(actor=a_secretary, review=second)
    services.review_close(actor=a_secretary, review=second, no_action_needed=True)
    services.review_approve(actor=a_head, review=second)
    third = _review(agency_a, meeting_on=D(2026, 5, 4))
    # The second review had no output: the first one's open decision is still an input; the done one is not.
    assert [o["description"] for o in compile_inputs(a_secretary, third)["a_previous"]["outputs"]] == [
        "Sửa quy trình QT-01"]
    rows = {r["agency"].pk: r for r in selectors.last_reviews(a_head)}
    assert rows[agency_a.pk]["last"] == D(2026, 4, 28) and rows[agency_a.pk]["late"] is False


def test_one_review_under_way_and_dates_checked(agency_a, a_secretary):
    _review(agency_a)
    with pytest.raises(Conflict):
        _review(agency_a, meeting_on=D(2026, 6, 1))
    with pytest.raises(ValidationFailed):
        services.review_create(actor=a_secretary, agency=agency_a, meeting_on=D(2026, 6, 1),
                               period_start=D(2026, 7, 1))
    for meeting_on in (D(1, 1, 1), D(9999, 12, 31)):  # no default start a year before year 1, no 500
        with pytest.raises(ValidationFailed):
            services.review_create(actor=a_secretary, agency=agency_a, meeting_on=meeting_on)


def test_output_opens_a_corrective_action_or_an_objective(agency_a, a_secretary, a_staff):
    review = _review(agency_a)
    services.review_start(actor=a_secretary, review=review)
    output = services.output_create(actor=a_secretary, review=review, kind="improvement",
                                    description="Giảm hồ sơ trễ hạn lĩnh vực hộ tịch", due_on=D(2026, 9, 30),
                                    owner=a_staff)
    with pytest.raises(ValidationFailed):
        services.output_open_corrective_action(actor=a_secretary, output=output, root_cause=" ")
    nc = services.output_open_corrective_action(actor=a_secretary, output=output, root_cause="Thiếu người")
    nc = Nonconformity.objects.get(pk=nc.pk)
    assert nc.source == "management_review" and nc.clause == "9.3" and nc.status == "action_planned"
    output.refresh_from_db()
    assert output.nonconformity_id == nc.pk and output.status == "in_progress"
    with pytest.raises(Conflict):
        services.output_open_objective(actor=a_secretary, output=output, indicator="manual", target=1)
    other = services.output_create(actor=a_secretary, review=review, kind="improvement",
                                   description="Tăng tỷ lệ hồ sơ trực tuyến", due_on=D(2026, 12, 31), owner=a_staff)
    objective = services.output_open_objective(actor=a_secretary, output=other, indicator="dossier_online_rate",
                                               target=40)
    assert objective.year == 2026 and objective.status == "draft" and objective.owner == a_staff


def test_pages_minutes_and_last_review_per_agency(client_for, agency_a, unit_a, a_secretary, a_head, a_staff,
                                                  overseer, b_head):
    _data(agency_a, unit_a)
    client = client_for(a_secretary)
    response = client.post("/reviews/new/", {"meeting_on": "28/04/2026", "period_start": "01/01/2026",
                                             "location": "Phòng họp tầng 2", "chair": a_head.pk,
                                             "participants": "Ông A\nBà B", "resources_note": "Đủ"})
    assert response.status_code == 302, response.content.decode()[:2000]
    review = ManagementReview.objects.get(agency=agency_a)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "Phòng họp tầng 2" in page and "/dossiers/statistics/?" in page
    assert client.post(f"/reviews/{review.pk}/start/").status_code == 302
    assert client.post(f"/reviews/{review.pk}/outputs/new/", {
        "kind": "resources", "description": "Bổ sung máy scan", "owner": a_staff.pk,
        "due_on": "30/06/2026"}).status_code == 302
    assert client.post(f"/reviews/{review.pk}/close/", {"conclusions": "Phù hợp"}).status_code == 302
    assert client.post(f"/reviews/{review.pk}/approve/").status_code == 403  # the secretary does not approve
    assert client_for(a_head).post(f"/reviews/{review.pk}/approve/").status_code == 302
    review.refresh_from_db()
    assert review.status == "approved"
    docx = client.get(f"/reports/reviews/{review.pk}/minutes.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"  # its text: reports/tests/test_review_minutes.py
    listing = client_for(overseer).get("/reviews/").content.decode()
    assert "28/04/2026" in listing
    assert client_for(b_head).get(f"/reviews/{review.pk}/").status_code == 404


def test_api(api_for, agency_a, a_secretary, a_head, a_staff, b_head):
    api = api_for(a_secretary)
    created = api.post("/api/v1/management-reviews", {"meeting_on": "2026-04-28", "participants": ["Ông A"]},
                       content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["frozen"] is False and body["period_start"] == "2025-04-29" and "c3_process" in body["inputs"]
    assert api.post("/api/v1/management-reviews", {"meeting_on": 5}, content_type="application/json").status_code == 422
    bad = api.post(f"/api/v1/management-reviews/{pk}/outputs", {"kind": "improvement"},
                   content_type="application/json")
    assert bad.status_code == 400 and "description" in bad.json()["errors"]
    assert api.post(f"/api/v1/management-reviews/{pk}/start").status_code == 200
    out = api.post(f"/api/v1/management-reviews/{pk}/outputs", {
        "kind": "improvement", "description": "Cải tiến", "owner_id": a_staff.pk, "due_on": "2026-06-30"},
        content_type="application/json")
    assert out.status_code == 201, out.content
    output_id = out.json()["id"]
    moved = api_for(a_staff).post(f"/api/v1/review-outputs/{output_id}/status", {"status": "in_progress"},
                                  content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert api.post(f"/api/v1/management-reviews/{pk}/close", {}, content_type="application/json").status_code == 200
    assert api.post(f"/api/v1/management-reviews/{pk}/approve").status_code == 403
    approved = api_for(a_head).post(f"/api/v1/management-reviews/{pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [o["description"] for o in approved.json()["outputs"]] == ["Cải tiến"]
    assert api_for(b_head).get(f"/api/v1/management-reviews/{pk}").status_code == 404
    assert len(api_for(a_head).get("/api/v1/management-reviews").json()["items"]) == 1


def test_output_pages_and_edit(client_for, agency_a, a_secretary, a_head, a_staff):
    review = _review(agency_a, period_start=D(2026, 1, 1))
    client = client_for(a_secretary)
    assert client.get(f"/reviews/{review.pk}/edit/").status_code == 200
    assert client.post(f"/reviews/{review.pk}/edit/", {
        "meeting_on": "29/04/2026", "period_start": "01/01/2026", "location": "Hội trường", "chair": a_head.pk,
        "participants": "Ông A", "resources_note": "Đủ", "providers_note": "", "conclusions": ""}).status_code == 302
    review.refresh_from_db()
    assert (review.meeting_on, review.location, review.chair) == (D(2026, 4, 29), "Hội trường", a_head)
    bad = client.post(f"/reviews/{review.pk}/edit/", {"meeting_on": "29/04/2026", "period_start": "30/04/2026"})
    assert bad.status_code == 200 and ManagementReview.objects.get(pk=review.pk).period_start == D(2026, 1, 1)
    services.review_start(actor=a_secretary, review=review)
    output = services.output_create(actor=a_secretary, review=review, kind="improvement", description="Cải tiến A",
                                    due_on=D(2026, 6, 30), owner=a_staff)
    # The owner moves it on; cancelling without a reason is refused on the form and changes nothing.
    staff = client_for(a_staff)
    assert staff.post(f"/reviews/outputs/{output.pk}/status/", {"status": "cancelled"}).status_code == 200
    output.refresh_from_db()
    assert output.status == "open"
    assert staff.post(f"/reviews/outputs/{output.pk}/status/", {"status": "in_progress"}).status_code == 302
    assert staff.get(f"/reviews/outputs/{output.pk}/corrective-action/").status_code == 403  # the secretary's move
    assert client.get(f"/reviews/outputs/{output.pk}/objective/").status_code == 200
    response = client.post(f"/reviews/outputs/{output.pk}/corrective-action/", {"root_cause": "Thiếu người"})
    assert response.status_code == 302 and "/nonconformities/" in response["Location"]
    assert client.post(f"/reviews/{review.pk}/close/", {"no_action_needed": "on"}).status_code == 200  # has outputs


def test_the_list_costs_the_same_queries_whatever_the_number_of_reviews(client_for, agency_a, a_secretary, a_head,
                                                                         overseer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user):
        client = client_for(user)
        client.get("/reviews/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reviews/").status_code == 200
        return len(captured)

    first = _review(agency_a, meeting_on=D(2025, 4, 1))
    services.review_start(actor=a_secretary, review=first)
    services.review_close(actor=a_secretary, review=first, no_action_needed=True)
    services.review_approve(actor=a_head, review=first)
    before = queries(overseer), queries(a_secretary)
    for year in (2022, 2023, 2024):
        old = _review(agency_a, meeting_on=D(year, 4, 1))
        services.review_start(actor=a_secretary, review=old)
        services.output_create(actor=a_secretary, review=old, kind="improvement", description=f"Cải tiến {year}",
                               due_on=D(year, 6, 30))
        services.review_close(actor=a_secretary, review=old)
        services.review_approve(actor=a_head, review=old)
    assert (queries(overseer), queries(a_secretary)) == before


def test_changes_in_issues_since_the_last_review(agency_a, a_secretary, province):
    from eiso.documents.services.external import (
        external_document_create,
        external_document_expire,
        external_document_replace,
    )
    from eiso.organizations.tests.factories import AgencyFactory
    from eiso.procedures import services as procedure_services

    old = external_document_create(actor=None, agency=agency_a, number="15/2015/TT-BTP", doc_type="circular",
                                   title="Thông tư cũ", issuer="Bộ Tư pháp")
    external_document_expire(actor=None, document=old, expires_on=D(2026, 3, 1))
    replaced = external_document_create(actor=None, agency=agency_a, number="04/2020/TT-BTP", doc_type="circular",
                                        title="Thông tư bị thay thế", issuer="Bộ Tư pháp")
    newer = external_document_create(actor=None, agency=agency_a, number="01/2026/TT-BTP", doc_type="circular",
                                     title="Thông tư mới", issuer="Bộ Tư pháp", effective_on=D(2026, 2, 15))
    external_document_replace(actor=None, document=replaced, replaced_by=newer)
    external_document_expire(actor=None, document=external_document_create(
        actor=None, agency=agency_a, number="99/2010/QĐ", doc_type="decision", title="Quyết định rất cũ",
        issuer="UBND"), expires_on=D(2025, 6, 1))  # before the period: not a change of this review
    procedure_services.admin_procedure_create(actor=None, agency=agency_a, code="1.000999", name="Thủ tục mới",
                                              field="Hộ tịch", time_limit_days=5)
    merged = AgencyFactory(code="SNGV", name="Sở Ngoại vụ (đã hợp nhất)", province=province,
                           valid_to=D(2026, 2, 28))
    agency_a.predecessors.add(merged)
    b = compile_inputs(a_secretary, _review(agency_a, meeting_on=D(2026, 5, 10), period_start=D(2026, 1, 1)))[
        "b_changes"]
    assert b["legal_expired"] == 2  # expired on its own, and expired by its replacement
    assert sorted(d["number"] for d in b["legal_expired_list"]) == ["04/2020/TT-BTP", "15/2015/TT-BTP"]
    assert [(d["number"], d["by"]) for d in b["legal_replaced_list"]] == [("04/2020/TT-BTP", "01/2026/TT-BTP")]
    assert (b["tthc_added"], b["tthc_added_list"][0]["code"]) == (1, "1.000999")
    assert b["mergers"] == [{"name": "Sở Ngoại vụ (đã hợp nhất)", "on": "2026-02-28"}]
