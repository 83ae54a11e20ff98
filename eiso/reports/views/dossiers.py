"""Downloads of a dossier's printed forms (process control slip, apology letter) and of the
dossier list as Excel. Dossiers are reached through ``dossier_get_for_user`` (another agency's id
is a 404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from eiso.core.downloads import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    content_disposition,
    filename_for,
)
from eiso.core.downloads import attachment_response as _attachment
from eiso.dossiers.forms import DossierFilterForm
from eiso.dossiers.selectors import dossier_get_for_user
from eiso.dossiers.selectors.lists import TABS
from eiso.reports.collectors.dossiers import collect_apology, collect_slip, dossier_list_rows
from eiso.reports.layouts import dossier_forms as forms
from eiso.reports.layouts.spreadsheets import dossier_list_xlsx as render_dossier_list_xlsx
from eiso.reports.views import scoped_get


@scoped_get(dossier_get_for_user)
def dossier_slip_docx(request, dossier):
    return _attachment(forms.control_slip_docx(collect_slip(request.user, dossier)), DOCX_CONTENT_TYPE,
                       filename_for("Phiếu kiểm soát", dossier.code, extension="docx"))


@scoped_get(dossier_get_for_user)
def dossier_slip_pdf(request, dossier):
    return _attachment(forms.control_slip_pdf(collect_slip(request.user, dossier)), PDF_CONTENT_TYPE,
                       filename_for("Phiếu kiểm soát", dossier.code, extension="pdf"))


@scoped_get(dossier_get_for_user)
def dossier_apology_docx(request, dossier):
    return _attachment(forms.apology_docx(collect_apology(request.user, dossier)), DOCX_CONTENT_TYPE,
                       filename_for("Phiếu xin lỗi", dossier.code, extension="docx"))


@scoped_get(dossier_get_for_user)
def dossier_apology_pdf(request, dossier):
    return _attachment(forms.apology_pdf(collect_apology(request.user, dossier)), PDF_CONTENT_TYPE,
                       filename_for("Phiếu xin lỗi", dossier.code, extension="pdf"))


@login_required
@require_safe
def dossier_list_xlsx(request):
    """The list as filtered on the page (same filters and tab), streamed from the database."""
    filters = DossierFilterForm(request.GET or None, user=request.user)
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    now = timezone.now()
    rows = dossier_list_rows(request.user, now=now, tab=tab, **filters.selector_kwargs())
    spool = render_dossier_list_xlsx(rows, title="Danh sách hồ sơ")
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(
        filename_for("Danh sách hồ sơ", timezone.localdate(now).strftime("%d-%m-%Y"), extension="xlsx"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("dossiers/list.xlsx", dossier_list_xlsx, name="dossier-list-xlsx"),
    path("dossiers/<int:pk>/control-slip.docx", dossier_slip_docx, name="dossier-slip-docx"),
    path("dossiers/<int:pk>/control-slip.pdf", dossier_slip_pdf, name="dossier-slip-pdf"),
    path("dossiers/<int:pk>/apology.docx", dossier_apology_docx, name="dossier-apology-docx"),
    path("dossiers/<int:pk>/apology.pdf", dossier_apology_pdf, name="dossier-apology-pdf"),
]
