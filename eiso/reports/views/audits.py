"""Downloads of an internal audit's plan and report (Word). Audits are reached through
``audit_get_for_user`` (another agency's id is a 404)."""

from django.urls import path

from eiso.audits.selectors import audit_get_for_user
from eiso.core.downloads import DOCX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.reports.collectors.audits import collect_audit
from eiso.reports.layouts.audit_forms import audit_plan_docx, audit_report_docx
from eiso.reports.views import scoped_get


@scoped_get(audit_get_for_user)
def audit_plan(request, audit):
    return _attachment(audit_plan_docx(collect_audit(request.user, audit)), DOCX_CONTENT_TYPE,
                       filename_for("Ke hoach danh gia", audit.code, extension="docx"))


@scoped_get(audit_get_for_user)
def audit_report(request, audit):
    return _attachment(audit_report_docx(collect_audit(request.user, audit)), DOCX_CONTENT_TYPE,
                       filename_for("Bao cao danh gia", audit.code, extension="docx"))


urlpatterns = [
    path("audits/<int:pk>/plan.docx", audit_plan, name="audit-plan"),
    path("audits/<int:pk>/report.docx", audit_report, name="audit-report"),
]
