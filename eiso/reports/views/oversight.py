"""Downloads of provincial oversight: the inspection plan, decision and minutes (Word), the
province overview (Excel), an agency's yearly QMS report and the province's report to the
Ministry (Word). Everything is read through the oversight selectors (another province's plan,
inspection or agency is a 404)."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from eiso.core.downloads import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.core.errors import Forbidden, NotFound, ValidationFailed
from eiso.core.selectors import get_or_404
from eiso.feedback.calculations import parse_period
from eiso.organizations.choices import AgencyLevel
from eiso.oversight.figures import agency_figures, overview_agencies, tthc_report
from eiso.oversight.selectors import inspection_get_for_user, plan_get_for_user
from eiso.oversight.views_overview import overview_rows, year_of
from eiso.reports.collectors import oversight as collect
from eiso.reports.excel import table_workbook
from eiso.reports.layouts import oversight as layout
from eiso.reports.views import scoped_get


@scoped_get(plan_get_for_user)
def inspectionplan_docx(request, plan):
    return _attachment(layout.plan_docx(collect.collect_plan(request.user, plan)), DOCX_CONTENT_TYPE,
                       filename_for("Kế hoạch kiểm tra ISO", str(plan.year), extension="docx"))


@scoped_get(inspection_get_for_user)
def inspection_decision_docx(request, inspection):
    return _attachment(layout.decision_docx(collect.collect_decision(request.user, inspection)), DOCX_CONTENT_TYPE,
                       filename_for("Quyết định kiểm tra", inspection.agency.code, extension="docx"))


@scoped_get(inspection_get_for_user)
def inspection_minutes_docx(request, inspection):
    return _attachment(layout.minutes_docx(collect.collect_minutes(request.user, inspection)), DOCX_CONTENT_TYPE,
                       filename_for("Biên bản kiểm tra", inspection.agency.code, extension="docx"))


@login_required
@require_GET
def overview_xlsx(request):
    user = request.user
    get = request.GET
    year = year_of(get.get("year", ""))
    rows = overview_rows(user, year=year, level=get.get("level", "") if get.get("level", "") in AgencyLevel.values
                         else "", status=get.get("status", "active"), q=get.get("q", "")[:100],
                         light=get.get("light", ""), sort=get.get("sort", "name"))
    lights = collect.LIGHTS
    content = table_workbook(
        sheet_title=f"Tổng hợp {year}", title=f"Tình hình áp dụng HTQLCL năm {year}",
        agency=user.agency.name if user.agency else "",
        headers=["Cơ quan", "Cấp", "Đánh giá", "Ngày công bố", "Phải công bố lại", "TTHC áp dụng", "Tổng số TTHC",
                 "Quy trình hiệu lực",
                 "Đánh giá nội bộ gần nhất", "Xem xét của lãnh đạo gần nhất", "Mục tiêu đạt", "Mục tiêu đã đặt",
                 "HĐKP đang mở", "HĐKP quá hạn", "Hồ sơ đúng hạn và trước hạn", "Hồ sơ đã giải quyết",
                 "Tỷ lệ đúng hạn (%)", "Chỉ số hài lòng", "Điểm 5S (%)", "Rà soát văn bản quá hạn", "Sáp nhập vào"],
        widths=[40, 18, 16, 14, 12, 12, 12, 12, 16, 16, 10, 10, 10, 10, 14, 14, 12, 12, 12, 12, 30],
        rows=[(r.agency.name, r.agency.get_level_display(), lights[r.compliance], r.announced_on,
               "Có" if r.renewal_due else "", r.tthc_covered, r.tthc_total,
               r.procedures_in_force, r.last_internal_audit, r.last_management_review, r.objectives_met,
               r.objectives_set, r.open_corrective_actions, r.overdue_corrective_actions, r.dossiers.in_time,
               r.dossiers.total, round(r.on_time_rate, 1) if r.on_time_rate is not None else None,
               float(r.satisfaction_score) if r.satisfaction_score is not None else None, r.fives_score,
               r.legal_reviews_overdue, ", ".join(s.name for s in r.successors)) for r in rows],
        centered=range(2, 20), dates=[3, 8, 9])
    return _attachment(content, XLSX_CONTENT_TYPE, filename_for("Tổng hợp HTQLCL", str(year), extension="xlsx"))


def _annual(request, pk):
    user = request.user
    agency = get_or_404(overview_agencies(user, status="all"), pk)
    year = year_of(request.GET.get("year", ""))
    figures = agency_figures(overview_agencies(user, status="all").filter(pk=agency.pk), year=year)
    if not figures:
        raise NotFound()
    return collect.collect_annual(user, figures[0]), ("Báo cáo HTQLCL năm", str(year), agency.code)


@login_required
@require_GET
def annual_report_docx(request, pk):
    data, name = _annual(request, pk)
    return _attachment(layout.annual_report_docx(data), DOCX_CONTENT_TYPE, filename_for(*name, extension="docx"))


@login_required
@require_GET
def annual_report_xlsx(request, pk):
    data, name = _annual(request, pk)
    return _attachment(layout.annual_report_xlsx(data), XLSX_CONTENT_TYPE, filename_for(*name, extension="xlsx"))


def _province(request):
    user = request.user
    if not user.has_perm("oversight.view_overview") or user.agency is None:
        raise Forbidden()
    year = year_of(request.GET.get("year", ""))
    rows = agency_figures(overview_agencies(user), year=year)
    return collect.collect_province(user, user.agency, rows, year), ("Báo cáo tỉnh HTQLCL năm", str(year))


@login_required
@require_GET
def province_report_docx(request):
    data, name = _province(request)
    return _attachment(layout.province_report_docx(data), DOCX_CONTENT_TYPE, filename_for(*name, extension="docx"))


@login_required
@require_GET
def province_report_xlsx(request):
    data, name = _province(request)
    return _attachment(layout.province_report_xlsx(data), XLSX_CONTENT_TYPE, filename_for(*name, extension="xlsx"))


def _tthc(request):
    """The 06a report's data: one agency (``?agency=``, an id it may read) or every agency of the
    overview; the period ``?period=`` (2026, 2026-Q2 or 2026-05; default: this year)."""
    user = request.user
    try:
        period = parse_period(request.GET.get("period", "") or str(year_of("")))
    except ValueError:
        raise ValidationFailed(_("Give the period as 2026, 2026-Q2 or 2026-05."),
                               errors={"period": [_("Give the period as 2026, 2026-Q2 or 2026-05.")]}) from None
    agencies = overview_agencies(user, status="all")
    agency_param = request.GET.get("agency", "")
    if agency_param:
        agency = get_or_404(agencies, agency_param)
        issuer, ids, scope = agency, [agency.pk], agency.name
    else:
        if user.agency is None:
            raise Forbidden()
        issuer, ids = user.agency, list(agencies.values_list("pk", flat=True))
        scope = user.agency.province.name if len(ids) > 1 else user.agency.name
    rows = tthc_report(ids, start=period.start, end=period.end)
    return collect.collect_tthc(user, issuer, rows, period_label=period.label, scope=scope), period


@login_required
@require_GET
def tthc_report_docx(request):
    data, period = _tthc(request)
    return _attachment(layout.tthc_report_docx(data), DOCX_CONTENT_TYPE,
                       filename_for("Báo cáo giải quyết TTHC", period.key, extension="docx"))


@login_required
@require_GET
def tthc_report_xlsx(request):
    data, period = _tthc(request)
    content = table_workbook(
        sheet_title=f"06a {period.key}", title=f"Tình hình giải quyết TTHC kỳ {data.period} ({data.scope})",
        agency=data.issuer.name,
        headers=["Lĩnh vực", "Tổng số tiếp nhận", "Kỳ trước chuyển qua", "Trực tuyến", "Trực tiếp", "Bưu chính",
                 "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết", "Trong hạn",
                 "Quá hạn (đang giải quyết)"],
        widths=[36] + [12] * 12,
        rows=[(r.field, r.received, r.carried_over, r.online, r.direct, r.postal, r.resolved, r.early, r.on_time,
               r.late, r.in_progress, r.within_time, r.overdue) for r in data.lines],
        centered=range(1, 13))
    return _attachment(content, XLSX_CONTENT_TYPE, filename_for("Báo cáo giải quyết TTHC", period.key,
                                                                extension="xlsx"))


urlpatterns = [
    path("oversight/tthc-report.docx", tthc_report_docx, name="tthc-report-docx"),
    path("oversight/tthc-report.xlsx", tthc_report_xlsx, name="tthc-report-xlsx"),
    path("oversight/plans/<int:pk>/plan.docx", inspectionplan_docx, name="inspectionplan-docx"),
    path("oversight/inspections/<int:pk>/decision.docx", inspection_decision_docx,
         name="oversightinspection-decision-docx"),
    path("oversight/inspections/<int:pk>/minutes.docx", inspection_minutes_docx,
         name="oversightinspection-minutes-docx"),
    path("oversight/overview.xlsx", overview_xlsx, name="oversight-xlsx"),
    path("oversight/agencies/<int:pk>/annual-report.docx", annual_report_docx, name="annual-report-docx"),
    path("oversight/agencies/<int:pk>/annual-report.xlsx", annual_report_xlsx, name="annual-report-xlsx"),
    path("oversight/province-report.docx", province_report_docx, name="province-report-docx"),
    path("oversight/province-report.xlsx", province_report_xlsx, name="province-report-xlsx"),
]
