"""Complaints and recommendations: the due date on the agency's calendar and setting, the moves,
what is overdue, the one-click nonconformity, who may do what, and where overdue ones surface."""

import datetime

import pytest
import time_machine

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.feedback import selectors, services
from eiso.feedback.models import Complaint
from eiso.improvements.models import Nonconformity
from eiso.organizations.services import calendar_exception_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _complaint(agency, actor, *, received_on=datetime.date(2026, 3, 2), unit=None, **extra):
    return services.complaint_create(actor=actor, agency=agency, received_on=received_on, person="Nguyễn Văn Dân",
                                     content="Cán bộ hẹn trả kết quả nhiều lần", unit=unit, **extra)


def test_due_date_counts_the_agencys_working_days(agency_a, a_staff, a_secretary):
    first = _complaint(agency_a, a_staff)
    assert first.code == "PAKN-2026-001" and first.status == "received"
    assert first.due_on == datetime.date(2026, 3, 16)  # 10 working days after Monday 2 March
    calendar_exception_add(actor=None, agency=agency_a, date=datetime.date(2026, 3, 4), kind="extra_day_off",
                           reason="Nghỉ bù", decision="QĐ 5")
    services.feedback_settings_update(actor=a_secretary, agency=agency_a, complaint_due_days=5)
    second = _complaint(agency_a, a_staff)
    assert second.code == "PAKN-2026-002"
    assert second.due_on == datetime.date(2026, 3, 10)  # 3, 5, 6, 9, 10 March (the 4th is a day off)


def test_answer_and_overdue(agency_a, unit_a, a_staff, a_unit_head, a_head):
    late = _complaint(agency_a, a_staff, unit=unit_a)  # due 16 March, today is 20 March
    fresh = _complaint(agency_a, a_staff, received_on=datetime.date(2026, 3, 19))
    assert list(selectors.complaints_for_user(a_staff, state="overdue")) == [late]
    assert selectors.complaint_counts(a_staff)["overdue"] == 1
    with pytest.raises(Forbidden):  # staff record complaints, they do not answer them
        services.complaint_answer(actor=a_staff, complaint=late, answer="Đã xử lý", justified=True)
    with pytest.raises(Forbidden):  # a unit head answers their own unit's complaints only
        services.complaint_answer(actor=a_unit_head, complaint=fresh, answer="Đã xử lý", justified=False)
    services.complaint_answer(actor=a_unit_head, complaint=late, answer="Đã xin lỗi và trả kết quả", justified=True)
    late.refresh_from_db()
    assert late.status == "answered" and late.answered_on == datetime.date(2026, 3, 20) and late.justified is True
    assert selectors.complaint_counts(a_staff) == {"total": 2, "open": 1, "overdue": 0, "on_time": 0, "late": 1}
    with pytest.raises(Conflict):
        services.complaint_answer(actor=a_head, complaint=late, answer="Lần hai", justified=True)


def test_answer_checks_its_input(agency_a, a_staff, a_head):
    complaint = _complaint(agency_a, a_staff)
    with pytest.raises(ValidationFailed):
        services.complaint_answer(actor=a_head, complaint=complaint, answer="  ", justified=True)
    with pytest.raises(ValidationFailed):
        services.complaint_answer(actor=a_head, complaint=complaint, answer="Trả lời", justified=None)
    with pytest.raises(ValidationFailed):
        services.complaint_answer(actor=a_head, complaint=complaint, answer="Trả lời", justified=True,
                                  answered_on=datetime.date(2026, 3, 1))


def test_assign_and_reject(agency_a, unit_a, a_staff, a_secretary):
    complaint = _complaint(agency_a, a_staff)
    services.complaint_assign(actor=a_secretary, complaint=complaint, unit=unit_a)
    complaint.refresh_from_db()
    assert complaint.status == "in_progress" and complaint.unit == unit_a
    services.complaint_reject(actor=a_secretary, complaint=complaint, answer="Không thuộc thẩm quyền")
    complaint.refresh_from_db()
    assert complaint.status == "rejected" and complaint.justified is False
    with pytest.raises(Conflict):
        services.complaint_assign(actor=a_secretary, complaint=complaint, unit=unit_a)


def test_a_justified_complaint_becomes_a_nonconformity_once(agency_a, unit_a, a_staff, a_secretary):
    complaint = _complaint(agency_a, a_staff, unit=unit_a)
    with pytest.raises(Conflict):  # not answered as justified yet
        services.complaint_to_nonconformity(actor=a_secretary, complaint=complaint)
    services.complaint_answer(actor=a_secretary, complaint=complaint, answer="Đã chấn chỉnh", justified=True)
    with pytest.raises(Forbidden):
        services.complaint_to_nonconformity(actor=a_staff, complaint=complaint)
    nc = services.complaint_to_nonconformity(actor=a_secretary, complaint=complaint)
    assert (nc.source, nc.clause, nc.unit, nc.status) == ("complaint", "8.2.1", unit_a, "open")
    assert complaint.code in nc.description
    assert Complaint.objects.get(pk=complaint.pk).nonconformity == nc
    with pytest.raises(Conflict):
        services.complaint_to_nonconformity(actor=a_secretary, complaint=complaint)
    assert Nonconformity.objects.count() == 1


def test_links_must_be_of_the_same_agency(agency_a, unit_b, a_staff):
    with pytest.raises(ValidationFailed):
        _complaint(agency_a, a_staff, unit=unit_b)


def test_complaints_are_scoped(agency_a, a_staff, b_staff, overseer, q_overseer):
    complaint = _complaint(agency_a, a_staff)
    assert list(selectors.complaints_for_user(b_staff)) == []
    assert list(selectors.complaints_for_user(q_overseer)) == []
    assert list(selectors.complaints_for_user(overseer)) == [complaint]
    with pytest.raises(Forbidden):
        services.complaint_create(actor=b_staff, agency=agency_a, received_on=datetime.date(2026, 3, 2),
                                  person="X", content="Y")


def test_overdue_complaints_surface_on_the_attention_page(agency_a, a_staff, a_head, client_for, overseer):
    _complaint(agency_a, a_staff)  # due 16 March: overdue
    page = client_for(a_head).get("/improvements/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/complaints/?state=overdue" in html
    assert selectors.overdue_by_agency(overseer) == {agency_a.pk: 1}


def test_a_date_outside_the_working_calendar_is_refused_not_a_server_error(agency_a, a_staff):
    """Found by the API fuzzing: received_on=1900-01-01 raised out of the calendar (500)."""
    with pytest.raises(ValidationFailed) as refused:
        _complaint(agency_a, a_staff, received_on=datetime.date(1900, 1, 1))
    assert "received_on" in refused.value.errors
