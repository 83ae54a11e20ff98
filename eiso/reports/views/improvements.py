"""Download of a corrective action request (Word). Actions are reached through
``corrective_action_get_for_user`` (another agency's id is a 404)."""

from django.urls import path

from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.improvements.selectors import corrective_action_get_for_user
from eiso.reports.collectors.improvements import collect_corrective_action
from eiso.reports.layouts.corrective_action import corrective_action_docx as render_corrective_action_docx
from eiso.reports.views import scoped_get


@scoped_get(corrective_action_get_for_user)
def corrective_action_docx(request, action):
    return _attachment(render_corrective_action_docx(collect_corrective_action(request.user, action)),
                       DOCX_CONTENT_TYPE,
                       filename_for("Phiếu yêu cầu HĐKP", action.nonconformity.code, extension="docx"))


urlpatterns = [
    path("corrective-actions/<int:pk>/request.docx", corrective_action_docx, name="corrective-action-docx"),
]
