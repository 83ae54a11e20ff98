"""Downloads of 5S (Word): an inspection sheet, reached through ``inspection_get_for_user``, and
a quarter's ranking of an agency (``agency_get_for_user``; ``?period=YYYY-Qn``, default this
quarter). Another agency's id is a 404."""

from django.urls import path
from django.utils import timezone

from eiso.core.downloads import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.fives import scoring
from eiso.fives.selectors import inspection_get_for_user
from eiso.organizations.selectors import agency_get_for_user
from eiso.reports.collectors.fives import collect_inspection, collect_ranking
from eiso.reports.layouts.fives import fives_inspection_docx as render_inspection
from eiso.reports.layouts.fives import fives_ranking_docx as render_ranking
from eiso.reports.layouts.fives import fives_ranking_xlsx as render_ranking_xlsx
from eiso.reports.views import scoped_get


@scoped_get(inspection_get_for_user)
def fives_inspection_docx(request, inspection):
    return _attachment(render_inspection(collect_inspection(request.user, inspection)), DOCX_CONTENT_TYPE,
                       filename_for("Phiếu đánh giá 5S", inspection.area.name, f"{inspection.day:%d-%m-%Y}",
                                    extension="docx"))


@scoped_get(agency_get_for_user)
def fives_ranking_docx(request, agency):
    period = scoring.parse_period(request.GET.get("period", "")) or scoring.period_of(timezone.localdate())
    return _attachment(render_ranking(collect_ranking(request.user, agency, period)), DOCX_CONTENT_TYPE,
                       filename_for("Xếp hạng 5S", period.code, agency.code, extension="docx"))


@scoped_get(agency_get_for_user)
def fives_ranking_xlsx(request, agency):
    period = scoring.parse_period(request.GET.get("period", "")) or scoring.period_of(timezone.localdate())
    return _attachment(render_ranking_xlsx(collect_ranking(request.user, agency, period)), XLSX_CONTENT_TYPE,
                       filename_for("Xếp hạng 5S", period.code, agency.code, extension="xlsx"))


urlpatterns = [
    path("fives/inspections/<int:pk>.docx", fives_inspection_docx, name="fives-inspection-docx"),
    path("agencies/<int:pk>/fives-ranking.docx", fives_ranking_docx, name="fives-ranking-docx"),
    path("agencies/<int:pk>/fives-ranking.xlsx", fives_ranking_xlsx, name="fives-ranking-xlsx"),
]
