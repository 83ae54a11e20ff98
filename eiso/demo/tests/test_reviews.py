import datetime

import pytest
import time_machine

from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import reviews as demo
from eiso.organizations.models import User
from eiso.reviews import selectors
from eiso.reviews.models import ManagementReview, ReviewOutput

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), tick=False)
def test_every_department_has_last_years_review_approved_and_this_years_in_preparation():
    organizations_demo.load()
    demo.load()
    departments = {"SKHCN", "STP", "SXD"}
    for code in departments:
        last, this = ManagementReview.objects.filter(agency__code=code).order_by("meeting_on")
        assert (last.meeting_on, last.status) == (datetime.date(2025, 12, 16), "approved")
        assert last.inputs is not None and last.frozen_at.date() == datetime.date(2025, 12, 16)
        assert last.approved_by is not None and last.approved_by.has_role("agency_head")
        assert (this.meeting_on, this.status, this.inputs) == (datetime.date(2026, 12, 22), "preparing", None)
        assert this.period_start == datetime.date(2025, 12, 17)
        statuses = sorted(ReviewOutput.objects.filter(review=last).values_list("status", flat=True))
        assert statuses == ["done", "done", "in_progress", "open"]  # some done since, some still open
    overseer = User.objects.filter(memberships__role_rows__role="overseer").first()
    rows = {r["agency"].code: r for r in selectors.last_reviews(overseer)}
    assert rows["STP"]["last"] == datetime.date(2025, 12, 16) and rows["STP"]["late"] is False
    count = ManagementReview.objects.count()
    demo.load()
    assert ManagementReview.objects.count() == count


@time_machine.travel(datetime.datetime(2026, 12, 28, 9, tzinfo=datetime.UTC), tick=False)
def test_a_demo_loaded_after_the_december_meeting_day_is_not_late_on_the_review_rule():
    organizations_demo.load()
    demo.load()
    for code in ("SKHCN", "STP", "SXD"):
        last, this = ManagementReview.objects.filter(agency__code=code).order_by("meeting_on")
        assert (last.meeting_on, last.status) == (datetime.date(2026, 12, 16), "approved")
        assert (this.meeting_on, this.status) == (datetime.date(2027, 12, 22), "preparing")
    overseer = User.objects.filter(memberships__role_rows__role="overseer").first()
    rows = {r["agency"].code: r for r in selectors.last_reviews(overseer)}
    assert rows["STP"]["last"] == datetime.date(2026, 12, 16) and rows["STP"]["late"] is False
