import datetime

import pytest
import time_machine

from eiso.demo.loaders import fives as demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.fives import scoring, selectors
from eiso.fives.models import FivesArea, FivesProgramme, Inspection, Reward
from eiso.organizations.models import Agency, User

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_four_quarters_of_inspections_with_a_trend_rewards_and_photos(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    organizations_demo.load()
    stp = Agency.objects.get(code="STP")
    demo._load_agency(stp, datetime.date(2026, 5, 4))
    assert set(FivesProgramme.objects.filter(agency=stp).values_list("year", flat=True)) == {2025, 2026}
    areas = FivesArea.objects.filter(agency=stp)
    done = Inspection.objects.filter(agency=stp, status="done")
    assert done.count() == 4 * areas.count()  # Q3/2025 … Q2/2026, each area once a quarter
    head = User.objects.get(username="stp.giamdoc")
    periods = [scoring.Period(2025, 3), scoring.Period(2025, 4), scoring.Period(2026, 1), scoring.Period(2026, 2)]
    scores = {p: {r.key.pk: r.score for r in selectors.ranking_for(head, stp.pk, p)} for p in periods}
    units = set(scores[periods[0]])
    assert any(scores[periods[0]][u] < scores[periods[-1]][u] for u in units)  # some improve
    assert any(scores[periods[0]][u] > scores[periods[-1]][u] for u in units)  # some slip
    assert Reward.objects.filter(agency=stp).count() == 2 * 3  # first and last of each closed quarter
    failed = [a for i in done for a in i.answers.filter(passed=False)]
    assert failed and all(a.photo for a in failed)
    assert sum(1 for a in failed if a.nonconformity_id) == 1
    assert Inspection.objects.filter(agency=stp, status="planned", planned_on=datetime.date(2026, 5, 11)).exists()
