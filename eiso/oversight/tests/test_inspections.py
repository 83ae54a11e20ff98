"""The yearly inspection: the third-on-site rule, the decision, the checklist, the minutes whose
findings become nonconformities answered within 2 months, and who may do what."""

import datetime

import pytest

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.improvements import services as improvement_services
from eiso.improvements.models import Nonconformity
from eiso.organizations.tests.factories import AgencyFactory
from eiso.oversight import services
from eiso.oversight.calculations import add_months, answer_due, on_site_minimum
from eiso.oversight.models import InspectionFinding
from eiso.oversight.tests.factories import approved_plan, checked, decided

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("n", "minimum"), [(0, 0), (1, 1), (2, 1), (3, 1), (4, 2), (6, 2), (7, 3), (150, 50)])
def test_a_third_rounded_up(n, minimum):
    assert on_site_minimum(n) == minimum


@pytest.mark.parametrize(("day", "due"), [
    (datetime.date(2026, 5, 12), datetime.date(2026, 7, 12)),
    (datetime.date(2026, 12, 31), datetime.date(2027, 2, 28)),
    (datetime.date(2027, 12, 30), datetime.date(2028, 2, 29)),
    (datetime.date(2026, 11, 15), datetime.date(2027, 1, 15)),
])
def test_answer_due_two_months_after_the_minutes(day, due):
    assert answer_due(day) == due and add_months(due, -2) <= day


def test_a_plan_with_fewer_than_a_third_on_site_is_refused_naming_the_minimum(overseer, dost, province):
    agencies = [AgencyFactory(province=province) for _ in range(7)]
    items = [{"agency": a, "month": 4, "on_site": i < 2} for i, a in enumerate(agencies)]
    with pytest.raises(ValidationFailed) as refused:
        services.plan_create(actor=overseer, agency=dost, year=2026, items=items)
    assert "3" in str(refused.value.message) and "7" in str(refused.value.message)
    assert not dost.inspection_plans.exists()
    items[2]["on_site"] = True
    plan = services.plan_create(actor=overseer, agency=dost, year=2026, items=items)
    assert plan.inspections.filter(on_site=True).count() == 3


def test_a_plan_takes_only_the_provinces_agencies_once(overseer, dost, agency_a, agency_q):
    with pytest.raises(ValidationFailed):
        services.plan_create(actor=overseer, agency=dost, year=2026,
                             items=[{"agency": agency_q, "month": 1, "on_site": True}])
    with pytest.raises(ValidationFailed):
        services.plan_create(actor=overseer, agency=dost, year=2026, items=[
            {"agency": agency_a, "month": 1, "on_site": True}, {"agency": agency_a, "month": 2, "on_site": True}])


def test_only_the_provinces_overseer_plans_and_inspects(overseer, q_overseer, a_head, dost, agency_a, agency_b):
    with pytest.raises(Forbidden):
        services.plan_create(actor=a_head, agency=agency_a, year=2026,
                             items=[{"agency": agency_b, "month": 1, "on_site": True}])
    plan = approved_plan(overseer, dost, [agency_a, agency_b])
    inspection = plan.inspections.get(agency=agency_a)
    for intruder in (q_overseer, a_head):
        with pytest.raises(Forbidden):
            decided(intruder, inspection)


def test_the_minutes_turn_points_not_met_into_nonconformities_due_within_two_months(overseer, dost, agency_a,
                                                                                   agency_b, a_head, a_secretary):
    plan = approved_plan(overseer, dost, [agency_a, agency_b])
    inspection = plan.inspections.get(agency=agency_a)
    decided(overseer, inspection)
    checked(overseer, inspection, not_met=("scope", "legal_changes"))
    services.inspection_minutes_issue(actor=overseer, inspection=inspection, minutes_on=datetime.date(2026, 5, 15))
    inspection.refresh_from_db()
    assert inspection.status == "minutes"
    ncs = Nonconformity.objects.filter(inspection_finding__inspection=inspection).order_by("clause")
    assert [(nc.source, nc.agency_id, nc.respond_by) for nc in ncs] == [
        ("inspection", agency_a.pk, datetime.date(2026, 7, 15))] * 2
    assert {nc.clause for nc in ncs} == {"4.3", "7.5.3"}
    nc = ncs.first()
    # The agency answers; its action cannot be due after the 2 months.
    with pytest.raises(ValidationFailed) as late:
        improvement_services.corrective_action_create(
            actor=a_secretary, nonconformity=nc, root_cause="Chưa rà soát", action_plan="Rà soát danh mục",
            owner=a_head, due_on=datetime.date(2026, 7, 16), notify=False)
    assert "15/07/2026" in str(late.value.message)
    action = improvement_services.corrective_action_create(
        actor=a_secretary, nonconformity=nc, root_cause="Chưa rà soát", action_plan="Rà soát danh mục",
        owner=a_head, due_on=datetime.date(2026, 7, 15), notify=False)
    with pytest.raises(ValidationFailed):
        improvement_services.corrective_action_update(actor=a_secretary, action=action,
                                                      due_on=datetime.date(2026, 8, 1))
    # Nothing more changes once the minutes are issued.
    with pytest.raises(Conflict):
        decided(overseer, inspection)
    with pytest.raises(Conflict):
        services.inspection_minutes_issue(actor=overseer, inspection=inspection, minutes_on=datetime.date(2026, 5, 16))
    assert InspectionFinding.objects.filter(inspection=inspection).count() == 2


def test_the_minutes_need_every_point_checked_and_a_note_for_each_point_not_met(overseer, dost, agency_a):
    plan = approved_plan(overseer, dost, [agency_a])
    inspection = plan.inspections.get()
    decided(overseer, inspection)
    with pytest.raises(ValidationFailed):
        services.inspection_checklist_save(actor=overseer, inspection=inspection,
                                           results={"scope": {"result": "not_met", "note": " "}})
    services.inspection_checklist_save(actor=overseer, inspection=inspection, inspected_on=datetime.date(2026, 5, 12),
                                       results={"scope": {"result": "met"}})
    with pytest.raises(ValidationFailed):
        services.inspection_minutes_issue(actor=overseer, inspection=inspection,
                                          minutes_on=datetime.date(2026, 5, 12))
    assert not Nonconformity.objects.exists()


def test_an_inspection_is_decided_only_once_the_plan_is_approved(overseer, dost, agency_a):
    plan = services.plan_create(actor=overseer, agency=dost, year=2026,
                                items=[{"agency": agency_a, "month": 5, "on_site": True}])
    with pytest.raises(Conflict):
        decided(overseer, plan.inspections.get())
