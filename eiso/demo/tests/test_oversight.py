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


@time_machine.travel(datetime.datetime(2026, 11, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_the_demo_province_shows_compliant_agencies_and_some_that_are_not_for_visible_reasons(settings, tmp_path):
    from eiso.demo.loaders import announcements, audits, reviews, rollout
    from eiso.organizations.models import Agency
    from eiso.oversight.figures import agency_figures

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for load in (organizations_demo.load, documents_demo.load, procedures_demo.load, audits.load, reviews.load,
                 rollout.load, announcements.load):
        load()
    rows = {f.agency.code: f for f in agency_figures(Agency.objects.active(), year=2026)}
    broken = {code: sorted(k for k, v in f.checks.items() if v is False) for code, f in rows.items()
              if f.compliance != "green"}
    assert broken == {
        "STP": ["announcement", "legal_changes", "scope"],  # a TTHC added since, drafts, reviews overdue
        "P-TRUONGVINH": ["announcement", "scope"],  # the ward is still building its system (rollout)
        "UBNDT": ["internal_audit", "legal_changes", "management_review"],
        "TTPVHCC": [],  # amber: no TTHC of its own, so its scope cannot be assessed
    }
    assert rows["TTPVHCC"].compliance == "amber" and rows["TTPVHCC"].tthc_total == 0
    green = {code for code, f in rows.items() if f.compliance == "green"}
    assert green == {"SKHCN", "SNV", "STC", "SXD", "P-THANHVINH", "X-KIMLIEN"}  # most of the province
    for code in green:
        f = rows[code]
        assert f.tthc_total and f.tthc_covered == f.tthc_total and f.legal_reviews_open == 0, code
        assert f.last_internal_audit >= datetime.date(2025, 11, 4) <= f.last_management_review, code
        assert f.announced_on and not f.renewal_due, code
    assert rows["STP"].tthc_covered < rows["STP"].tthc_total and rows["STP"].legal_reviews_overdue > 0
