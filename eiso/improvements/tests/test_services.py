import datetime

import pytest
import time_machine

from eiso.core.audit import history_for
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.improvements import services
from eiso.improvements.choices import NONCONFORMITY_TRANSITIONS, REFUSALS, NonconformityAction, NonconformityStatus
from eiso.improvements.models import Nonconformity
from eiso.improvements.tests.factories import implemented, make_action, make_nc, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield
D = datetime.date
S = NonconformityStatus


def test_staff_report_a_nonconformity_numbered_per_agency_and_year(agency_a, unit_a, a_staff):
    first = make_nc(agency_a, a_staff, unit=unit_a)
    second = make_nc(agency_a, a_staff, unit=unit_a)
    assert (first.code, second.code) == ("NC-2026-001", "NC-2026-002")
    assert first.status == S.OPEN and first.reported_by == a_staff
    assert history_for(first).filter(action="create").exists()


def test_another_agency_cannot_report_and_links_must_be_own(agency_a, unit_b, a_staff, b_staff):
    with pytest.raises(Forbidden):
        make_nc(agency_a, b_staff)
    with pytest.raises(ValidationFailed):
        make_nc(agency_a, a_staff, unit=unit_b)
    with pytest.raises(ValidationFailed):
        make_nc(agency_a, a_staff, clause="11.9")
    assert not Nonconformity.objects.exists()


def test_every_status_move_follows_the_table(agency_a, a_secretary):
    nc = make_nc(agency_a, a_secretary)
    for action, (sources, target) in NONCONFORMITY_TRANSITIONS.items():
        for status in S.values:
            Nonconformity.objects.filter(pk=nc.pk).update(status=status)
            if status in sources:
                moved = services.nonconformity_transition(actor=a_secretary, nonconformity=nc, action=action)
                assert moved.status == target
                event = history_for(nc).filter(action=action).latest("id")
                assert event.changes == {"status": [status, target]}
            else:
                with pytest.raises(Conflict):
                    services.nonconformity_transition(actor=a_secretary, nonconformity=nc, action=action)
                assert Nonconformity.objects.get(pk=nc.pk).status == status


def test_unknown_action_is_refused(agency_a, a_secretary):
    nc = make_nc(agency_a, a_secretary)
    with pytest.raises(ValidationFailed):
        services.nonconformity_transition(actor=a_secretary, nonconformity=nc, action="reopen")


def test_full_loop_and_the_unit_head_answers_for_their_unit(agency_a, unit_a, a_unit_head, a_secretary, a_staff):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = make_action(nc, a_unit_head, a_staff, verifier=a_secretary, verification_due_on=D(2026, 4, 15))
    assert Nonconformity.objects.get(pk=nc.pk).status == S.ACTION_PLANNED
    with pytest.raises(Conflict):  # one request per nonconformity
        make_action(nc, a_unit_head, a_staff)
    services.corrective_action_implement(actor=a_staff, action=action, evidence="Biên bản",
                                         implemented_on=D(2026, 4, 1))
    services.corrective_action_verify(actor=a_secretary, action=action, effective=True, verified_on=D(2026, 4, 15))
    services.corrective_action_close(actor=a_secretary, action=action, today=D(2026, 4, 16))
    nc.refresh_from_db()
    action.refresh_from_db()
    assert nc.status == S.CLOSED and action.closed_on == D(2026, 4, 16)
    moves = list(history_for(nc).order_by("id").values_list("action", flat=True))
    assert moves == ["create", "plan", "implement", "verify_effective", "close"]


def test_a_unit_head_of_another_unit_and_staff_cannot_answer(agency_a, one_stop_a, a_unit_head, a_staff):
    nc = make_nc(agency_a, a_staff, unit=one_stop_a)
    for actor in (a_unit_head, a_staff):
        with pytest.raises(Forbidden):
            make_action(nc, actor, a_staff)


def test_cannot_close_before_an_effective_verification(agency_a, a_secretary, a_staff):
    nc = make_nc(agency_a, a_staff)
    action = make_action(nc, a_secretary, a_staff)
    with pytest.raises(Conflict) as refused:
        services.corrective_action_close(actor=a_secretary, action=action)
    assert refused.value.code == "wrong_status" and str(refused.value.message) == str(REFUSALS["close"])
    services.corrective_action_implement(actor=a_secretary, action=action, evidence="x", implemented_on=D(2026, 4, 1))
    with pytest.raises(Conflict):
        services.corrective_action_close(actor=a_secretary, action=action)
    assert Nonconformity.objects.get(pk=nc.pk).status == S.IMPLEMENTED


def test_ineffective_verification_reopens_with_a_new_due_date(agency_a, a_secretary, a_staff):
    nc = make_nc(agency_a, a_staff)
    action = implemented(nc, a_secretary, a_staff)
    with pytest.raises(ValidationFailed):  # a reason is required
        services.corrective_action_verify(actor=a_secretary, action=action, effective=False, note="")
    services.corrective_action_verify(actor=a_secretary, action=action, effective=False, note="Vẫn trả muộn",
                                     verified_on=D(2026, 4, 10), new_due_on=D(2026, 6, 1))
    action.refresh_from_db()
    assert action.nonconformity.status == S.ACTION_PLANNED and action.due_on == D(2026, 6, 1)
    with pytest.raises(Conflict):
        services.corrective_action_close(actor=a_secretary, action=action)
    assert history_for(nc).filter(action=NonconformityAction.VERIFY_INEFFECTIVE).exists()


def test_verification_needs_an_independent_auditor_or_the_secretary(agency_a, unit_a, one_stop_a, a_secretary,
                                                                     a_staff, a_head):
    from eiso.organizations.choices import Role
    from eiso.organizations.tests.factories import make_user

    own_auditor = make_user(agency_a, [Role.AUDITOR], unit=unit_a, username="own_auditor")
    other_auditor = make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="other_auditor")
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = implemented(nc, a_secretary, a_staff)
    for actor in (own_auditor, a_staff, a_head):
        with pytest.raises(Forbidden):
            services.corrective_action_verify(actor=actor, action=action, effective=True)
    services.corrective_action_verify(actor=other_auditor, action=action, effective=True, verified_on=D(2026, 4, 2))
    assert Nonconformity.objects.get(pk=nc.pk).status == S.VERIFIED_EFFECTIVE


def test_verifier_must_be_secretary_or_auditor_of_the_agency(agency_a, a_secretary, a_staff, b_head):
    nc = make_nc(agency_a, a_staff)
    with pytest.raises(ValidationFailed):
        make_action(nc, a_secretary, a_staff, verifier=a_staff)
    with pytest.raises(ValidationFailed):
        make_action(nc, a_secretary, b_head)
    assert Nonconformity.objects.get(pk=nc.pk).status == S.OPEN


def test_plan_editable_only_while_planned(agency_a, a_secretary, a_staff):
    nc = make_nc(agency_a, a_staff)
    action = verified(nc, a_secretary, a_staff)
    with pytest.raises(Conflict):
        services.corrective_action_update(actor=a_secretary, action=action, due_on=D(2026, 9, 1))
