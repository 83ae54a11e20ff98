"""Audit pages and API through HTTP: who sees what (same agency, overseer, other agency 404),
planning refused on independence with the message on the form, the checklist on a phone, findings
raised, the Word plan and report read back, query counts of the lists."""

import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as Docx

from eiso.audits import services
from eiso.audits.models import Audit, Finding

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ")  # a non-breaking space reads as a space


def test_programme_list_is_scoped_and_searchable(client_for, programme, a_staff, overseer, b_staff):
    url = reverse("audits:programme-list")
    assert programme.title in client_for(a_staff).get(url).content.decode()
    assert programme.title in client_for(overseer).get(url).content.decode()
    assert programme.title not in client_for(b_staff).get(url).content.decode()
    assert programme.title not in client_for(a_staff).get(url, {"q": "không có"}).content.decode()
    assert programme.title in client_for(a_staff).get(url, {"year": "2026"}).content.decode()


def _queries(client, url) -> int:
    client.get(url)  # warm the session and caches
    cache.clear()  # count computing the page, not reading its cached figures (eiso.core.freshness)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context)


def test_programme_list_query_count_does_not_grow(client_for, programme, a_secretary, agency_a, overseer,
                                                  django_assert_max_num_queries):
    client, url = client_for(overseer), reverse("audits:programme-list")
    few = _queries(client, url)
    for year in range(2015, 2025):
        services.programme_create(actor=a_secretary, agency=agency_a, year=year, title=f"Chương trình {year}")
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.context["page"].paginator.count == 11


def test_programme_detail_other_agency_is_404(client_for, programme, b_head, a_staff):
    url = reverse("audits:programme-detail", args=[programme.pk])
    assert client_for(b_head).get(url).status_code == 404
    assert client_for(a_staff).get(url).status_code == 200


def test_only_planners_create_programmes(client_for, a_staff, a_head, agency_a):
    url = reverse("audits:programme-create")
    assert client_for(a_staff).get(url).status_code == 403
    response = client_for(a_head).post(url, {"year": 2027, "title": "Chương trình 2027"})
    assert response.status_code == 302
    assert agency_a.audit_programmes.filter(year=2027).exists()


def test_planning_an_auditor_of_the_audited_unit_is_refused_on_the_form(client_for, programme, a_head, auditor,
                                                                       a_secretary, unit_a):
    response = client_for(a_head, language="en").post(reverse("audits:programme-newaudit", args=[programme.pk]), {
        "title": "Đánh giá", "start_date": "2026-05-11", "end_date": "2026-05-12", "lead_auditor": auditor.pk,
        "members": [a_secretary.pk], "units": [unit_a.pk], "criteria": "TCVN ISO 9001:2015"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "cannot audit their own unit" in text and unit_a.name in text and a_secretary.full_name in text
    assert not Audit.objects.exists()


def test_end_before_start_is_a_form_error(client_for, programme, a_head, auditor, unit_a):
    response = client_for(a_head, language="en").post(reverse("audits:programme-newaudit", args=[programme.pk]), {
        "title": "Đánh giá", "start_date": "2026-05-12", "end_date": "2026-05-11", "lead_auditor": auditor.pk,
        "units": [unit_a.pk]})
    assert "end date cannot be before" in response.content.decode()
    assert not Audit.objects.exists()


def test_planner_plans_an_audit(client_for, programme, a_head, auditor, unit_a):
    response = client_for(a_head).post(reverse("audits:programme-newaudit", args=[programme.pk]), {
        "title": "Đánh giá Phòng HCTP", "start_date": "2026-05-11", "end_date": "2026-05-12",
        "lead_auditor": auditor.pk, "units": [unit_a.pk]})
    audit = Audit.objects.get()
    assert response.status_code == 302 and audit.lead_auditor == auditor


def test_audit_detail_and_findings_by_role(client_for, finding, a_unit_head, a_staff, overseer, b_head):
    url = reverse("audits:audit-detail", args=[finding.audit_id])
    assert finding.description in client_for(a_unit_head).get(url).content.decode()
    assert finding.description in client_for(overseer).get(url).content.decode()
    staff_page = client_for(a_staff).get(url)
    assert staff_page.status_code == 200 and finding.description not in staff_page.content.decode()
    assert client_for(b_head).get(url).status_code == 404


def test_checklist_filled_by_the_team_with_a_photo(client_for, started, auditor, a_head, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    item = started.checklist.first()
    page = client_for(auditor).get(reverse("audits:audit-checklist", args=[started.pk]))
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("audits:checklistitem-answer", args=[item.pk])
    photo = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    response = client_for(auditor).post(url, {"answer": "nonconform", "evidence": "Thiếu sổ", "file": photo})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answer == "nonconform" and item.files.count() == 1
    assert client_for(a_head).post(url, {"answer": "conform"}).status_code == 403
    assert client_for(auditor).get(url).status_code == 405


def test_finding_raised_from_the_page(client_for, started, auditor, unit_a, clause, a_head):
    url = reverse("audits:audit-finding", args=[started.pk])
    data = {"kind": "major_nc", "clause": clause.pk, "unit": unit_a.pk, "description": "Không có sổ theo dõi"}
    assert client_for(a_head).post(url, data).status_code == 403
    assert client_for(auditor).post(url, data).status_code == 302
    assert Finding.objects.get().kind == "major_nc"
    bad = client_for(auditor).post(url, {**data, "description": ""})
    assert bad.status_code == 400 and Finding.objects.count() == 1


def test_transitions_from_the_page(client_for, audit, auditor, a_staff):
    url = reverse("audits:audit-transition", args=[audit.pk])
    assert client_for(a_staff).post(url, {"action": "start"}).status_code == 403
    client_for(auditor).post(url, {"action": "close"})
    audit.refresh_from_db()
    assert audit.status == "planned"
    client_for(auditor).post(url, {"action": "start"})
    audit.refresh_from_db()
    assert audit.status == "in_progress"


def test_qms_scope_page(client_for, a_secretary, a_staff, agency_a):
    from eiso.audits.models import Clause

    url = reverse("audits:qms-scope")
    assert "Cải tiến liên tục" in client_for(a_staff).get(url).content.decode()
    assert client_for(a_staff).post(url, {"clause": Clause.objects.get(edition__code="2015", code="8.3").pk,
                                          "justification": "x"}).status_code == 403
    client_for(a_secretary).post(url, {"clause": Clause.objects.get(edition__code="2015", code="8.3").pk,
                                       "justification": "Không thiết kế dịch vụ"})
    assert agency_a.clause_exclusions.get().clause.code == "8.3"


def test_finding_list_for_a_unit_head(client_for, finding, a_unit_head, b_head, auditor, unit_a, clause,
                                     django_assert_max_num_queries):
    url = reverse("audits:finding-list")
    client = client_for(a_unit_head)
    assert finding.description[:40] in client.get(url).content.decode()
    few = _queries(client, url)
    for n in range(10):
        services.finding_create(actor=auditor, audit=finding.audit, kind="observation", clause=clause, unit=unit_a,
                                description=f"Quan sát {n}")
    with django_assert_max_num_queries(few):
        assert client.get(url).context["page"].paginator.count == 11
    assert finding.description[:40] not in client_for(b_head).get(url).content.decode()


# --- API -------------------------------------------------------------------------------------------------

def test_api_audits_scoped(api_for, finding, a_staff, b_staff, overseer, a_unit_head):
    audit = finding.audit
    rows = api_for(a_staff).get("/api/v1/audits").json()
    assert [r["id"] for r in rows["items"]] == [audit.pk]
    assert api_for(b_staff).get("/api/v1/audits").json()["items"] == []
    detail = api_for(overseer).get(f"/api/v1/audits/{audit.pk}").json()
    assert detail["lead_auditor"]["full_name"] and detail["units"][0]["name"]
    assert api_for(b_staff).get(f"/api/v1/audits/{audit.pk}").status_code == 404
    findings = api_for(a_unit_head).get(f"/api/v1/audits/{audit.pk}/findings").json()["items"]
    assert findings[0]["kind"] == "minor_nc" and findings[0]["clause"]["code"] == "8.5"
    assert api_for(a_staff).get(f"/api/v1/audits/{audit.pk}/findings").json()["items"] == []
    assert api_for(b_staff).get(f"/api/v1/audits/{audit.pk}/findings").status_code == 404


def test_a_refused_evidence_file_leaves_the_answer_unsaved(client_for, started, auditor, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = started.checklist.first()
    before = item.answer
    url = reverse("audits:checklistitem-answer", args=[item.pk])
    renamed = SimpleUploadedFile("anh.png", b"MZ" * 40)  # an executable named as a photo
    response = client_for(auditor).post(url, {"answer": "nonconform", "evidence": "Thiếu sổ", "file": renamed},
                                        follow=True)
    assert "not a valid" in response.content.decode() or "không phải" in response.content.decode()
    item.refresh_from_db()
    assert item.answer == before and item.evidence == "" and item.answered_by is None
    assert item.files.count() == 0
