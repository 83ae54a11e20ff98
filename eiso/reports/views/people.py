"""Downloads of training documents (Word): an agency's training plan of a year (``?year=``,
default this year; the agency through ``agency_get_for_user``) and the attendance list of a
session (through ``session_get_for_user``: another agency's id is a 404)."""

from django.urls import path
from django.utils import timezone

from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.core.text import parse_year
from eiso.organizations.selectors import agency_get_for_user
from eiso.people.selectors import session_get_for_user
from eiso.reports.collectors.people import collect_attendance, collect_training_plan
from eiso.reports.layouts.people import attendance_docx, training_plan_docx
from eiso.reports.views import scoped_get


@scoped_get(agency_get_for_user)
def training_plan(request, agency):
    year = request.GET.get("year", "")
    year = parse_year(year) or timezone.localdate().year
    return _attachment(training_plan_docx(collect_training_plan(request.user, agency, year)), DOCX_CONTENT_TYPE,
                       filename_for("Kế hoạch đào tạo năm", str(year), agency.code, extension="docx"))


@scoped_get(session_get_for_user)
def session_attendance(request, session):
    return _attachment(attendance_docx(collect_attendance(request.user, session)), DOCX_CONTENT_TYPE,
                       filename_for("Danh sách học viên", session.course.title[:80], f"{session.date:%d-%m-%Y}",
                                    extension="docx"))


urlpatterns = [
    path("agencies/<int:pk>/training-plan.docx", training_plan, name="training-plan-docx"),
    path("training-sessions/<int:pk>/attendance.docx", session_attendance, name="session-attendance-docx"),
]
