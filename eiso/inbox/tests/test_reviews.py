""""Việc của tôi" and management reviews: the owner of an open output sees it until it is done, and
the agency head sees the minutes waiting for approval until approved."""

import datetime

import pytest
import time_machine

from eiso.inbox.selectors import inbox_count, inbox_for_user
from eiso.reviews import services

pytestmark = pytest.mark.django_db


def kinds(user) -> dict[str, list]:
    return {s.section.kind: s.tasks for s in inbox_for_user(user)}


@time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_output_owner_and_head_see_their_review_work(agency_a, a_secretary, a_head, a_staff, b_head):
    review = services.review_create(actor=a_secretary, agency=agency_a, meeting_on=datetime.date(2026, 4, 28))
    services.review_start(actor=a_secretary, review=review)
    output = services.output_create(actor=a_secretary, review=review, kind="resources", description="Mua máy scan",
                                    due_on=datetime.date(2026, 5, 1), owner=a_staff)
    [task] = kinds(a_staff)["review_outputs"]
    assert task.url == f"/reviews/{review.pk}/" and task.overdue and task.detail == "Mua máy scan"
    assert "review_minutes" not in kinds(a_head)  # the meeting is not closed yet
    services.review_close(actor=a_secretary, review=review)
    assert [t.url for t in kinds(a_head)["review_minutes"]] == [f"/reviews/{review.pk}/"]
    assert "review_minutes" not in kinds(a_secretary) and "review_minutes" not in kinds(b_head)
    count = inbox_count(a_head)
    services.review_approve(actor=a_head, review=review)
    assert "review_minutes" not in kinds(a_head) and inbox_count(a_head) == count - 1
    services.output_set_status(actor=a_staff, output=output, status="done", done_on=datetime.date(2026, 5, 2))
    assert "review_outputs" not in kinds(a_staff)
