"""Download of a rollout's monthly progress report to the steering committee (Word). The rollout
is reached through ``rollout_get_for_user`` (another agency's id is a 404); the month is
``?month=yyyy-mm`` or ``mm/yyyy`` (default: this month)."""

from django.urls import path

from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.reports.collectors.common import today
from eiso.reports.collectors.rollout import collect_rollout_report, parse_month
from eiso.reports.layouts.rollout import rollout_report_docx as render_rollout_report
from eiso.reports.views import scoped_get
from eiso.rollout.selectors import rollout_get_for_user


@scoped_get(rollout_get_for_user)
def rollout_report_docx(request, rollout):
    year, month = parse_month(request.GET.get("month", "")[:20], today())
    data = collect_rollout_report(request.user, rollout, year, month)
    return _attachment(render_rollout_report(data), DOCX_CONTENT_TYPE,
                       filename_for("Báo cáo tiến độ ISO tháng", f"{month:02d}-{year}", rollout.agency.code,
                                    extension="docx"))


urlpatterns = [
    path("rollouts/<int:pk>/monthly-report.docx", rollout_report_docx, name="rollout-report"),
]
