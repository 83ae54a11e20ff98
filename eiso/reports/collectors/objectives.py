"""An agency's quality objectives of a year with their measurements, as the Word table prints
them. Objectives come from ``objectives_for_user`` (scoped)."""

from decimal import Decimal

from eiso.objectives.choices import Comparator, Frequency, IndicatorCode
from eiso.objectives.formulas import period_label
from eiso.objectives.selectors import objectives_for_user
from eiso.reports.collectors.common import agency_head, agency_heading, today
from eiso.reports.content import ObjectiveRow, ObjectivesTable

COMPARATORS = dict(Comparator.choices)
FREQUENCIES = {Frequency.MONTH: "Hằng tháng", Frequency.QUARTER: "Hằng quý", Frequency.HALF_YEAR: "6 tháng",
               Frequency.YEAR: "Hằng năm"}
INDICATORS = {
    IndicatorCode.DOSSIER_ON_TIME_RATE: "Tỷ lệ hồ sơ giải quyết đúng hạn",
    IndicatorCode.DOSSIER_ONLINE_RATE: "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
    IndicatorCode.CORRECTIVE_ACTIONS_ON_TIME_RATE: "Tỷ lệ hành động khắc phục hoàn thành đúng hạn",
    IndicatorCode.SATISFACTION_SCORE: "Điểm hài lòng của người dân (0–18)",
    IndicatorCode.COMPLAINTS_ON_TIME_RATE: "Tỷ lệ phản ánh được trả lời đúng hạn",
    IndicatorCode.MANUAL: "Nhập kèm bằng chứng",
}


def number(value: Decimal) -> str:
    """A figure the Vietnamese way: 76,9 (no trailing zeros)."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def collect_objectives(user, agency, year: int) -> ObjectivesTable:
    rows = []
    for o in objectives_for_user(user, year=year, agency=str(agency.pk)):
        measured = list(o.measurements.all())
        results = []
        for m in measured:
            counts = f" ({m.numerator}/{m.denominator})" if m.denominator is not None else ""
            results.append(f"{period_label(m.period_start, m.period_end)}: {number(m.value)} {o.unit_of_measure}"
                           f"{counts} — {'đạt' if m.met else 'không đạt'}")
        verdict = "Chưa có số liệu" if not measured else ("Đạt" if measured[-1].met else "Không đạt")
        rows.append(ObjectiveRow(
            title=o.title, indicator=INDICATORS.get(o.indicator, o.indicator) + (
                f" ({o.admin_procedure.code})" if o.admin_procedure_id else ""),
            target=f"{COMPARATORS.get(o.comparator, '')} {number(o.target)} {o.unit_of_measure}".strip(),
            frequency=FREQUENCIES.get(o.frequency, o.frequency), plan_what=o.plan_what, plan_who=o.plan_who,
            plan_when=o.plan_when, plan_resources=o.plan_resources, results=tuple(results), verdict=verdict))
    return ObjectivesTable(agency=agency_heading(agency), year=year, on=today(), rows=tuple(rows),
                           signer=agency_head(user, agency))
