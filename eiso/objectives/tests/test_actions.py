"""Quality objectives: editing before and after approval, every action of the pages also in the
API (one service behind both), and computed measurements that follow their data (an import, a
closure, an answer) through eiso.core.changes and the task queue; confirmed periods stay frozen."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.core.errors import Conflict
from eiso.documents.tests.factories.revisions import docx_bytes, pdf_bytes
from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.feedback import services as feedback_services
from eiso.feedback.imports import satisfaction_import_rows
from eiso.feedback.tests.factories import make_dossiers
from eiso.objectives import services
from eiso.objectives.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def stored_files(settings, tmp_path):
    """Uploaded evidence goes to a temporary directory."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def _objective(agency, actor, **extra):
    data = {"year": 2026, "title": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 95% trở lên",
            "indicator": "dossier_on_time_rate", "comparator": "gte", "target": Decimal("95"), "frequency": "quarter"}
    return services.objective_create(actor=actor, agency=agency, **{**data, **extra})


# --- editing -----------------------------------------------------------------------------------------


def test_a_draft_changes_freely_and_its_measurements_follow(agency_a, unit_a, a_secretary):
    make_dossiers(agency_a, unit=unit_a, count=2)
    objective = _objective(agency_a, a_secretary)
    services.measurements_refresh(actor=a_secretary, objective=objective)
    assert Measurement.objects.get(objective=objective).met is True  # 2 on time of 2
    services.objective_update(actor=a_secretary, objective=objective, target=Decimal("101"))
    assert Measurement.objects.get(objective=objective).met is False  # judged against the new target
    services.objective_update(actor=a_secretary, objective=objective, frequency="half_year")
    rows = list(Measurement.objects.filter(objective=objective))
    assert [(r.period_start, r.period_end, r.denominator) for r in rows] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), 2)]


def test_an_approved_objective_changes_only_its_owner_and_plan(agency_a, a_secretary, a_head, a_staff):
    objective = _objective(agency_a, a_secretary)
    services.objective_approve(actor=a_head, objective=objective)
    with pytest.raises(Conflict):
        services.objective_update(actor=a_secretary, objective=objective, target=Decimal("90"))
    services.objective_update(actor=a_secretary, objective=objective, plan_what=" Nhắc việc hằng tuần ",
                              owner=a_staff)
    objective.refresh_from_db()
    assert objective.target == Decimal("95") and objective.plan_what == "Nhắc việc hằng tuần"
    assert objective.owner == a_staff


def test_a_confirmed_period_freezes_what_the_objective_measures(agency_a, unit_a, a_secretary):
    make_dossiers(agency_a, unit=unit_a, count=2)
    objective = _objective(agency_a, a_secretary)
    services.measurements_refresh(actor=a_secretary, objective=objective)
    services.measurement_confirm(actor=a_secretary, measurement=Measurement.objects.get(objective=objective))
    with pytest.raises(Conflict):
        services.objective_update(actor=a_secretary, objective=objective, target=Decimal("99"))
    services.objective_update(actor=a_secretary, objective=objective, title="Đúng hạn từ 95%")  # words may change
    assert Measurement.objects.get(objective=objective).confirmed_on is not None


def test_the_edit_page(client_for, agency_a, a_secretary, a_head, a_staff):
    objective = _objective(agency_a, a_secretary)
    url = f"/objectives/{objective.pk}/edit/"
    assert client_for(a_staff).get(url).status_code == 403
    page = client_for(a_secretary).get(url).content.decode()
    assert 'name="target"' in page
    response = client_for(a_secretary).post(url, {
        "year": 2026, "title": "Đúng hạn 98%", "indicator": "dossier_on_time_rate", "comparator": "gte",
        "target": "98", "unit_of_measure": "%", "frequency": "quarter"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.target == Decimal("98") and objective.title == "Đúng hạn 98%"
    services.objective_approve(actor=a_head, objective=objective)
    page = client_for(a_secretary).get(url).content.decode()
    assert 'name="target"' not in page and 'name="plan_what"' in page
    assert client_for(a_secretary).post(url, {"plan_what": "Họp giao ban"}).status_code == 302
    objective.refresh_from_db()
    assert objective.plan_what == "Họp giao ban" and objective.target == Decimal("98")


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_edits_approves_and_refreshes(api_for, agency_a, unit_a, a_secretary, a_head, a_staff):
    make_dossiers(agency_a, unit=unit_a, count=2)
    created = api_for(a_secretary).post("/api/v1/objectives", {
        "year": 2026, "title": "Đúng hạn", "indicator": "dossier_on_time_rate", "target": "95",
        "owner": a_staff.username, "plan_what": "Theo dõi hằng ngày"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == a_staff.username and body["plan_what"] == "Theo dõi hằng ngày"
    pk = body["id"]
    patched = api_for(a_secretary).patch(f"/api/v1/objectives/{pk}", {"target": "100", "unit": unit_a.code},
                                         content_type="application/json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["target"] == "100.00" and patched.json()["unit"]["code"] == unit_a.code
    bad = api_for(a_secretary).patch(f"/api/v1/objectives/{pk}", {"owner": "nobody"},
                                     content_type="application/json")
    assert bad.status_code == 400 and "owner" in bad.json()["errors"]
    assert api_for(a_secretary).post(f"/api/v1/objectives/{pk}/approve").status_code == 403
    assert api_for(a_head).post(f"/api/v1/objectives/{pk}/approve").json()["status"] == "approved"
    assert api_for(a_head).post(f"/api/v1/objectives/{pk}/approve").status_code == 409
    refused = api_for(a_secretary).patch(f"/api/v1/objectives/{pk}", {"target": "90"},
                                         content_type="application/json")
    assert refused.status_code == 409
    refreshed = api_for(a_secretary).post(f"/api/v1/objectives/{pk}/refresh")
    assert refreshed.status_code == 200 and refreshed.json()[0]["denominator"] == 2
    assert api_for(a_staff).post(f"/api/v1/objectives/{pk}/refresh").status_code == 403


def test_the_api_records_confirms_and_makes_a_nonconformity(api_for, client_for, agency_a, a_secretary, a_staff,
                                                            b_head, stored_files):
    objective = _objective(agency_a, a_secretary, indicator="manual", title="100% cán bộ được tập huấn ISO",
                           target=Decimal("100"), owner=a_staff)
    url = f"/api/v1/objectives/{objective.pk}/measurements"
    no_evidence = api_for(a_staff).post(url, {"period_start": "2026-01-01", "value": "80"})
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.json()["errors"]
    wrong_period = api_for(a_staff).post(url, {"period_start": "2026-01-02", "value": "80", "evidence": "x"})
    assert wrong_period.status_code == 400 and "period_start" in wrong_period.json()["errors"]
    not_a_pdf = api_for(a_staff).post(url, {"period_start": "2026-01-01", "value": "80",
                                            "evidence_file": SimpleUploadedFile("danh-sach.pdf", b"not a pdf")})
    assert not_a_pdf.status_code == 400 and "evidence_file" in not_a_pdf.json()["errors"]
    assert not Measurement.objects.filter(objective=objective).exists()
    made = api_for(a_staff).post(url, {"period_start": "2026-01-01", "value": "80",
                                       "evidence": "Danh sách lớp tập huấn 12/02",
                                       "evidence_file": SimpleUploadedFile("Danh sách lớp.pdf", pdf_bytes())})
    assert made.status_code == 201, made.json()
    row = made.json()
    assert row["met"] is False and row["evidence"] == "Danh sách lớp tập huấn 12/02" and row["confirmed_on"] is None
    assert row["evidence_file_name"] == "Danh sách lớp.pdf" and row["evidence_file_url"]
    download = client_for(a_secretary).get(row["evidence_file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(b_head).get(row["evidence_file_url"]).status_code == 404
    assert api_for(a_staff).post(f"/api/v1/measurements/{row['id']}/confirm").status_code == 403
    confirmed = api_for(a_secretary).post(f"/api/v1/measurements/{row['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_on"] == "2026-05-04"
    assert api_for(a_secretary).post(f"/api/v1/measurements/{row['id']}/confirm").status_code == 409
    nc = api_for(a_secretary).post(f"/api/v1/measurements/{row['id']}/nonconformity")
    assert nc.status_code == 200 and nc.json()["nonconformity"]["code"]
    assert api_for(a_secretary).post(f"/api/v1/measurements/{row['id']}/nonconformity").status_code == 409
    listed = api_for(a_staff).get(url).json()
    assert listed[0]["nonconformity"]["id"] == nc.json()["nonconformity"]["id"]


def test_the_measurement_page_takes_a_file_as_evidence(client_for, agency_a, a_secretary, stored_files):
    objective = _objective(agency_a, a_secretary, indicator="manual", target=Decimal("100"), frequency="half_year")
    url = f"/objectives/{objective.pk}/measure/"
    assert 'enctype="multipart/form-data"' in client_for(a_secretary).get(url).content.decode()
    refused = client_for(a_secretary).post(url, {"period_start": "2026-01-01", "value": "100"})
    assert refused.status_code == 200 and not Measurement.objects.exists()
    response = client_for(a_secretary).post(url, {
        "period_start": "2026-01-01", "value": "100",
        "evidence_file": SimpleUploadedFile("Báo cáo.docx", docx_bytes())})
    assert response.status_code == 302
    row = Measurement.objects.get(objective=objective)
    assert row.evidence_file_name == "Báo cáo.docx" and row.evidence == "" and row.met is True
    page = client_for(a_secretary).get(f"/objectives/{objective.pk}/").content.decode()
    assert f"/objectives/measurements/{row.pk}/evidence/" in page


def test_an_open_period_is_refused_by_the_api(api_for, agency_a, a_secretary):
    objective = _objective(agency_a, a_secretary, indicator="manual", target=Decimal("100"))
    row = services.measurement_record(actor=a_secretary, objective=objective, period_start=datetime.date(2026, 4, 1),
                                      value=Decimal("50"), evidence="Biên bản")
    assert api_for(a_secretary).post(f"/api/v1/measurements/{row.pk}/confirm").status_code == 409
    assert api_for(a_secretary).post(f"/api/v1/measurements/{row.pk}/nonconformity").status_code == 409


# --- recompute when the data change ------------------------------------------------------------------


def _late_rows(agency, procedure_code, prefix, count):
    rows, n = [], 0
    for i in range(count):
        at = datetime.datetime(2026, 2, 2 + i, 9, tzinfo=datetime.UTC)  # returned in March, late
        code = f"{prefix}-{i:04d}"
        n += 1
        rows.append(EventRow(row=n, code=code, kind="received", at=at, agency_code=agency.code,
                             procedure_code=procedure_code, applicant="Công dân"))
        n += 1
        rows.append(EventRow(row=n, code=code, kind="returned", at=at + datetime.timedelta(days=40)))
    return rows


# The tests' transaction never commits: each runs the work queued for commit (execute=True), as a
# commit would.


def test_a_dossier_import_moves_the_measurement(agency_a, unit_a, a_secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        procedure, _dossiers = make_dossiers(agency_a, unit=unit_a, count=2)  # on time
    objective = _objective(agency_a, a_secretary)
    services.measurements_refresh(actor=a_secretary, objective=objective)
    assert Measurement.objects.get(objective=objective).value == Decimal("100.0")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier_events_record(actor=None, source="test", rows=_late_rows(agency_a, procedure.code, "LATE", 2))
    assert len(callbacks) == 1  # one announcement for the import, whatever its size
    q1 = Measurement.objects.get(objective=objective)
    late = Dossier.objects.filter(agency=agency_a, code__startswith="LATE").values_list("result", flat=True)
    assert set(late) == {"late"}
    assert (q1.numerator, q1.denominator, q1.value, q1.met) == (2, 4, Decimal("50.0"), False)


def test_a_confirmed_period_does_not_move(agency_a, unit_a, a_secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        procedure, _dossiers = make_dossiers(agency_a, unit=unit_a, count=2)
    objective = _objective(agency_a, a_secretary)
    services.measurements_refresh(actor=a_secretary, objective=objective)
    services.measurement_confirm(actor=a_secretary, measurement=Measurement.objects.get(objective=objective))
    with django_capture_on_commit_callbacks(execute=True):
        dossier_events_record(actor=None, source="test", rows=_late_rows(agency_a, procedure.code, "LATE", 2))
    assert Measurement.objects.get(objective=objective).denominator == 2


def test_other_agencies_and_other_indicators_are_left_alone(agency_a, agency_b, unit_a, a_secretary, b_head,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        procedure, _dossiers = make_dossiers(agency_a, unit=unit_a, count=1)
    ours = _objective(agency_a, a_secretary)
    complaints = _objective(agency_a, a_secretary, indicator="complaints_on_time_rate")
    theirs = _objective(agency_b, b_head)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_events_record(actor=None, source="test", rows=_late_rows(agency_a, procedure.code, "LATE", 1))
    assert Measurement.objects.get(objective=ours).denominator == 2  # what the import moved
    assert not Measurement.objects.filter(objective__in=[complaints, theirs]).exists()


def test_an_answer_and_a_satisfaction_import_move_theirs(agency_a, unit_a, a_secretary, a_staff,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=1)
    answered = _objective(agency_a, a_secretary, indicator="complaints_on_time_rate", target=Decimal("100"))
    score = _objective(agency_a, a_secretary, indicator="satisfaction_score", target=Decimal("15"))
    with django_capture_on_commit_callbacks(execute=True):
        complaint = feedback_services.complaint_create(actor=a_staff, agency=agency_a, person="Dân",
                                                       content="Chậm", received_on=datetime.date(2026, 3, 2))
    row = Measurement.objects.get(objective=answered)
    assert (row.numerator, row.denominator) == (0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.complaint_answer(actor=a_secretary, complaint=complaint, answer="Đã xử lý",
                                           justified=False, answered_on=datetime.date(2026, 3, 5))
    row.refresh_from_db()
    assert (row.numerator, row.denominator, row.value) == (1, 1, Decimal("100.0"))
    with django_capture_on_commit_callbacks(execute=True):
        satisfaction_import_rows(actor=a_secretary, agency=agency_a, rows=[
            {"dossier_code": dossiers[0].code, **{f"indicator_{i}": 2 for i in range(1, 10)}}])
    assert Measurement.objects.get(objective=score).value == Decimal("18")


def test_a_rolled_back_change_announces_nothing(agency_a, unit_a, a_secretary, django_capture_on_commit_callbacks):
    from django.db import transaction

    from eiso.core.changes import data_changed_announce

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        data_changed_announce(sender="test", agency_id=agency_a.pk, topic="dossiers")
        data_changed_announce(sender="test", agency_id=agency_a.pk, topic="dossiers")  # once per commit
        with transaction.atomic():  # a nested block too
            data_changed_announce(sender="test", agency_id=agency_a.pk, topic="dossiers")
        try:
            with transaction.atomic():
                data_changed_announce(sender="test", agency_id=agency_a.pk, topic="complaints")
                raise RuntimeError
        except RuntimeError:
            pass
    assert [c.eiso_change for c in callbacks] == [(agency_a.pk, "dossiers")]
    with pytest.raises(ValueError):
        data_changed_announce(sender="test", agency_id=agency_a.pk, topic="weather")


def test_many_changes_in_one_transaction_queue_one_refresh(agency_a, a_secretary, a_head,
                                                           django_capture_on_commit_callbacks):
    """Each corrective action planned in one transaction is a change; the agency's refresh is queued once."""
    from django.db import transaction

    from eiso.improvements import services as improvements_services

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            nc = improvements_services.nonconformity_create(
                actor=a_secretary, agency=agency_a, source="staff", clause="8.5.1", description=f"Sai sót {n}",
                detected_on=datetime.date(2026, 3, 2))
            improvements_services.corrective_action_create(
                actor=a_secretary, nonconformity=nc, root_cause="Thiếu kiểm tra", action_plan="Bổ sung bước",
                owner=a_head, due_on=datetime.date(2026, 3, 31), notify=False)
    assert [c.eiso_change for c in callbacks if hasattr(c, "eiso_change")] == [(agency_a.pk, "corrective_actions")]


def test_a_new_tthc_moves_the_coverage(agency_a, unit_a, a_secretary, django_capture_on_commit_callbacks):
    from eiso.procedures import services as procedure_services

    with django_capture_on_commit_callbacks(execute=True):
        make_dossiers(agency_a, unit=unit_a, count=1)  # a TTHC with its procedure in force and a process
    coverage = _objective(agency_a, a_secretary, indicator="tthc_coverage_rate", target=Decimal("100"))
    services.measurements_refresh(actor=a_secretary, objective=coverage)
    before = Measurement.objects.get(objective=coverage, period_start=datetime.date(2026, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        procedure_services.admin_procedure_create(actor=None, agency=agency_a, code="2.000001",
                                                  name="Cấp phiếu lý lịch tư pháp", time_limit_days=10)
    after = Measurement.objects.get(objective=coverage, period_start=datetime.date(2026, 4, 1))
    assert (after.numerator, after.denominator) == (before.numerator, before.denominator + 1)
