import datetime

import pytest
import time_machine

from eiso.demo.loaders import documents as documents_demo
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.loaders import oversight as demo
from eiso.demo.loaders import procedures as procedures_demo
from eiso.improvements.models import CorrectiveAction
from eiso.oversight.calculations import on_site_minimum
from eiso.oversight.models import Inspection, InspectionPlan

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_demo_plans_the_year_with_two_inspections_done_and_a_running_action(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    organizations_demo.load()
    documents_demo.load()
    procedures_demo.load()
    demo.load()
    plan = InspectionPlan.objects.get(year=2026)
    lines = plan.inspections.all()
    assert lines.filter(on_site=True).count() >= on_site_minimum(lines.count()) and lines.count() > 5
    done = lines.filter(status="minutes")
    assert sorted(done.values_list("agency__code", flat=True)) == ["STP", "SXD"]
    action = CorrectiveAction.objects.get(nonconformity__inspection_finding__inspection__agency__code="SXD")
    assert action.nonconformity.status == "action_planned" and action.due_on <= action.nonconformity.respond_by
    assert Inspection.objects.filter(plan__year=2025, status="minutes").exists()
    demo.load()  # idempotent
    assert InspectionPlan.objects.count() == 2
