"""Importing evaluations (refused whole naming each bad row, idempotent, both shapes, the command)
and the figures computed from them (means, total, grade, per procedure and unit, scope)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.feedback import selectors
from eiso.feedback.calculations import parse_period
from eiso.feedback.imports import satisfaction_import, satisfaction_import_rows
from eiso.feedback.models import SatisfactionEvaluation
from eiso.feedback.services import benchmark_set
from eiso.feedback.tests.factories import make_dossiers

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(agency_a, unit_a):
    return make_dossiers(agency_a, unit=unit_a, count=3)[1]


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_long_file_is_imported_and_figures_follow(agency_a, unit_a, dossiers, a_secretary):
    lines = ["Mã hồ sơ,Chỉ số,Điểm"]
    for d in dossiers:
        lines += [f"{d.code},{i},2" for i in range(1, 10)]
    lines[-1] = f"{dossiers[-1].code},9,0"  # one lower score on indicator 9
    result = satisfaction_import(actor=a_secretary, agency=agency_a, file=_csv("\n".join(lines)), filename="dg.csv")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    figures = selectors.satisfaction_figures(a_secretary, period=parse_period("2026-Q1"))
    assert figures.evaluations == 3
    assert figures.indicators[1] == Decimal("2.00") and figures.indicators[9] == Decimal("1.33")
    assert figures.score == Decimal("17.33") and figures.grade == "excellent"
    # returned two days after receipt (4–6 March): evaluated in March, not in April
    assert selectors.satisfaction_figures(a_secretary, period=parse_period("2026-04")).score is None
    per_unit = selectors.satisfaction_by(a_secretary, "unit", period=parse_period("2026"))
    assert [(f.label, f.evaluations) for f in per_unit] == [(unit_a.name, 3)]


def test_importing_the_same_file_again_changes_nothing(agency_a, dossiers, a_secretary):
    text = "dossier_code,indicator_1,indicator_7\n" + "\n".join(f"{d.code},2,1" for d in dossiers)
    satisfaction_import(actor=a_secretary, agency=agency_a, file=_csv(text), filename="a.csv")
    again = satisfaction_import(actor=a_secretary, agency=agency_a, file=_csv(text), filename="a.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert SatisfactionEvaluation.objects.count() == 3
    # a later file adds the other indicators to the same evaluations
    more = satisfaction_import(actor=a_secretary, agency=agency_a, filename="b.csv",
                               file=_csv(f"dossier_code,indicator,score\n{dossiers[0].code},9,0"))
    assert (more.created, more.updated) == (0, 1)
    assert SatisfactionEvaluation.objects.get(dossier=dossiers[0]).scores() == {
        1: 2, 2: None, 3: None, 4: None, 5: None, 6: None, 7: 1, 8: None, 9: 0}


def test_a_bad_file_is_refused_whole_naming_each_row(agency_a, dossiers, a_secretary):
    text = "\n".join([
        "dossier_code,indicator,score",
        f"{dossiers[0].code},1,2",
        f"{dossiers[0].code},10,2",
        f"{dossiers[1].code},2,3",
        "STP-KHONG-CO,1,1",
        f"{dossiers[2].code},1,2",
        f"{dossiers[2].code},1,0",
    ])
    with pytest.raises(ValidationFailed) as refused:
        satisfaction_import(actor=a_secretary, agency=agency_a, file=_csv(text), filename="x.csv")
    lines = refused.value.errors["file"]
    assert any("3" in line and "indicator" in line for line in lines)
    assert any("4" in line and "score" in line for line in lines)
    assert any("STP-KHONG-CO" in line for line in lines)
    assert any(dossiers[2].code in line for line in lines)
    assert len(lines) == 4
    assert not SatisfactionEvaluation.objects.exists()


def test_another_agencys_dossier_is_unknown(agency_a, agency_b, dossiers, b_head):
    with pytest.raises(ValidationFailed):
        satisfaction_import_rows(actor=b_head, agency=agency_b,
                                 rows=[{"dossier_code": dossiers[0].code, "indicator": 1, "score": 2}])


def test_only_the_secretary_or_head_imports(agency_a, dossiers, a_staff):
    with pytest.raises(Forbidden):
        satisfaction_import_rows(actor=a_staff, agency=agency_a,
                                 rows=[{"dossier_code": dossiers[0].code, "indicator": 1, "score": 2}])


def test_the_command_imports_for_an_agency(agency_a, dossiers, tmp_path):
    path = tmp_path / "danh-gia.csv"
    path.write_text("dossier_code,indicator,score,evaluated_on\n" + "\n".join(
        f"{d.code},7,1,15/01/2026" for d in dossiers), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "satisfaction", str(path), "--agency", agency_a.code, stdout=out)
    assert "3" in out.getvalue()
    assert set(SatisfactionEvaluation.objects.values_list("evaluated_on", flat=True)) == {datetime.date(2026, 1, 15)}


def test_figures_are_scoped(agency_a, dossiers, a_secretary, b_staff, overseer, q_overseer):
    satisfaction_import_rows(actor=a_secretary, agency=agency_a,
                             rows=[{"dossier_code": d.code, "indicator": 1, "score": 2} for d in dossiers])
    year = parse_period("2026")
    assert selectors.satisfaction_figures(b_staff, period=year).evaluations == 0
    assert selectors.satisfaction_figures(q_overseer, period=year).evaluations == 0
    assert selectors.satisfaction_figures(overseer, period=year).evaluations == 3
    rows = selectors.satisfaction_by(overseer, "agency", period=year)
    assert [(r.label, r.score) for r in rows] == [(agency_a.name, Decimal("2.00"))]


def test_series_adds_months_into_quarters(agency_a, unit_a, a_secretary):
    jan5, may4 = (datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC),
                  datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC))
    _procedure, january = make_dossiers(agency_a, unit=unit_a, count=1, prefix="STP-2601", code="1.000001",
                                        document_code="QT-A", received=jan5)
    _procedure, may = make_dossiers(agency_a, unit=unit_a, count=2, prefix="STP-2605", code="1.000002",
                                    document_code="QT-B", received=may4)
    satisfaction_import_rows(actor=a_secretary, agency=agency_a, rows=[
        {"dossier_code": january[0].code, "indicator": 1, "score": 0},
        {"dossier_code": may[0].code, "indicator": 1, "score": 2},
        {"dossier_code": may[1].code, "indicator": 1, "score": 1},
    ])
    series = selectors.satisfaction_series(a_secretary, year=2026, kind="quarter")
    assert [s.score for s in series] == [Decimal("0.00"), Decimal("1.50"), None, None]
    assert [s.evaluations for s in series] == [1, 2, 0, 0]


def test_benchmark_is_set_once_a_year(agency_a, a_secretary):
    benchmark_set(actor=a_secretary, agency=agency_a, year=2025, sipas=Decimal("82.10"))
    benchmark_set(actor=a_secretary, agency=agency_a, year=2025, sipas=Decimal("83.40"), note="QĐ công bố SIPAS")
    assert [(b.year, b.sipas) for b in selectors.benchmarks_for_user(a_secretary)] == [(2025, Decimal("83.40"))]


@pytest.mark.parametrize("odd", ["²", "٣"])
def test_odd_digits_in_a_cell_are_a_row_error(agency_a, dossiers, a_secretary, odd):
    with pytest.raises(ValidationFailed):
        satisfaction_import_rows(actor=a_secretary, agency=agency_a,
                                 rows=[{"dossier_code": dossiers[0].code, "indicator": odd, "score": 2}])
    with pytest.raises(ValidationFailed):
        satisfaction_import_rows(actor=a_secretary, agency=agency_a,
                                 rows=[{"dossier_code": dossiers[0].code, "indicator": 1, "score": odd}])
    assert not SatisfactionEvaluation.objects.exists()
