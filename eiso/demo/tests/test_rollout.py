import datetime

import pytest
import time_machine

from eiso.demo.loaders import documents as documents_demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import procedures as procedures_demo
from eiso.demo.loaders import rollout as demo
from eiso.organizations.models import User
from eiso.rollout import selectors
from eiso.rollout.models import Rollout

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 16, 9, tzinfo=datetime.UTC), tick=False)
def test_a_merged_ward_in_phase_two_half_issued_and_behind_in_one_unit(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organizations_demo.load()
    documents_demo.load()
    procedures_demo.load()
    demo.load()
    rollout = Rollout.objects.get()
    assert rollout.agency.code == "P-TRUONGVINH" and rollout.agency.valid_from == datetime.date(2025, 7, 1)
    assert selectors.current_phase(selectors.phases_of(rollout)).number == 2
    assert rollout.registry_adopted and rollout.gap_surveys.count() == 1
    overall, units = selectors.registry_progress(rollout, datetime.date(2026, 11, 16))
    assert 0.4 <= overall.issued / overall.total <= 0.6
    assert [t.label for t in units if t.behind] == ["Phòng Văn hóa - Xã hội"]
    secretary = User.objects.get(username="truongvinh.thuky")
    assert secretary.has_perm("rollout.change_rollout", rollout)
    demo.load()  # idempotent
    assert Rollout.objects.count() == 1
