"""Quality objectives: the formulas on fixed data, no value without data, approval by the head,
manual measurements with evidence, pages and API."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.dossiers.models import Dossier
from eiso.feedback import services as feedback_services
from eiso.feedback.tests.factories import make_dossiers
from eiso.objectives import services
from eiso.objectives.formulas import met, period_label, periods, rate
from eiso.objectives.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        yield


def test_rate_met_and_periods():
    assert rate(2, 3) == Decimal("66.7") and rate(0, 0) is None and rate(0, 5) == Decimal("0.0")
    assert met(Decimal("95.0"), "gte", Decimal("95")) is True and met(Decimal("94.9"), "gte", 95) is False
    assert met(Decimal("2"), "lte", 2) is True and met(None, "gte", 1) is None and met(3, "eq", 3) is True
    assert [period_label(p.start, p.end) for p in periods(2026, "half_year")] == ["H1/2026", "H2/2026"]
    assert [period_label(p.start, p.end) for p in periods(2026, "quarter")][1] == "Q2/2026"
    assert period_label(*[(p.start, p.end) for p in periods(2026, "month")][4]) == "05/2026"
    assert period_label(periods(2026, "year")[0].start, periods(2026, "year")[0].end) == "2026"


def _objective(agency, actor, **extra):
    data = {"year": 2026, "title": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 95% trở lên",
            "indicator": "dossier_on_time_rate", "comparator": "gte", "target": Decimal("95"), "frequency": "quarter"}
    return services.objective_create(actor=actor, agency=agency, **{**data, **extra})


def test_on_time_rate_equals_its_formula_and_no_data_means_no_row(agency_a, unit_a, a_secretary):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=4)  # returned 4–7 March
    Dossier.objects.filter(pk=dossiers[0].pk).update(result="late")
    results = list(Dossier.objects.filter(agency=agency_a).values_list("result", flat=True))
    objective = _objective(agency_a, a_secretary)
    assert services.measurements_refresh(actor=a_secretary, objective=objective) == 1
    rows = list(Measurement.objects.filter(objective=objective))
    assert len(rows) == 1  # Q1 has data; Q2 has started but has none: no row, not 0 %
    q1 = rows[0]
    in_time = sum(r in ("early", "on_time") for r in results)
    assert (q1.numerator, q1.denominator) == (in_time, 4)
    assert q1.value == rate(in_time, 4) and q1.met is (q1.value >= 95)
    assert services.measurements_refresh(actor=a_secretary, objective=objective) == 0  # nothing changed


def test_online_and_complaints_and_satisfaction_indicators(agency_a, unit_a, a_secretary, a_staff):
    make_dossiers(agency_a, unit=unit_a, count=2)
    online = _objective(agency_a, a_secretary, indicator="dossier_online_rate", target=Decimal("30"))
    services.measurements_refresh(actor=a_secretary, objective=online)
    row = Measurement.objects.get(objective=online)
    assert (row.numerator, row.denominator, row.value) == (0, 2, Decimal("0.0"))
    complaint = feedback_services.complaint_create(actor=a_staff, agency=agency_a, person="Dân", content="Chậm",
                                                   received_on=datetime.date(2026, 3, 2))
    feedback_services.complaint_answer(actor=a_secretary, complaint=complaint, answer="Đã xử lý", justified=False,
                                       answered_on=datetime.date(2026, 3, 10))
    answered = _objective(agency_a, a_secretary, indicator="complaints_on_time_rate", target=Decimal("100"))
    services.measurements_refresh(actor=a_secretary, objective=answered)
    row = Measurement.objects.get(objective=answered)
    assert (row.numerator, row.denominator, row.value, row.met) == (1, 1, Decimal("100.0"), True)


def test_only_the_head_approves(agency_a, a_secretary, a_head):
    objective = _objective(agency_a, a_secretary)
    with pytest.raises(Forbidden):
        services.objective_approve(actor=a_secretary, objective=objective)
    services.objective_approve(actor=a_head, objective=objective)
    objective.refresh_from_db()
    assert objective.status == "approved" and objective.approved_by == a_head
    with pytest.raises(Conflict):
        services.objective_approve(actor=a_head, objective=objective)


def test_manual_measurement_needs_evidence(agency_a, a_secretary, a_staff):
    objective = _objective(agency_a, a_secretary, indicator="manual", title="100% cán bộ được đào tạo ISO",
                           target=Decimal("100"), frequency="half_year")
    with pytest.raises(ValidationFailed):
        services.measurement_record(actor=a_secretary, objective=objective, period_start=datetime.date(2026, 1, 1),
                                    value=Decimal("90"), evidence=" ")
    with pytest.raises(Forbidden):
        services.measurement_record(actor=a_staff, objective=objective, period_start=datetime.date(2026, 1, 1),
                                    value=Decimal("90"), evidence="Danh sách lớp")
    row = services.measurement_record(actor=a_secretary, objective=objective, period_start=datetime.date(2026, 1, 1),
                                      value=Decimal("90"), evidence="Danh sách lớp tập huấn")
    assert row.period_end == datetime.date(2026, 6, 30) and row.met is False


def test_pages_and_api(client_for, api_for, a_head, a_secretary, agency_a, unit_a, b_head):
    make_dossiers(agency_a, unit=unit_a, count=2)
    created = api_for(a_secretary).post("/api/v1/objectives", {
        "year": 2026, "title": "Đúng hạn 95%", "indicator": "dossier_on_time_rate", "target": "95",
        "procedure_code": "1.004227"}, content_type="application/json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    measurements = api_for(a_head).get(f"/api/v1/objectives/{pk}/measurements").json()
    assert measurements[0]["denominator"] == 2 and measurements[0]["period_start"] == "2026-01-01"
    assert api_for(b_head).get(f"/api/v1/objectives/{pk}/measurements").status_code == 404
    assert [o["id"] for o in api_for(a_head).get("/api/v1/objectives?year=2026").json()["items"]] == [pk]
    for year in ("0", "-1", "99999999999999999999"):  # not a year: refused, not an empty list
        assert api_for(a_head).get(f"/api/v1/objectives?year={year}").status_code in (400, 422), year
    assert client_for(a_head).get("/objectives/").status_code == 200
    page = client_for(a_head).get(f"/objectives/{pk}/").content.decode()
    assert 'data-stats-chart="objective-chart"' in page and f"/objectives/{pk}/approve/" in page
    assert client_for(a_head).post(f"/objectives/{pk}/approve/").status_code == 302
    response = client_for(a_secretary).post("/objectives/new/", {
        "year": 2026, "title": "Hài lòng từ 15 điểm", "indicator": "satisfaction_score", "comparator": "gte",
        "target": "15", "unit_of_measure": "%", "frequency": "year"})
    assert response.status_code == 302


def test_a_units_objective_counts_its_share(agency_a, unit_a, one_stop_a, a_secretary):
    make_dossiers(agency_a, unit=unit_a, count=3)  # procedures owned by unit_a
    own = _objective(agency_a, a_secretary, unit=unit_a)
    other = _objective(agency_a, a_secretary, unit=one_stop_a)
    services.measurements_refresh(actor=a_secretary, objective=own)
    services.measurements_refresh(actor=a_secretary, objective=other)
    assert Measurement.objects.get(objective=own).denominator == 3
    assert not Measurement.objects.filter(objective=other).exists()


def test_word_table_of_the_year(client_for, a_head, a_secretary, agency_a, unit_a, b_head):
    import io

    from docx import Document as Docx

    make_dossiers(agency_a, unit=unit_a, count=2)
    objective = _objective(agency_a, a_secretary, plan_what="Nhắc việc hằng ngày")
    services.measurements_refresh(actor=a_secretary, objective=objective)
    response = client_for(a_head).get(f"/reports/agencies/{agency_a.pk}/objectives.docx?year=2026")
    assert response.status_code == 200
    text = "\n".join(cell.text for table in Docx(io.BytesIO(response.content)).tables for row in table.rows
                     for cell in row.cells)
    assert objective.title in text and "Nhắc việc hằng ngày" in text and "Q1/2026" in text and "(" in text
    assert client_for(b_head).get(f"/reports/agencies/{agency_a.pk}/objectives.docx").status_code == 404


def test_confirmed_figures_are_frozen_and_a_missed_period_becomes_a_nonconformity(agency_a, unit_a, a_secretary,
                                                                                 a_staff, client_for):
    _procedure, dossiers = make_dossiers(agency_a, unit=unit_a, count=2)
    objective = _objective(agency_a, a_secretary, target=Decimal("100"))
    Dossier.objects.filter(pk=dossiers[0].pk).update(result="late")
    services.measurements_refresh(actor=a_secretary, objective=objective)
    q1 = Measurement.objects.get(objective=objective)
    assert q1.value == Decimal("50.0") and q1.met is False
    with pytest.raises(Forbidden):
        services.measurement_confirm(actor=a_staff, measurement=q1)
    services.measurement_confirm(actor=a_secretary, measurement=q1)
    Dossier.objects.filter(pk=dossiers[0].pk).update(result="on_time")  # later data do not change it
    services.measurements_refresh(actor=a_secretary, objective=objective)
    q1.refresh_from_db()
    assert q1.value == Decimal("50.0") and q1.confirmed_on == datetime.date(2026, 5, 4)
    with pytest.raises(Conflict):
        services.measurement_confirm(actor=a_secretary, measurement=q1)
    page = client_for(a_secretary).get(f"/objectives/{objective.pk}/").content.decode()
    assert f"/objectives/measurements/{q1.pk}/nonconformity/" in page
    made = client_for(a_secretary).post(f"/objectives/measurements/{q1.pk}/nonconformity/")
    q1.refresh_from_db()
    assert made.status_code == 302 and q1.nonconformity.source == "objective" and q1.nonconformity.clause == "6.2"
    with pytest.raises(Conflict):
        services.measurement_nonconformity(actor=a_secretary, measurement=q1)


def test_an_open_period_is_neither_confirmed_nor_a_nonconformity(agency_a, unit_a, a_secretary):
    make_dossiers(agency_a, unit=unit_a, count=1, received=datetime.datetime(2026, 4, 6, 9, tzinfo=datetime.UTC))
    objective = _objective(agency_a, a_secretary, target=Decimal("100"))
    services.measurements_refresh(actor=a_secretary, objective=objective)
    q2 = Measurement.objects.get(objective=objective)  # April–June: still open on 4 May
    with pytest.raises(Conflict):
        services.measurement_confirm(actor=a_secretary, measurement=q2)
    with pytest.raises(Conflict):
        services.measurement_nonconformity(actor=a_secretary, measurement=q2)


def test_the_nightly_command_refreshes_computed_objectives(agency_a, unit_a, a_secretary):
    import io

    from django.core.management import call_command

    objective = _objective(agency_a, a_secretary)
    assert not Measurement.objects.filter(objective=objective).exists()
    make_dossiers(agency_a, unit=unit_a, count=2)  # imported after the objective was set
    out = io.StringIO()
    call_command("objectives", "refresh", stdout=out)
    assert Measurement.objects.get(objective=objective).denominator == 2 and "1" in out.getvalue()


def test_coverage_legal_reviews_and_audit_programme(agency_a, unit_a, a_secretary, a_head):
    from eiso.audits import services as audit_services
    from eiso.documents.services import external as external_services
    from eiso.organizations.choices import Role
    from eiso.organizations.tests.factories import make_user
    from eiso.procedures.selectors import admin_procedures_for_user

    procedure, _definition = make_dossiers(agency_a, unit=unit_a, count=1)
    cited = external_services.external_document_create(
        actor=None, agency=agency_a, number="61/2018/NĐ-CP", doc_type="decree", title="Nghị định", issuer="Chính phủ")
    external_services.external_document_cite(actor=None, external=cited, documents=[procedure.process_document])
    external_services.external_document_expire(actor=None, document=cited, expires_on=datetime.date(2026, 1, 15))
    task = cited.review_tasks.get()
    assert task.due_on == datetime.date(2026, 4, 15)
    external_services.review_task_complete(actor=None, task=task, outcome="Không cần sửa")  # on 4 May: late
    programme = audit_services.programme_create(actor=None, agency=agency_a, year=2026, title="Chương trình 2026")
    audit_services.audit_create(actor=None, programme=programme, title="Đánh giá quý I",
                                start_date=datetime.date(2026, 2, 10), end_date=datetime.date(2026, 2, 11),
                                lead_auditor=make_user(agency_a, [Role.AUDITOR], username="auditor_x"),
                                units=[unit_a], clauses=[])

    def measured(indicator):
        objective = _objective(agency_a, a_secretary, indicator=indicator, target=Decimal("100"))
        services.measurements_refresh(actor=a_secretary, objective=objective)
        return {m.period_start.month: (m.numerator, m.denominator) for m in Measurement.objects.filter(
            objective=objective)}

    covered = admin_procedures_for_user(a_head, agency=str(agency_a.pk), coverage="covered", active="1").count()
    published = admin_procedures_for_user(a_head, agency=str(agency_a.pk), active="1").count()
    assert measured("tthc_coverage_rate")[1] == (covered, published)
    assert measured("legal_reviews_on_time_rate") == {4: (0, 1)}  # due in Q2, done after its due date
    assert measured("audit_programme_completion") == {1: (0, 1)}  # planned in Q1, not reported


def test_the_overseer_reads_each_agencys_objectives_met(client_for, overseer, q_overseer, agency_a, unit_a,
                                                        a_secretary):
    make_dossiers(agency_a, unit=unit_a, count=2)
    objective = _objective(agency_a, a_secretary, target=Decimal("50"))
    services.measurements_refresh(actor=a_secretary, objective=objective)
    page = client_for(overseer).get("/objectives/?year=2026").content.decode()
    assert objective.title in page and "1 / 1" in page
    assert objective.title not in client_for(q_overseer).get("/objectives/?year=2026").content.decode()
