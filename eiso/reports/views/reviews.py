"""Download of a management review's minutes (Word). The review is reached through
``review_get_for_user`` (another agency's id is a 404)."""

from django.urls import path

from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.reports.collectors.reviews import collect_minutes
from eiso.reports.layouts.review_minutes import minutes_docx
from eiso.reports.views import scoped_get
from eiso.reviews.selectors import review_get_for_user


@scoped_get(review_get_for_user)
def review_minutes_docx(request, review):
    return _attachment(minutes_docx(collect_minutes(request.user, review)), DOCX_CONTENT_TYPE,
                       filename_for("Biên bản họp xem xét của lãnh đạo", review.meeting_on.strftime("%d-%m-%Y"),
                                    review.agency.code, extension="docx"))


urlpatterns = [
    path("reviews/<int:pk>/minutes.docx", review_minutes_docx, name="review-minutes-docx"),
]
