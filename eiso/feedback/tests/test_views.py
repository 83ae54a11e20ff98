"""The pages: satisfaction figures with their filters and charts, the import page refusing a bad
file with each row named, complaints list (search, overdue tab), record, answer, nonconformity."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.feedback import services
from eiso.feedback.imports import satisfaction_import_rows
from eiso.feedback.models import Complaint, SatisfactionBenchmark, SatisfactionEvaluation
from eiso.feedback.tests.factories import make_dossiers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def evaluated(agency_a, unit_a, a_secretary):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=2)
    satisfaction_import_rows(actor=a_secretary, agency=agency_a, rows=[
        {"dossier_code": d.code, **{f"indicator_{i}": 2 for i in range(1, 10)}} for d in dossiers])
    return dossiers


def test_satisfaction_page_shows_score_grade_and_charts(client_for, a_head, evaluated):
    page = client_for(a_head).get("/satisfaction/?year=2026&kind=quarter&period=2026-Q1")
    html = page.content.decode()
    assert page.status_code == 200
    assert "18,00" in html and "Xuất sắc" in html
    assert 'data-chart="indicator-chart"' in html and 'id="series-chart"' in html
    assert "Đăng ký khai sinh có yếu tố nước ngoài" in html  # the per-procedure table


def test_satisfaction_page_for_the_overseer_is_per_agency(client_for, overseer, evaluated, agency_a):
    html = client_for(overseer).get("/satisfaction/?year=2026").content.decode()
    assert agency_a.name in html and "18,00" in html
    assert "/satisfaction/import/" not in html


def test_import_page_refuses_naming_rows_and_imports(client_for, a_secretary, agency_a, unit_a):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=1)
    client = client_for(a_secretary)
    assert client.get("/satisfaction/import/").status_code == 200
    bad = SimpleUploadedFile("dg.csv", f"dossier_code,indicator,score\n{dossiers[0].code},1,5\n".encode())
    refused = client.post("/satisfaction/import/", {"agency": agency_a.pk, "file": bad})
    assert refused.status_code == 400 and "2" in refused.content.decode()
    good = SimpleUploadedFile("dg.csv", f"dossier_code,indicator,score\n{dossiers[0].code},1,2\n".encode())
    done = client.post("/satisfaction/import/", {"agency": agency_a.pk, "file": good})
    assert done.status_code == 302 and SatisfactionEvaluation.objects.count() == 1


def test_staff_cannot_import(client_for, a_staff):
    assert client_for(a_staff).get("/satisfaction/import/").status_code == 403


def test_benchmark_page(client_for, a_secretary, agency_a):
    response = client_for(a_secretary).post("/satisfaction/sipas/", {"year": 2025, "sipas": "84.5", "note": ""})
    assert response.status_code == 302
    assert SatisfactionBenchmark.objects.get(agency=agency_a).year == 2025


def test_complaint_journey(client_for, a_staff, a_secretary, unit_a, agency_a):
    staff = client_for(a_staff)
    response = staff.post("/complaints/new/", {
        "received_on": "2026-04-01", "channel": "phone", "person": "Trần Thị Dân", "content": "Chờ quá lâu ở quầy",
        "unit": unit_a.pk})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.due_on == datetime.date(2026, 4, 15)  # 10 working days after Wednesday 1 April
    listing = staff.get("/complaints/?state=overdue").content.decode()
    assert complaint.code in listing
    assert complaint.code not in staff.get("/complaints/?q=khong-co-dau").content.decode()
    secretary = client_for(a_secretary)
    detail = secretary.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "/answer/" in detail and f"/complaints/{complaint.pk}/nonconformity/" not in detail
    answered = secretary.post(f"/complaints/{complaint.pk}/answer/", {
        "answer": "Đã bố trí thêm cán bộ", "answered_on": "2026-04-20", "justified": "yes"})
    assert answered.status_code == 302
    button = f"/complaints/{complaint.pk}/nonconformity/"
    assert button in secretary.get(f"/complaints/{complaint.pk}/").content.decode()
    made = secretary.post(f"/complaints/{complaint.pk}/nonconformity/")
    complaint.refresh_from_db()
    assert made.status_code == 302 and made["Location"] == f"/nonconformities/{complaint.nonconformity_id}/"


def test_complaint_list_query_count_does_not_grow(client_for, a_staff, agency_a, django_assert_max_num_queries):
    for day in range(1, 16):
        services.complaint_create(actor=a_staff, agency=agency_a, received_on=datetime.date(2026, 4, day),
                                  person=f"Người {day}", content="Phản ánh")
    client = client_for(a_staff)
    client.get("/complaints/")  # warm caches (calendar tables, menu)
    with django_assert_max_num_queries(14):
        assert client.get("/complaints/").status_code == 200


def test_settings_page(client_for, a_secretary, a_staff, agency_a):
    assert client_for(a_staff).get("/complaints/settings/").status_code == 403
    assert client_for(a_secretary).post("/complaints/settings/", {"complaint_due_days": 7}).status_code == 302
    assert agency_a.feedback_settings.complaint_due_days == 7
