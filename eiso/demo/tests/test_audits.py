import datetime

import pytest
import time_machine

from eiso.audits.models import Audit, AuditProgramme, ChecklistItem, Finding
from eiso.demo.loaders import audits as demo
from eiso.demo.loaders import improvements
from eiso.demo.loaders import organizations as organizations_demo
from eiso.demo.management.commands.demo import LOADERS
from eiso.organizations.models import Agency

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False)
def test_each_agency_with_an_auditor_gets_two_programmes_and_completed_audits_once():
    organizations_demo.load()
    messages = []
    demo.load(messages.append)
    departments = set(Agency.objects.filter(level="department", valid_to__isnull=True).values_list("code", flat=True))
    # every agency in force with an internal auditor: the departments, the service centre, the communes
    audited_agencies = departments | {"TTPVHCC", "P-TRUONGVINH", "P-THANHVINH", "X-KIMLIEN"}
    assert departments and set(AuditProgramme.objects.values_list("agency__code", flat=True)) == audited_agencies
    for code in audited_agencies:
        audits = Audit.objects.filter(agency__code=code).order_by("start_date")
        assert [(a.programme.year, a.status) for a in audits] == [(2025, "closed"), (2026, "reported")], code
        assert audits[1].end_date <= datetime.date(2026, 5, 4) and audits[1].conclusion
        for audit in audits:
            kinds = sorted(Finding.objects.filter(audit=audit).values_list("kind", flat=True))
            assert kinds == ["major_nc", "minor_nc", "observation", "opportunity"], code
            assert not ChecklistItem.objects.filter(audit=audit, answer="not_checked").exists()
            assert ChecklistItem.objects.filter(audit=audit, answer="nonconform").count() == 2
            team = [audit.lead_auditor, *(m.user for m in audit.members.all())]
            # the ISO secretary joins the lead when another person; a small agency's secretary leads alone
            assert len(team) == (1 if code in {"TTPVHCC", "P-THANHVINH", "X-KIMLIEN"} else 2), code
            audited = set(audit.units.values_list("pk", flat=True))
            assert all(person.membership.unit_id not in audited for person in team), code  # independence
            assert all("auditor" in person.membership.roles for person in team)
    assert "STP" in messages[0]
    counts = (AuditProgramme.objects.count(), Audit.objects.count(), Finding.objects.count())
    demo.load(messages.append)
    assert (AuditProgramme.objects.count(), Audit.objects.count(), Finding.objects.count()) == counts
    assert "nothing to create" in messages[-1]


def test_audits_load_before_improvements():
    assert LOADERS.index(demo.load) < LOADERS.index(improvements.load)
