"""The announcement and edition pages, the Word decision and the API: a TTHC added through the page
shows as a renewal reason on the very next read; the head signs through the page; other agencies
read nothing (the isolation walk covers every route; a few explicit pairs here)."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.rollout import announcements, renewal

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)


@pytest.fixture
def draft(ready_a, a_secretary, a_head):
    announcement = announcements.announcement_prepare(actor=a_secretary, agency=ready_a, review_held_on=LAST_WEEK,
                                                      processes=["Quản lý văn bản đến"])
    announcements.announcement_confirm_effectiveness(actor=a_head, announcement=announcement)
    return announcement


def test_the_head_signs_through_the_page_and_a_tthc_added_flags_renewal(client_for, draft, a_head, a_secretary):
    head = client_for(a_head, "en")
    assert "Sign and issue" in head.get(reverse("rollout:announcement-detail", args=[draft.pk])).content.decode()
    answer = head.post(reverse("rollout:announcement-issue", args=[draft.pk]),
                       {"number": "15/QĐ-STP", "signed_on": LAST_WEEK.strftime("%d/%m/%Y")})
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "issued" and draft.number == "15/QĐ-STP"
    secretary = client_for(a_secretary, "en")
    page = secretary.get(reverse("rollout:announcement-list")).content.decode()
    assert "Up to date" in page
    added = secretary.post(reverse("procedures:adminprocedure-create"), {
        "code": "2.002222", "name": "Cấp giấy phép mới", "field": "Hộ tịch", "level": "province",
        "time_limit_days": "5", "online_level": "none"})
    assert added.status_code == 302, added.content.decode()[:2000]
    page = secretary.get(reverse("rollout:announcement-list")).content.decode()
    assert "Renewal due" in page and "2.002222" in page
    status = renewal.renewal_status(draft.agency)
    assert status["reasons"] == [{"kind": "procedure_added", "items": ["2.002222"]}]


def test_a_secretary_cannot_sign_and_staff_cannot_prepare(client_for, draft, a_secretary, a_staff):
    assert client_for(a_secretary).get(reverse("rollout:announcement-issue", args=[draft.pk])).status_code == 403
    answer = client_for(a_secretary).post(reverse("rollout:announcement-issue", args=[draft.pk]),
                                          {"number": "1/QĐ", "signed_on": TODAY.strftime("%d/%m/%Y")})
    assert answer.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert client_for(a_staff).get(reverse("rollout:announcement-create")).status_code == 403


def test_the_decision_prints_in_word_with_its_scope(client_for, draft, a_head):
    announcements.announcement_issue(actor=a_head, announcement=draft, number="15/QĐ-STP", signed_on=LAST_WEEK)
    answer = client_for(a_head).get(reverse("reports:announcement-docx", args=[draft.pk]))
    assert answer.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content) if answer.streaming else answer.content)
                          ).read("word/document.xml").decode()
    assert "QUYẾT ĐỊNH" in xml and "15/QĐ-STP" in xml and "TCVN ISO 9001:2015" in xml
    assert "1.004227" in xml and "Quản lý văn bản đến" in xml and "DỰ THẢO" not in xml


def test_pages_render_for_each_persona(client_for, draft, a_head, a_staff, overseer, b_staff):
    for user in (a_head, a_staff, overseer, b_staff):
        for name in ("rollout:announcement-list", "rollout:transition-list"):
            assert client_for(user).get(reverse(name)).status_code == 200
        assert client_for(user).get(reverse("rollout:announcement-list") + "?tab=history&status=draft"
                                    ).status_code == 200
    assert client_for(b_staff).get(reverse("rollout:announcement-detail", args=[draft.pk])).status_code == 404
    overview = client_for(overseer).get(reverse("rollout:announcement-list") + "?due=1").content.decode()
    assert draft.agency.short_name or draft.agency.name in overview


def test_api_status_and_transitions(api_for, draft, a_head, a_secretary, b_staff, ready_a):
    reasons = api_for(a_secretary).get("/api/v1/announcements/status").json()["reasons"]
    assert [(r["kind"], r["items"]) for r in reasons] == [("not_announced", [])] and reasons[0]["label"]
    issued = api_for(a_head).post(f"/api/v1/announcements/{draft.pk}/issue",
                                  {"number": "15/QĐ-STP", "signed_on": LAST_WEEK.isoformat()},
                                  content_type="application/json")
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    status = api_for(a_secretary).get(f"/api/v1/announcements/status?agency={ready_a.code}").json()
    assert status["due"] is False and status["announcement"]["number"] == "15/QĐ-STP"
    assert api_for(b_staff).get(f"/api/v1/announcements/status?agency={ready_a.code}").status_code == 404
    started = api_for(a_secretary).post("/api/v1/transitions", {
        "to_edition": "2026", "started_on": TODAY.isoformat(),
        "deadline": (TODAY + datetime.timedelta(days=365)).isoformat()}, content_type="application/json")
    assert started.status_code == 201
    assert [t["clause"] for t in started.json()["tasks"]][:3] == ["4.1", "4.2", "5.1"]
    refused = api_for(a_secretary).post("/api/v1/transitions", {
        "to_edition": "2026", "started_on": TODAY.isoformat(), "deadline": TODAY.isoformat()},
        content_type="application/json")
    assert refused.status_code == 409


def test_the_page_of_what_needs_attention_counts_renewals_due(client_for, draft, a_head, a_secretary):
    from decimal import Decimal

    from eiso.procedures.services import admin_procedure_create

    announcements.announcement_issue(actor=a_head, announcement=draft, number="15/QĐ-STP", signed_on=LAST_WEEK)
    url = reverse("improvements:attention")
    assert "Conformity announcements to renew" in client_for(a_secretary, "en").get(url).content.decode()
    from eiso.rollout.panels import attention_panel

    class Request:
        user = a_secretary

    assert attention_panel(Request()).data == {"total": 0}
    admin_procedure_create(actor=None, agency=draft.agency, code="2.000009", name="Mới", time_limit_days=Decimal(3))
    assert attention_panel(Request()).data == {"total": 1}


def test_the_province_table_reads_in_a_fixed_number_of_queries(client_for, overseer, province,
                                                               django_assert_max_num_queries):
    from eiso.organizations.models import Agency

    client = client_for(overseer)
    client.get(reverse("rollout:announcement-list"))  # warm the session and caches
    for i in range(15):
        Agency.objects.create(code=f"X-{i}", name=f"UBND xã số {i}", level="commune_pc", province=province)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("rollout:announcement-list")).status_code == 200
