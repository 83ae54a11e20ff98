"""Download of a conformity announcement's decision (Word): QĐ 19/2014 Appendix I with its list of
the activities covered. The announcement is reached through ``announcement_get_for_user``."""

from django.urls import path

from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.reports.collectors.announcements import collect_announcement
from eiso.reports.layouts.announcement import announcement_docx as render_announcement_docx
from eiso.reports.views import scoped_get
from eiso.rollout.renewal import announcement_get_for_user


@scoped_get(announcement_get_for_user)
def announcement_docx(request, announcement):
    return _attachment(render_announcement_docx(collect_announcement(request.user, announcement)), DOCX_CONTENT_TYPE,
                       filename_for("Quyết định công bố HTQLCL", announcement.number or "dự thảo",
                                    announcement.agency.code, extension="docx"))


urlpatterns = [
    path("announcements/<int:pk>.docx", announcement_docx, name="announcement-docx"),
]
