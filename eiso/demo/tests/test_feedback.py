import datetime

import pytest
import time_machine

from eiso.demo.loaders import documents as documents_demo
from eiso.demo.loaders import dossiers as dossiers_demo
from eiso.demo.loaders import feedback as demo
from eiso.demo.loaders import objectives as objectives_demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import procedures as procedures_demo
from eiso.feedback import selectors
from eiso.feedback.calculations import year_period
from eiso.feedback.models import Complaint, SatisfactionBenchmark, SatisfactionEvaluation
from eiso.objectives.models import Measurement, QualityObjective
from eiso.organizations.models import User

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_demo_evaluates_part_of_the_dossiers_and_has_one_overdue_complaint_each(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    organizations_demo.load()
    documents_demo.load()
    procedures_demo.load()
    dossiers_demo.load(dossiers=300)
    demo.load()
    stp = SatisfactionEvaluation.objects.filter(agency__code="STP")
    assert stp.exists()
    overseer = User.objects.filter(memberships__role_rows__role="overseer").first()
    figures = selectors.satisfaction_figures(overseer, period=year_period(2026), agency=str(stp.first().agency_id))
    assert figures.score is not None and figures.grade is not None
    by_agency = selectors.overdue_by_agency(overseer)
    complaints = Complaint.objects.filter(agency__code="STP")
    assert by_agency[complaints.first().agency_id] == 1
    assert complaints.filter(nonconformity__source="complaint").count() == 1
    assert SatisfactionBenchmark.objects.filter(agency__code="STP", year=2025).exists()
    counts = (SatisfactionEvaluation.objects.count(), Complaint.objects.count())
    demo.load()
    assert (SatisfactionEvaluation.objects.count(), Complaint.objects.count()) == counts
    # objectives of this year: approved, at least two computed from the data, one missed
    objectives_demo.load()
    stp_objectives = QualityObjective.objects.filter(agency__code="STP", year=2026)
    assert stp_objectives.count() == 6 and not stp_objectives.exclude(status="approved").exists()
    measured = Measurement.objects.filter(objective__in=stp_objectives, denominator__isnull=False)
    assert measured.values("objective").distinct().count() >= 2
    assert Measurement.objects.filter(objective__in=stp_objectives, met=False).exists()
    objectives_demo.load()
    assert QualityObjective.objects.filter(agency__code="STP").count() == 6
