import datetime

import pytest
import time_machine
from django.core import mail

from eiso.demo.loaders import improvements as demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.improvements import selectors
from eiso.improvements.models import CorrectiveAction, Nonconformity, Risk
from eiso.organizations.models import User

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_demo_has_every_state_and_loads_once(django_capture_on_commit_callbacks):
    organizations_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    assert mail.outbox == []  # nothing printed into `eiso demo --json` by the console mail backend
    stp = Nonconformity.objects.filter(agency__code="STP")
    assert sorted(stp.values_list("status", flat=True)) == sorted(
        ["open", "action_planned", "implemented", "action_planned", "verified_effective", "closed"])
    overseer = User.objects.filter(memberships__role_rows__role="overseer").first()
    row = next(r for r in selectors.attention_counts(overseer) if r["agency"].code == "STP")
    assert (row["without_action"], row["overdue"], row["verification_due"], row["repeats"]) == (1, 1, 1, 2)
    assert CorrectiveAction.objects.filter(agency__code="STP", verifications__effective=False).count() == 1
    assert Risk.objects.filter(agency__code="STP").count() >= 3
    counts = (Nonconformity.objects.count(), Risk.objects.count())
    demo.load()
    assert (Nonconformity.objects.count(), Risk.objects.count()) == counts
