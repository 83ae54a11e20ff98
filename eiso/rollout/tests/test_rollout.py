"""The rollout plan: default phases, the registry filled from the TTHC catalogue, the status flow
up to the issued document, the progress figures, the gap survey, the pages, the monthly report
and the API."""

import datetime

import pytest
import time_machine

from eiso.audits.models import Clause
from eiso.audits.selectors import current_edition
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import UnitFactory, make_user
from eiso.procedures.services import process_definition_set
from eiso.rollout import progress, selectors, services
from eiso.rollout.choices import GapResult, ItemStatus, PhaseStatus
from eiso.rollout.models import GapAssessment, RegistryItem, Rollout, RolloutPhase
from eiso.rollout.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC), tick=False):
        yield


# --- the pure core ---------------------------------------------------------------------------------

def _facts(unit, status, deadline=None, issued_on=None, name=None):
    return progress.ItemFacts(unit_id=unit, unit_name=name or f"Phòng {unit}", status=status, deadline=deadline,
                              issued_on=issued_on)


def test_tally_counts_per_unit_and_overall_and_flags_overdue():
    day = datetime.date(2026, 6, 15)
    items = [
        _facts(1, "issued", datetime.date(2026, 5, 1), datetime.date(2026, 4, 30)),
        _facts(1, "drafting", datetime.date(2026, 6, 14)),  # overdue by a day
        _facts(1, "in_review", datetime.date(2026, 6, 15)),  # due today: not overdue yet
        _facts(2, "not_started", datetime.date(2026, 7, 1)),
        _facts(None, "not_started", None, name=""),
    ]
    overall, units = progress.tally(items, day)
    assert (overall.total, overall.issued, overall.overdue, overall.percent) == (5, 1, 1, 20)
    assert [(t.unit_id, t.total, t.issued, t.overdue, t.behind) for t in units] == [
        (1, 3, 1, 1, True), (2, 1, 0, 0, False), (None, 1, 0, 0, False)]
    assert units[0].counts == {"not_started": 0, "drafting": 1, "in_review": 1, "issued": 1}


def test_an_issue_after_the_day_counts_as_in_review_then_and_no_items_no_percent():
    late_issue = _facts(1, "issued", datetime.date(2026, 5, 10), datetime.date(2026, 6, 3))
    assert progress.status_on(late_issue, datetime.date(2026, 5, 31)) == "in_review"
    assert progress.is_overdue(late_issue, datetime.date(2026, 5, 31)) is True
    assert progress.is_overdue(late_issue, datetime.date(2026, 6, 30)) is False
    overall, units = progress.tally([], datetime.date(2026, 6, 1))
    assert overall.percent is None and units == []
    assert progress.month_bounds(2026, 12) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert progress.month_bounds(2028, 2) == (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))


# --- the plan --------------------------------------------------------------------------------------

def test_a_rollout_starts_with_the_five_phases_spread_to_the_announcement(agency_a, a_secretary, agency_b, b_head):
    rollout = f.rollout(agency_a, a_secretary)
    phases = list(rollout.phases.order_by("number"))
    assert [p.name for p in phases] == ["Chuẩn bị và khảo sát thực trạng", "Xây dựng hệ thống tài liệu",
                                        "Áp dụng và đào tạo", "Đánh giá nội bộ và xem xét của lãnh đạo",
                                        "Công bố phù hợp"]
    assert phases[0].planned_start == rollout.started_on and phases[-1].planned_end == rollout.target_on
    assert all(a.planned_end < b.planned_start for a, b in zip(phases, phases[1:], strict=False))
    assert AuditEvent.objects.filter(action="create", object_id=str(rollout.pk)).exists()
    with pytest.raises(Conflict):
        f.rollout(agency_a, a_secretary)  # one rollout in progress at a time
    with pytest.raises(ValidationFailed):
        services.rollout_create(actor=b_head, agency=agency_b, title="x", started_on=TODAY,
                                target_on=TODAY - datetime.timedelta(days=1))
    assert not Rollout.objects.filter(agency=agency_b).exists()


def test_staff_and_other_agencies_cannot_plan(agency_a, a_staff, b_head):
    with pytest.raises(Forbidden):
        f.rollout(agency_a, a_staff)
    with pytest.raises(Forbidden):
        f.rollout(agency_a, b_head)
    assert not Rollout.objects.exists()


def test_phase_flow(agency_a, a_secretary):
    phase = f.rollout(agency_a, a_secretary).phases.get(number=1)
    with pytest.raises(Conflict):
        services.phase_transition(actor=a_secretary, phase=phase, status=PhaseStatus.DONE)
    services.phase_transition(actor=a_secretary, phase=phase, status=PhaseStatus.IN_PROGRESS,
                              on=datetime.date(2026, 1, 6))
    with pytest.raises(ValidationFailed):
        services.phase_transition(actor=a_secretary, phase=phase, status=PhaseStatus.DONE,
                                  on=datetime.date(2026, 1, 1))
    done = services.phase_transition(actor=a_secretary, phase=phase, status=PhaseStatus.DONE)
    assert (done.status, done.started_on, done.finished_on) == ("done", datetime.date(2026, 1, 6), TODAY)
    assert selectors.current_phase(selectors.phases_of(phase.rollout)).number == 2


# --- the registry ----------------------------------------------------------------------------------

@pytest.fixture
def catalogue(agency_a, unit_a, a_head):
    """Four TTHC: no procedure, a procedure not in force, one covered, one abolished."""
    no_procedure = f.tthc(agency_a, "1.000001", "Đăng ký khai sinh")
    draft = f.tthc(agency_a, "1.000002", "Đăng ký kết hôn")
    draft_doc = f.document_in_force(agency_a, unit_a, a_head, code="QT-02")
    from eiso.documents.models import DocumentRevision
    DocumentRevision.objects.filter(document=draft_doc).update(status="superseded")  # nothing in force
    draft.process_document = draft_doc
    draft.save()
    covered_doc = f.document_in_force(agency_a, unit_a, a_head, code="QT-03")
    covered = f.tthc(agency_a, "1.000003", "Đăng ký khai tử", process_document=covered_doc)
    process_definition_set(actor=None, document=covered_doc, steps=[{"name": "Tiếp nhận", "unit": unit_a,
                                                                     "hours": 40}])
    abolished = f.tthc(agency_a, "1.000004", "Thủ tục đã bãi bỏ")
    abolished.is_active = False
    abolished.save()
    return {"no_procedure": no_procedure, "draft": draft, "covered": covered, "abolished": abolished}


def test_fill_adds_one_procedure_per_tthc_with_none_in_force_once(agency_a, unit_a, a_secretary, catalogue):
    rollout = f.rollout(agency_a, a_secretary)
    created = services.registry_fill(actor=a_secretary, rollout=rollout, drafting_unit=unit_a,
                                     deadline=datetime.date(2026, 8, 31))
    assert sorted(i.admin_procedure.code for i in created) == ["1.000001", "1.000002"]
    assert [i.number for i in created] == [1, 2]
    assert all(i.drafting_unit == unit_a and i.status == ItemStatus.NOT_STARTED for i in created)
    assert services.registry_fill(actor=a_secretary, rollout=rollout) == []  # nothing twice
    later = f.tthc(agency_a, "1.000005", "Chứng thực bản sao")
    again = services.registry_fill(actor=a_secretary, rollout=rollout)
    assert [(i.admin_procedure, i.number, i.drafting_unit) for i in again] == [(later, 3, None)]


def test_fill_refuses_another_agencys_unit_and_writes_nothing(agency_a, unit_b, a_secretary, catalogue):
    rollout = f.rollout(agency_a, a_secretary)
    with pytest.raises(ValidationFailed):
        services.registry_fill(actor=a_secretary, rollout=rollout, drafting_unit=unit_b)
    assert not RegistryItem.objects.exists()


def test_status_flow_up_to_the_issued_document(agency_a, unit_a, a_secretary, a_unit_head, a_head, catalogue):
    rollout = f.rollout(agency_a, a_secretary)
    item = next(i for i in services.registry_fill(actor=a_secretary, rollout=rollout, drafting_unit=unit_a)
                if i.admin_procedure.code == "1.000001")
    with pytest.raises(Conflict):  # no jumping a step
        services.registry_item_transition(actor=a_secretary, item=item, status=ItemStatus.IN_REVIEW)
    services.registry_item_transition(actor=a_unit_head, item=item, status=ItemStatus.DRAFTING)
    services.registry_item_transition(actor=a_unit_head, item=item, status=ItemStatus.IN_REVIEW)
    with pytest.raises(Forbidden):  # the unit head drafts; issuing is the secretary's or the head's
        services.registry_item_transition(actor=a_unit_head, item=item, status=ItemStatus.ISSUED)
    draft_doc = catalogue["draft"].process_document
    with pytest.raises(ValidationFailed):  # a document with nothing in force
        services.registry_item_transition(actor=a_secretary, item=item, status=ItemStatus.ISSUED, document=draft_doc)
    with pytest.raises(ValidationFailed):
        services.registry_item_transition(actor=a_secretary, item=item, status=ItemStatus.ISSUED)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_REVIEW and item.document is None
    document = f.document_in_force(agency_a, unit_a, a_head, code="QT-10", today=datetime.date(2026, 6, 10))
    issued = services.registry_item_transition(actor=a_secretary, item=item, status=ItemStatus.ISSUED,
                                               document=document)
    assert (issued.status, issued.document, issued.issued_on) == ("issued", document, datetime.date(2026, 6, 10))
    catalogue["no_procedure"].refresh_from_db()
    assert catalogue["no_procedure"].process_document == document  # the TTHC now has its procedure
    with pytest.raises(Conflict):
        services.registry_item_transition(actor=a_secretary, item=item, status=ItemStatus.DRAFTING)
    with pytest.raises(Conflict):
        services.registry_item_remove(actor=a_secretary, item=item)


def test_a_unit_head_moves_only_their_own_units_procedures(agency_a, unit_a, a_secretary, a_unit_head):
    other = UnitFactory(agency=agency_a, name="Phòng Tài chính")
    rollout = f.rollout(agency_a, a_secretary)
    mine = services.registry_item_add(actor=a_secretary, rollout=rollout, title="QT kiểm soát tài liệu",
                                      drafting_unit=unit_a)
    theirs = services.registry_item_add(actor=a_secretary, rollout=rollout, title="QT quản lý ngân sách",
                                        drafting_unit=other)
    services.registry_item_transition(actor=a_unit_head, item=mine, status=ItemStatus.DRAFTING)
    with pytest.raises(Forbidden):
        services.registry_item_transition(actor=a_unit_head, item=theirs, status=ItemStatus.DRAFTING)
    with pytest.raises(Forbidden):
        services.registry_item_update(actor=a_unit_head, item=mine, deadline=TODAY)


def test_progress_figures_and_overdue(agency_a, unit_a, a_secretary, a_head):
    other = UnitFactory(agency=agency_a, name="Phòng Tư pháp")
    rollout = f.rollout(agency_a, a_secretary)
    add = services.registry_item_add
    done = add(actor=a_secretary, rollout=rollout, title="QT 1", drafting_unit=unit_a,
               deadline=datetime.date(2026, 5, 31))
    add(actor=a_secretary, rollout=rollout, title="QT 2", drafting_unit=unit_a, deadline=datetime.date(2026, 7, 31))
    late = add(actor=a_secretary, rollout=rollout, title="QT 3", drafting_unit=other,
               deadline=datetime.date(2026, 6, 1))
    services.registry_item_transition(actor=a_secretary, item=done, status=ItemStatus.DRAFTING)
    services.registry_item_transition(actor=a_secretary, item=done, status=ItemStatus.IN_REVIEW)
    services.registry_item_transition(actor=a_secretary, item=done, status=ItemStatus.ISSUED,
                                      document=f.document_in_force(agency_a, unit_a, a_head, code="QT-20"))
    overall, units = selectors.registry_progress(rollout, TODAY)
    assert (overall.total, overall.issued, overall.overdue, overall.percent) == (3, 1, 1, 33)
    by_name = {t.label: t for t in units}
    assert by_name["Phòng Tư pháp"].behind and not by_name[unit_a.name].behind
    assert list(selectors.registry_items_for_user(a_secretary, rollout=rollout, overdue=True)) == [late]
    listed = selectors.rollouts_for_user(a_secretary).get()
    assert (listed.items, listed.issued, listed.overdue) == (3, 1, 1)


# --- the gap survey --------------------------------------------------------------------------------

def test_gap_survey_lists_every_clause_and_refuses_a_bad_answer_whole(agency_a, a_secretary, a_staff):
    rollout = f.rollout(agency_a, a_secretary)
    survey = services.gap_survey_create(actor=a_secretary, rollout=rollout, title="Khảo sát", surveyed_on=TODAY)
    edition = current_edition(agency_a)
    assert edition.code == "2015"
    assert survey.assessments.count() == Clause.objects.filter(edition=edition).count() > 20
    assert not survey.assessments.exclude(clause__edition=edition).exists()
    rows = list(selectors.gap_assessments_of(survey)[:2])
    with pytest.raises(ValidationFailed):
        services.gap_survey_assess(actor=a_secretary, survey=survey, answers={
            rows[0].pk: (GapResult.CONFORM, ""), rows[1].pk: ("maybe", "")})
    assert not GapAssessment.objects.filter(survey=survey).exclude(result=GapResult.UNASSESSED).exists()
    assert services.gap_survey_assess(actor=a_secretary, survey=survey, answers={
        rows[0].pk: (GapResult.CONFORM, ""), rows[1].pk: (GapResult.PARTLY, "Thiếu hồ sơ")}) == 2
    assert selectors.gap_summary(survey)["partly"] == 1
    with pytest.raises(Forbidden):
        services.gap_survey_assess(actor=a_staff, survey=survey, answers={rows[0].pk: (GapResult.NOT, "")})


# --- pages, report, API ----------------------------------------------------------------------------

def test_pages_for_the_secretary_and_a_reader(agency_a, unit_a, a_secretary, a_staff, client_for, catalogue):
    rollout = f.rollout(agency_a, a_secretary)
    client = client_for(a_secretary)
    response = client.post(f"/rollouts/{rollout.pk}/registry/fill/", {"drafting_unit": unit_a.pk,
                                                                       "deadline": "31/08/2026"})
    assert response.status_code == 302 and rollout.registry_items.count() == 2
    for tab in ("overview", "registry", "survey", "history"):
        page = client.get(f"/rollouts/{rollout.pk}/?tab={tab}")
        assert page.status_code == 200, tab
    assert "Đăng ký khai sinh" in client.get(f"/rollouts/{rollout.pk}/?tab=registry&q=khai sinh").content.decode()
    assert client.get("/rollouts/").status_code == 200
    reader = client_for(a_staff)
    assert reader.get(f"/rollouts/{rollout.pk}/").status_code == 200
    assert reader.get(f"/rollouts/{rollout.pk}/registry/fill/").status_code == 403
    response = client.post(f"/rollouts/{rollout.pk}/registry/decision/", {
        "decision_number": "12/QĐ-UBND", "decision_date": "01/07/2026", "signer": "Chủ tịch UBND"})
    assert response.status_code == 200 and "tương lai" in response.content.decode()  # in the future: refused
    rollout.refresh_from_db()
    assert rollout.registry_decision_number == ""


def test_api_rollouts_and_registry(agency_a, unit_a, a_secretary, a_head, b_head, api_for, catalogue):
    api = api_for(a_secretary)
    response = api.post("/api/v1/rollouts", {"title": "Xây dựng lại HTQLCL sau sáp nhập", "started_on": "2026-06-01",
                                             "target_on": "2026-12-31"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["phases"]) == 5 and body["current_phase"]["number"] == 1
    rid = body["id"]
    assert [r["id"] for r in api.get("/api/v1/rollouts").json()["items"]] == [rid]
    filled = api.post(f"/api/v1/rollouts/{rid}/registry/fill", {"drafting_unit": unit_a.code,
                                                                "deadline": "2026-09-30"},
                      content_type="application/json")
    assert filled.status_code == 201 and sorted(i["procedure_code"] for i in filled.json()) == ["1.000001",
                                                                                                 "1.000002"]
    added = api.post(f"/api/v1/rollouts/{rid}/registry", {"title": "Quy trình kiểm soát tài liệu",
                                                          "drafting_unit": unit_a.code},
                     content_type="application/json")
    assert added.status_code == 201 and added.json()["number"] == 3
    item_id = added.json()["id"]
    bad = api.post(f"/api/v1/registry-items/{item_id}/transition", {"status": "issued"},
                   content_type="application/json")
    assert bad.status_code in (400, 409) and bad.json()["code"]
    moved = api.post(f"/api/v1/registry-items/{item_id}/transition", {"status": "drafting"},
                     content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "drafting"
    registry = api.get(f"/api/v1/rollouts/{rid}/registry?status=drafting").json()
    assert [i["id"] for i in registry["items"]] == [item_id]
    progress_ = api.get(f"/api/v1/rollouts/{rid}/progress").json()
    assert progress_["overall"]["total"] == 3 and progress_["units"][0]["unit"]["code"] == unit_a.code
    assert api_for(b_head).get(f"/api/v1/rollouts/{rid}/registry").status_code == 404
    assert api_for(b_head).post(f"/api/v1/rollouts/{rid}/registry", {"title": "x"},
                                content_type="application/json").status_code == 404
    assert api_for(b_head).get("/api/v1/rollouts").json()["items"] == []
    staff = api_for(make_user(agency_a, [Role.STAFF], unit=unit_a))
    assert staff.post(f"/api/v1/rollouts/{rid}/registry", {"title": "x"},
                      content_type="application/json").status_code == 403
    assert RolloutPhase.objects.filter(rollout_id=rid).count() == 5


def test_list_pages_cost_the_same_queries_whatever_the_number_of_procedures(
        agency_a, unit_a, a_secretary, a_unit_head, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rollout = f.rollout(agency_a, a_secretary)
    counts = []
    for n in (2, 12):
        while rollout.registry_items.count() < n:
            item = services.registry_item_add(actor=a_secretary, rollout=rollout, title="QT", drafting_unit=unit_a,
                                              deadline=datetime.date(2026, 6, 1))
            services.registry_item_transition(actor=a_secretary, item=item, status=ItemStatus.DRAFTING)
        per_user = []
        for user in (a_secretary, a_unit_head):
            client = client_for(user)
            for url in (f"/rollouts/{rollout.pk}/?tab=registry", f"/rollouts/{rollout.pk}/", "/rollouts/"):
                client.get(url)  # warm the session and caches
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                per_user.append(len(queries))
        counts.append(per_user)
    assert counts[0] == counts[1], counts
