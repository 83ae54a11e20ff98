import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from eiso.core.errors import Forbidden
from eiso.improvements.models import CorrectiveAction, Nonconformity
from eiso.improvements.services import risk_create
from eiso.improvements.tests.factories import implemented, make_action, make_nc

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_lists_and_pages_render_for_the_agency(client_for, agency_a, unit_a, a_secretary, a_staff):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = make_action(nc, a_secretary, a_staff)
    risk = risk_create(actor=a_secretary, agency=agency_a, description="Mất hồ sơ giấy", likelihood=4, impact=5)
    client = client_for(a_secretary, language="en")
    for url in (reverse("improvements:attention"), reverse("improvements:nonconformity-list"),
                reverse("improvements:corrective-action-list"), reverse("improvements:risk-list"),
                reverse("improvements:nonconformity-detail", args=[nc.pk]),
                reverse("improvements:corrective-action-detail", args=[action.pk]),
                reverse("improvements:risk-detail", args=[risk.pk]),
                reverse("improvements:nonconformity-create"), reverse("improvements:risk-create"),
                reverse("improvements:corrective-action-update", args=[action.pk]),
                reverse("improvements:corrective-action-implement", args=[action.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("improvements:risk-list")).content.decode()
    assert "Very high" in page and 'data-heatmap="heat-chart"' in page
    assert 'src="/static/eiso/charts.js"' in page and "heatmap.js" not in page


def test_staff_report_a_nonconformity_through_the_form(client_for, agency_a, unit_a, a_staff):
    client = client_for(a_staff, language="en")
    response = client.post(reverse("improvements:nonconformity-create"), {
        "source": "staff", "clause": "7.5.3", "unit": unit_a.pk, "detected_on": "2026-05-02",
        "description": "Biểu mẫu hết hiệu lực vẫn được dùng"})
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and nc.reported_by == a_staff and nc.clause == "7.5.3"
    bad = client.post(reverse("improvements:nonconformity-create"), {
        "source": "staff", "clause": "12.1", "detected_on": "2026-05-02", "description": "x"})
    assert bad.status_code == 200 and "clause number" in bad.content.decode()
    assert Nonconformity.objects.count() == 1


def test_unit_head_answers_with_a_corrective_action(client_for, agency_a, unit_a, a_unit_head, a_staff,
                                                    a_secretary, django_capture_on_commit_callbacks):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    client = client_for(a_unit_head, language="en")
    url = reverse("improvements:nonconformity-respond", args=[nc.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
        "root_cause_method": "five_why", "why1": "Không theo dõi hạn", "why2": "Chưa phân công", "root_cause": "x",
        "action_plan": "Phân công theo dõi", "owner": a_staff.pk, "due_on": "2026-06-01",
        "verifier": a_secretary.pk, "verification_due_on": "2026-06-15"})
    assert response.status_code == 302, response.content.decode()[:3000]
    action = CorrectiveAction.objects.get()
    assert action.whys == ["Không theo dõi hạn", "Chưa phân công"] and action.owner == a_staff
    assert a_staff.email and [m.to for m in mail.outbox] == [[a_staff.email]]


def test_staff_cannot_answer_or_verify_or_close(client_for, agency_a, unit_a, a_staff, a_secretary):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    client = client_for(a_staff)
    assert client.get(reverse("improvements:nonconformity-respond", args=[nc.pk])).status_code == 403
    action = implemented(nc, a_secretary, a_secretary)
    assert client.post(reverse("improvements:corrective-action-verify", args=[action.pk]),
                       {"effective": "1", "verified_on": "2026-04-20"}).status_code == 403
    detail = client.get(reverse("improvements:corrective-action-detail", args=[action.pk])).content.decode()
    assert 'id="verify"' not in detail
    assert client.post(reverse("improvements:corrective-action-close", args=[action.pk])).status_code == 403


def test_verify_then_close_through_the_pages(client_for, agency_a, unit_a, a_staff, a_secretary):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = implemented(nc, a_secretary, a_staff)
    client = client_for(a_secretary, language="en")
    page = client.get(reverse("improvements:corrective-action-detail", args=[action.pk])).content.decode()
    assert 'id="verify"' in page
    missing_reason = client.post(reverse("improvements:corrective-action-verify", args=[action.pk]),
                                 {"effective": "0", "verified_on": "2026-04-20", "note": ""})
    assert missing_reason.status_code == 200 and "Say why" in missing_reason.content.decode()
    early = client.post(reverse("improvements:corrective-action-close", args=[action.pk]), follow=True)
    assert "cannot be closed before a verification" in early.content.decode()
    response = client.post(reverse("improvements:corrective-action-verify", args=[action.pk]),
                           {"effective": "1", "verified_on": "2026-04-20", "note": ""})
    assert response.status_code == 302
    assert Nonconformity.objects.get(pk=nc.pk).status == "verified_effective"
    client.post(reverse("improvements:corrective-action-close", args=[action.pk]))
    assert Nonconformity.objects.get(pk=nc.pk).status == "closed"


def test_other_agency_gets_404(client_for, agency_a, unit_a, a_staff, a_secretary, b_head):
    nc = make_nc(agency_a, a_staff, unit=unit_a)
    action = make_action(nc, a_secretary, a_staff)
    risk = risk_create(actor=a_secretary, agency=agency_a, description="Rủi ro nội bộ A", likelihood=2, impact=2)
    client = client_for(b_head)
    for url in (reverse("improvements:nonconformity-detail", args=[nc.pk]),
                reverse("improvements:corrective-action-detail", args=[action.pk]),
                reverse("reports:corrective-action-docx", args=[action.pk]),
                reverse("improvements:risk-detail", args=[risk.pk])):
        assert client.get(url).status_code == 404
    listing = client.get(reverse("improvements:nonconformity-list")).content.decode()
    assert nc.code not in listing


def test_overseer_reads_the_province_and_changes_nothing(client_for, agency_a, agency_b, unit_a, unit_b, a_staff,
                                                         b_staff, overseer):
    make_nc(agency_a, a_staff, unit=unit_a)
    make_nc(agency_b, b_staff, unit=unit_b)
    client = client_for(overseer, language="en")
    page = client.get(reverse("improvements:attention")).content.decode()
    assert "Sở Tư pháp" in page and "Sở Xây dựng" in page and 'data-chart="attention-chart"' in page
    with pytest.raises(Forbidden):  # reads agency A, writes nothing there
        make_nc(agency_a, overseer)
    assert client.get(reverse("improvements:risk-create")).status_code == 403


def test_list_pages_query_count_does_not_grow(client_for, agency_a, unit_a, a_secretary, a_staff,
                                              django_assert_max_num_queries):
    for i in range(12):
        nc = make_nc(agency_a, a_staff, unit=unit_a, clause=f"8.{i % 7 + 1}")
        if i % 2:
            make_action(nc, a_secretary, a_staff)
        risk_create(actor=a_secretary, agency=agency_a, description=f"R{i}", likelihood=i % 5 + 1, impact=3)
    client = client_for(a_secretary)
    # The attention page gathers the cards of the other areas: the announcements to renew (its frozen
    # scopes against the catalogue, names, mergers and editions: 6 queries) and the 5S inspections
    # past their day (1) came on top of the 14 of the others.
    for name, most in (("nonconformity-list", 16), ("corrective-action-list", 16), ("risk-list", 16),
                       ("attention", 21)):
        with django_assert_max_num_queries(most):
            assert client.get(reverse(f"improvements:{name}")).status_code == 200
