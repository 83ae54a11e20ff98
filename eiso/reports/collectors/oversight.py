"""The oversight documents' data, read through the oversight selectors (another province's plan
or inspection is a 404) and the one figures selector (``eiso.oversight.figures``)."""

import datetime

from django.urls import reverse

from eiso.oversight.calculations import answer_due, on_site_minimum
from eiso.oversight.choices import POINTS, InspectionStatus, PointResult
from eiso.oversight.figures import AgencyFigures, province_totals
from eiso.oversight.selectors import evidence_for, findings_of, inspections_for_user
from eiso.reports.collectors.common import agency_head, agency_heading, today
from eiso.reports.content import Signer
from eiso.reports.content_oversight import (
    AnnualReportDoc,
    ChecklistLine,
    DecisionDoc,
    FigureLine,
    FindingLine,
    InspectionPlanDoc,
    MinutesDoc,
    PlanLine,
    ProvinceAgencyLine,
    ProvinceReportDoc,
    TeamMember,
    TthcLine,
    TthcReportDoc,
)

RESULTS = {PointResult.MET: "Đạt", PointResult.NOT_MET: "Không đạt", PointResult.NOT_APPLICABLE: "Không áp dụng",
           PointResult.UNCHECKED: "Chưa kiểm tra"}
LIGHTS = {"green": "Phù hợp", "amber": "Chưa đủ dữ liệu", "red": "Chưa phù hợp"}
# The Vietnamese of each point, as the minutes print it (Mẫu 21), whatever the user's language.
POINT_TEXT = {
    "scope": "Phạm vi áp dụng bao gồm toàn bộ thủ tục hành chính của cơ quan",
    "training": "Lãnh đạo, công chức được đào tạo về HTQLCL và TCVN ISO 9001",
    "conformity": "Hệ thống tài liệu phù hợp với TCVN ISO 9001",
    "processes": "Các quy trình được áp dụng trong giải quyết công việc",
    "internal_audit": "Đánh giá nội bộ ít nhất một lần mỗi năm",
    "management_review": "Xem xét của lãnh đạo ít nhất một lần mỗi năm",
    "corrective_action": "Thực hiện hành động khắc phục sự không phù hợp",
    "complaints": "Giải quyết phản ánh, kiến nghị",
    "improvement": "Cải tiến hệ thống quản lý chất lượng",
    "head_confirmation": "Người đứng đầu xác nhận hiệu lực của hệ thống",
    "announcement": "Công bố, niêm yết tại trụ sở và thông báo cho Sở Khoa học và Công nghệ",
    "legal_changes": "Cập nhật thay đổi của văn bản pháp luật trong 03 tháng",
    "renewal": "Công bố lại khi điều chỉnh, mở rộng, thu hẹp phạm vi",
}


def _team(team) -> tuple[TeamMember, ...]:
    return tuple(TeamMember(name=m.get("name", ""), position=m.get("position", ""), role=m.get("role", ""))
                 for m in team or [])


def collect_plan(user, plan) -> InspectionPlanDoc:
    lines = tuple(PlanLine(agency=i.agency.name, month=i.month, on_site=i.on_site,
                           team=", ".join(m.get("name", "") for m in i.team or []))
                  for i in inspections_for_user(user, plan=plan))
    return InspectionPlanDoc(issuer=agency_heading(plan.agency), on=plan.signed_on or today(), number=plan.number,
                             year=plan.year, province=plan.agency.province.name, lines=lines,
                             minimum_on_site=on_site_minimum(len(lines)),
                             signer=Signer(name=plan.signer) if plan.signer else agency_head(user, plan.agency))


def collect_decision(user, inspection) -> DecisionDoc:
    plan = inspection.plan
    return DecisionDoc(issuer=agency_heading(plan.agency), on=inspection.decision_on or today(),
                       number=inspection.decision_number, year=plan.year, plan_number=plan.number,
                       agency=inspection.agency.name, month=inspection.month, on_site=inspection.on_site,
                       team=_team(inspection.team), signer=agency_head(user, plan.agency))


def collect_minutes(user, inspection) -> MinutesDoc:
    evidence = evidence_for(inspection)
    checklist = inspection.checklist or {}
    lines = tuple(ChecklistLine(point=POINT_TEXT.get(p.code, str(p.label)),
                                result=RESULTS.get(checklist.get(p.code, {}).get("result", ""), ""),
                                evidence=evidence.get(p.code, {}).get("text", ""),
                                note=checklist.get(p.code, {}).get("note", "")) for p in POINTS)
    findings = tuple(FindingLine(code=f.nonconformity.code, description=f.nonconformity.description,
                                 due_on=f.nonconformity.respond_by) for f in findings_of(inspection))
    return MinutesDoc(
        issuer=agency_heading(inspection.plan.agency), on=inspection.minutes_on,
        decision_number=inspection.decision_number, decision_on=inspection.decision_on,
        inspected_on=inspection.inspected_on, agency=inspection.agency.name, on_site=inspection.on_site,
        representative=inspection.agency_representative, team=_team(inspection.team), lines=lines,
        conclusion=inspection.conclusion, findings=findings,
        answer_due=answer_due(inspection.minutes_on) if inspection.minutes_on else None,
        draft=inspection.status != InspectionStatus.MINUTES)


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def figure_lines(f: AgencyFigures) -> tuple[FigureLine, ...]:
    """Each figure of an agency with the page (list) it is read from."""
    pk, year = f.agency.pk, f.year
    return (
        FigureLine("Công bố HTQLCL phù hợp TCVN ISO 9001 (ngày ký)",
                   _date(f.announced_on) + (" — phải công bố lại" if f.renewal_due else ""),
                   reverse("rollout:announcement-list") + f"?agency={pk}"),
        FigureLine("TTHC được áp dụng HTQLCL / tổng số TTHC", f"{f.tthc_covered}/{f.tthc_total}",
                   reverse("procedures:adminprocedure-coverage") + f"?agency={pk}"),
        FigureLine("Quy trình nội bộ đang có hiệu lực", str(f.procedures_in_force),
                   reverse("documents:document-list") + f"?agency={pk}&kind=operational_procedure"),
        FigureLine(f"Khóa đào tạo năm {year}; người được đào tạo / số công chức",
                   f"{f.courses}; {f.people_trained}/{f.staff}", reverse("people:training-list") + f"?agency={pk}"),
        FigureLine("Đánh giá nội bộ gần nhất", _date(f.last_internal_audit),
                   reverse("audits:programme-list") + f"?agency={pk}"),
        FigureLine("Xem xét của lãnh đạo gần nhất", _date(f.last_management_review),
                   reverse("reviews:review-list") + f"?agency={pk}"),
        FigureLine("Điểm 5S bình quân năm (%)", "—" if f.fives_score is None else _percent(f.fives_score),
                   reverse("fives:ranking") + f"?agency={pk}"),
        FigureLine(f"Mục tiêu chất lượng năm {year} đạt / đã đặt", f"{f.objectives_met}/{f.objectives_set}",
                   reverse("objectives:objective-list") + f"?year={year}&agency={pk}"),
        FigureLine("Hành động khắc phục đang mở (quá hạn)",
                   f"{f.open_corrective_actions} ({f.overdue_corrective_actions})",
                   reverse("improvements:corrective-action-list") + f"?agency={pk}"),
        FigureLine(f"Hồ sơ giải quyết năm {year}: đúng hạn và trước hạn / tổng số",
                   f"{f.dossiers.in_time}/{f.dossiers.total} ({_percent(f.on_time_rate)})",
                   reverse("dossiers:statistics") + f"?agency={pk}&from={year}-01&to={year}-12"),
        FigureLine("Chỉ số hài lòng (0–18)", "—" if f.satisfaction_score is None else str(f.satisfaction_score),
                   reverse("feedback:satisfaction") + f"?agency={pk}&period={year}"),
        FigureLine("Rà soát thay đổi văn bản pháp luật quá 03 tháng", str(f.legal_reviews_overdue),
                   reverse("documents:reviewtask-list") + f"?agency={pk}&overdue=1"),
    )


def collect_annual(user, figures: AgencyFigures) -> AnnualReportDoc:
    inspections = tuple(
        f"Tháng {i.month}/{i.plan.year}: {i.get_status_display()}"
        + (f", biên bản ngày {_date(i.minutes_on)}, {i.findings_count} điểm không phù hợp" if i.minutes_on else "")
        for i in inspections_for_user(user, agency=str(figures.agency.pk), year=figures.year))
    return AnnualReportDoc(agency=agency_heading(figures.agency), on=today(), year=figures.year,
                           figures=figure_lines(figures), inspections=inspections,
                           signer=agency_head(user, figures.agency))


def collect_province(user, issuer, rows: list[AgencyFigures], year: int) -> ProvinceReportDoc:
    t = province_totals(rows)
    done = [i for i in inspections_for_user(user, year=year) if i.status == InspectionStatus.MINUTES]
    on_site = sum(1 for i in done if i.on_site)
    rate = _percent(100 * t["dossiers_in_time"] / t["dossiers_total"]) if t["dossiers_total"] else "—"
    totals = (
        FigureLine("Số cơ quan áp dụng HTQLCL", str(t["agencies"]), reverse("oversight:overview") + f"?year={year}"),
        FigureLine("Cơ quan đã công bố HTQLCL (phải công bố lại)", f"{t['announced']} ({t['renewal_due']})",
                   reverse("rollout:announcement-list")),
        FigureLine("TTHC được áp dụng / tổng số TTHC", f"{t['tthc_covered']}/{t['tthc_total']}",
                   reverse("procedures:adminprocedure-coverage")),
        FigureLine("Quy trình nội bộ đang có hiệu lực", str(t["procedures_in_force"]), ""),
        FigureLine("Cơ quan đã đánh giá nội bộ trong 12 tháng", str(t["audited"]), ""),
        FigureLine("Cơ quan đã họp xem xét của lãnh đạo trong 12 tháng", str(t["reviewed"]), ""),
        FigureLine("Mục tiêu chất lượng đạt / đã đặt", f"{t['objectives_met']}/{t['objectives_set']}", ""),
        FigureLine("Hành động khắc phục đang mở (quá hạn)",
                   f"{t['open_corrective_actions']} ({t['overdue_corrective_actions']})",
                   reverse("improvements:corrective-action-list")),
        FigureLine("Hồ sơ giải quyết đúng hạn và trước hạn / tổng số", f"{t['dossiers_in_time']}/{t['dossiers_total']}"
                   f" ({rate})", reverse("dossiers:statistics") + f"?from={year}-01&to={year}-12"),
        FigureLine("Cơ quan được kiểm tra (tại chỗ)", f"{len(done)} ({on_site})",
                   reverse("oversight:inspectionplan-list")),
        FigureLine("Cơ quan đáp ứng yêu cầu của QĐ 19/2014", str(t["compliant"]), reverse("oversight:overview")),
    )
    inspected = {i.agency_id: i for i in done}
    lines = tuple(ProvinceAgencyLine(
        agency=r.agency.name, level=r.agency.get_level_display(), tthc=f"{r.tthc_covered}/{r.tthc_total}",
        procedures=r.procedures_in_force, last_audit=_date(r.last_internal_audit),
        objectives=f"{r.objectives_met}/{r.objectives_set}", open_actions=r.open_corrective_actions,
        overdue_actions=r.overdue_corrective_actions, on_time=_percent(r.on_time_rate),
        satisfaction="—" if r.satisfaction_score is None else str(r.satisfaction_score),
        compliance=LIGHTS[r.compliance],
        inspection=_date(inspected[r.agency.pk].minutes_on) if r.agency.pk in inspected else "—") for r in rows)
    return ProvinceReportDoc(
        issuer=agency_heading(issuer), on=today(), year=year, province=issuer.province.name, totals=totals,
        agencies=lines, inspections=tuple((i.agency.name, "Tại chỗ" if i.on_site else "Qua hồ sơ",
                                           _date(i.minutes_on), str(i.findings_count)) for i in done),
        signer=agency_head(user, issuer))


def collect_tthc(user, issuer, rows, *, period_label: str, scope: str) -> TthcReportDoc:
    lines = tuple(TthcLine(field=r.field, carried_over=r.carried_over, online=r.online, direct=r.direct,
                           postal=r.postal, early=r.early, on_time=r.on_time, late=r.late,
                           within_time=r.within_time, overdue=r.overdue) for r in rows)
    return TthcReportDoc(issuer=agency_heading(issuer), on=today(), period=period_label, scope=scope, lines=lines,
                         signer=agency_head(user, issuer))
