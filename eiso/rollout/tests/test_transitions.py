"""Moving to another ISO 9001 edition: the checklist generated from the correspondence, owners and
dates, completion recording the new edition and re-linking the open audit's findings."""

import datetime

import pytest

from eiso.audits import selectors as audit_selectors
from eiso.audits.models import ClauseEdition
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.rollout import transitions

pytestmark = pytest.mark.django_db
START, DEADLINE = datetime.date(2026, 11, 2), datetime.date(2027, 10, 29)

@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (the UI default is Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def start(actor, agency, **kwargs):
    return transitions.transition_start(actor=actor, agency=agency, to_edition=ClauseEdition.objects.get(code="2026"),
                                        started_on=START, deadline=DEADLINE, **kwargs)


def test_2015_to_2026_checklist_from_the_correspondence(a_secretary, a_unit_head, agency_a):
    transition = start(a_secretary, agency_a, owner=a_unit_head)
    tasks = list(transitions.transition_tasks_of(transition))
    assert [t.clause for t in tasks] == ["4.1", "4.2", "5.1", "6.1", "6.1.2", "6.1.3", "7.3"]
    assert all(t.owner == a_unit_head for t in tasks)
    assert tasks[-1].due_on == DEADLINE and all(START < t.due_on <= DEADLINE for t in tasks)
    assert "khí hậu" in tasks[0].title and tasks[4].change == "new"
    assert transitions.transition_progress(transition) == {"total": 7, "done": 0, "late": 0, "percent": 0}


def test_completion_needs_every_task_and_relinks(a_secretary, a_unit_head, a_staff, agency_a):
    transition = start(a_secretary, agency_a, owner=a_unit_head)
    with pytest.raises(Conflict, match="4.1"):
        transitions.transition_complete(actor=a_secretary, transition=transition)
    first, *rest = transitions.transition_tasks_of(transition)
    with pytest.raises(Forbidden):
        transitions.transition_task_done(actor=a_staff, task=first)
    transitions.transition_task_done(actor=a_unit_head, task=first)  # the owner ticks it off
    for task in rest:
        transitions.transition_task_done(actor=a_secretary, task=task)
    transitions.transition_complete(actor=a_secretary, transition=transition)
    transition.refresh_from_db()
    assert transition.status == "completed"
    assert audit_selectors.current_edition(agency_a).code == "2026"
    with pytest.raises(Conflict):
        transitions.transition_task_done(actor=a_secretary, task=first, done=False)


def test_start_refuses_bad_moves(a_secretary, a_staff, b_staff, agency_a):
    with pytest.raises(ValidationFailed, match="already follows"):
        transitions.transition_start(actor=a_secretary, agency=agency_a,
                                     to_edition=ClauseEdition.objects.get(code="2015"), started_on=START,
                                     deadline=DEADLINE)
    with pytest.raises(ValidationFailed, match="later edition"):
        transitions.transition_start(actor=a_secretary, agency=agency_a,
                                     to_edition=ClauseEdition.objects.get(code="2008"), started_on=START,
                                     deadline=DEADLINE)
    with pytest.raises(ValidationFailed, match="deadline"):
        transitions.transition_start(actor=a_secretary, agency=agency_a,
                                     to_edition=ClauseEdition.objects.get(code="2026"), started_on=DEADLINE,
                                     deadline=START)
    with pytest.raises(ValidationFailed, match="owner"):
        start(a_secretary, agency_a, owner=b_staff)
    with pytest.raises(Forbidden):
        start(a_staff, agency_a)
    start(a_secretary, agency_a)
    with pytest.raises(Conflict, match="already moving"):
        start(a_secretary, agency_a)
