import datetime

import pytest
import time_machine

from eiso.demo.loaders import announcements as demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import procedures as procedures_demo
from eiso.rollout import renewal, transitions
from eiso.rollout.models import Announcement, EditionTransition

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), tick=False)
def test_every_agency_announced_one_renewal_due_and_dost_moving_to_2026():
    organizations_demo.load()
    procedures_demo.load()
    demo.load()
    announced = {a.agency.code: a for a in Announcement.objects.select_related("agency")}
    assert {"STP", "SXD", "SKHCN"} <= set(announced)
    assert all(a.status == "issued" and a.notified and a.posted_on for a in announced.values())
    assert announced["STP"].signed_on == datetime.date(2025, 9, 15)
    due = {code: renewal.renewal_status(a.agency) for code, a in announced.items()}
    assert [r["kind"] for r in due["STP"]["reasons"]] == ["procedure_added"]
    assert len(due["STP"]["reasons"][0]["items"]) == 1
    assert due["SXD"]["due"] is False
    transition = EditionTransition.objects.get(agency__code="SKHCN")
    assert (transition.from_edition.code, transition.to_edition.code, transition.status) == ("2015", "2026",
                                                                                           "in_progress")
    progress = transitions.transition_progress(transition)
    assert progress["done"] == 2 and progress["total"] == 7
    count = Announcement.objects.count()
    demo.load()
    assert Announcement.objects.count() == count and EditionTransition.objects.count() == 1
