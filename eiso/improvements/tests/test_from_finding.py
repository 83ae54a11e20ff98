"""The one-click nonconformity from an audit finding (the button on the audit page and the findings
list), and what the audit page says about nonconformity findings still without one or without a
corrective action."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from eiso.audits import services as audit_services
from eiso.audits.models import Clause
from eiso.core.audit import history_for
from eiso.improvements.models import Nonconformity
from eiso.improvements.tests.factories import make_action
from eiso.organizations.choices import Role
from eiso.organizations.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 11, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def auditor(agency_a, one_stop_a):
    return make_user(agency_a, [Role.AUDITOR], unit=one_stop_a, username="a_auditor", full_name="Lý Thị Đánh Giá")


@pytest.fixture
def audit(agency_a, a_secretary, auditor, unit_a):
    programme = audit_services.programme_create(actor=a_secretary, agency=agency_a, year=2026, title="Chương trình")
    audit = audit_services.audit_create(
        actor=a_secretary, programme=programme, title="Đánh giá Phòng Hành chính",
        start_date=datetime.date(2026, 5, 11), end_date=datetime.date(2026, 5, 12), lead_auditor=auditor,
        units=[unit_a], clauses=list(Clause.objects.filter(edition__code="2015", code__in=["7.5", "8.5"])))
    return audit_services.audit_transition(actor=auditor, audit=audit, action="start")


def _finding(audit, auditor, unit, kind="minor_nc", code="8.5", description="Hồ sơ trễ hạn không có phiếu xin lỗi"):
    return audit_services.finding_create(actor=auditor, audit=audit, kind=kind,
                                         clause=Clause.objects.get(edition__code="2015", code=code),
                                         unit=unit, description=description, evidence="Hồ sơ 000.01")


def test_secretary_records_the_nonconformity_once(client_for, audit, auditor, unit_a, a_secretary):
    finding = _finding(audit, auditor, unit_a)
    client = client_for(a_secretary, language="en")
    page = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert "1 nonconformity finding has no nonconformity recorded yet." in page
    assert reverse("improvements:finding-nonconformity", args=[finding.pk]) in page

    response = client.post(reverse("improvements:finding-nonconformity", args=[finding.pk]))
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("improvements:nonconformity-detail",
                                                                            args=[nc.pk])
    assert (nc.finding, nc.source, nc.clause, nc.unit, nc.status, nc.reported_by, nc.detected_on) == (
        finding, "audit", "8.5", unit_a, "open", a_secretary, datetime.date(2026, 5, 11))
    assert nc.description.startswith("Hồ sơ trễ hạn") and "Hồ sơ 000.01" in nc.description
    assert [e.action for e in history_for(nc)] == ["create"]

    page = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert nc.code in page and "No corrective action yet" in page
    assert "1 nonconformity has no corrective action request yet." in page
    assert reverse("improvements:finding-nonconformity", args=[finding.pk]) not in page

    again = client.post(reverse("improvements:finding-nonconformity", args=[finding.pk]), follow=True)
    assert Nonconformity.objects.count() == 1
    assert again.redirect_chain[-1][0] == reverse("improvements:nonconformity-detail", args=[nc.pk])
    assert "already has nonconformity" in again.content.decode()


def test_with_a_corrective_action_the_warning_goes(client_for, audit, auditor, unit_a, a_secretary, a_staff):
    finding = _finding(audit, auditor, unit_a)
    client = client_for(a_secretary, language="en")
    client.post(reverse("improvements:finding-nonconformity", args=[finding.pk]))
    make_action(Nonconformity.objects.get(), a_secretary, a_staff, due_on=datetime.date(2026, 6, 1))
    page = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert "no corrective action" not in page.lower() and "Action planned" in page


def test_observations_do_not_become_nonconformities(client_for, audit, auditor, unit_a, a_secretary):
    observation = _finding(audit, auditor, unit_a, kind="observation")
    url = reverse("improvements:finding-nonconformity", args=[observation.pk])
    page = client_for(a_secretary, language="en").get(reverse("audits:audit-detail", args=[audit.pk]))
    assert url not in page.content.decode() and "no nonconformity recorded" not in page.content.decode()
    response = client_for(a_secretary, language="en").post(url, follow=True)
    assert Nonconformity.objects.count() == 0
    assert "observations and opportunities do not" in response.content.decode()


def test_who_may_press_the_button(client_for, audit, auditor, unit_a, a_staff, a_unit_head, a_head, b_head,
                                  overseer):
    finding = _finding(audit, auditor, unit_a, kind="major_nc")
    url = reverse("improvements:finding-nonconformity", args=[finding.pk])
    for user in (a_staff, a_unit_head, overseer):
        assert client_for(user).post(url).status_code in (403, 404), user.username
    assert client_for(b_head).post(url).status_code == 404
    assert client_for(a_head).get(url).status_code == 405
    assert Nonconformity.objects.count() == 0
    # The unit head reads the finding about their unit (and that it has no nonconformity), without a button.
    page = client_for(a_unit_head, language="en").get(reverse("audits:audit-detail", args=[audit.pk]))
    assert "No nonconformity recorded yet" in page.content.decode() and url not in page.content.decode()
    # The audit's lead auditor records it.
    assert client_for(auditor).post(url).status_code == 302
    assert Nonconformity.objects.get().finding == finding


def test_findings_list_shows_the_nonconformities_in_few_queries(client_for, audit, auditor, unit_a, a_secretary,
                                                                django_assert_max_num_queries):
    findings = [_finding(audit, auditor, unit_a, description=f"Phát hiện {i}") for i in range(8)]
    client = client_for(a_secretary, language="en")
    for finding in findings[:3]:
        client.post(reverse("improvements:finding-nonconformity", args=[finding.pk]))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("audits:finding-list")).content.decode()
    assert page.count("No nonconformity recorded yet") == 5 and page.count("No corrective action yet") == 3
    assert page.count('action="/nonconformities/from-finding/') == 5
