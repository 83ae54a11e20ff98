"""Download of an agency's quality objectives of a year (Word). The agency is reached through
``agency_get_for_user`` (another province's id is a 404); the year is ``?year=`` (default: this year)."""

from django.urls import path
from django.utils import timezone

from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.core.text import parse_year
from eiso.organizations.selectors import agency_get_for_user
from eiso.reports.collectors.objectives import collect_objectives
from eiso.reports.layouts.objectives import objectives_docx as render_objectives_docx
from eiso.reports.views import scoped_get


@scoped_get(agency_get_for_user)
def objectives_docx(request, agency):
    year = request.GET.get("year", "")
    year = parse_year(year) or timezone.localdate().year
    return _attachment(render_objectives_docx(collect_objectives(request.user, agency, year)), DOCX_CONTENT_TYPE,
                       filename_for("Mục tiêu chất lượng năm", str(year), agency.code, extension="docx"))


urlpatterns = [
    path("agencies/<int:pk>/objectives.docx", objectives_docx, name="objectives-docx"),
]
