"""Downloads of documented information: the internal document register (Word, Excel), a
procedure (Word, PDF) and its revision history, a unit's file list, the files past retention and
the external document register."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_safe

from eiso.core.downloads import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, filename_for
from eiso.core.downloads import attachment_response as _attachment
from eiso.documents.selectors.records import file_list_get_for_user
from eiso.documents.selectors.revisions import document_get_for_user
from eiso.reports.collectors import documents as collect
from eiso.reports.layouts import registers, spreadsheets
from eiso.reports.layouts.procedure_docx import procedure_docx as render_procedure_docx
from eiso.reports.layouts.procedure_pdf import procedure_pdf as render_procedure_pdf
from eiso.reports.views import query_params, scoped_get


@login_required
@require_safe
def document_register_docx(request):
    register = collect.collect_register(
        request.user, **query_params(request, "q", "kind", "unit", "status", "agency")
    )
    return _attachment(
        registers.document_register_docx(register),
        DOCX_CONTENT_TYPE,
        filename_for("Danh mục tài liệu nội bộ", register.agency.name, extension="docx"),
    )


@login_required
@require_safe
def document_register_xlsx(request):
    register = collect.collect_register(
        request.user, **query_params(request, "q", "kind", "unit", "status", "agency")
    )
    return _attachment(
        spreadsheets.document_register_xlsx(register),
        XLSX_CONTENT_TYPE,
        filename_for("Danh mục tài liệu nội bộ", register.agency.name, extension="xlsx"),
    )


def _procedure(request, document):
    procedure = collect.collect_procedure(request.user, document, request.GET.get("revision"))
    return procedure, filename_for(procedure.code, procedure.title, f"(lần {procedure.issue_number})")


@scoped_get(document_get_for_user)
def procedure_docx(request, document):
    procedure, name = _procedure(request, document)
    return _attachment(render_procedure_docx(procedure), DOCX_CONTENT_TYPE, f"{name}.docx")


@scoped_get(document_get_for_user)
def procedure_pdf(request, document):
    procedure, name = _procedure(request, document)
    return _attachment(render_procedure_pdf(procedure), PDF_CONTENT_TYPE, f"{name}.pdf")


@scoped_get(document_get_for_user)
def revision_history_docx(request, document):
    history = collect.collect_history(request.user, document)
    return _attachment(
        registers.revision_history_docx(history),
        DOCX_CONTENT_TYPE,
        filename_for("Theo dõi sửa đổi", document.code, document.title, extension="docx"),
    )


# --- records and external documents ----------------------------------------------------------------------


@scoped_get(file_list_get_for_user)
def filelist_docx(request, file_list):
    content = collect.collect_filelist(request.user, file_list)
    return _attachment(
        registers.filelist_docx(content),
        DOCX_CONTENT_TYPE,
        filename_for("Danh mục hồ sơ", str(content.year), content.unit, extension="docx"),
    )


@scoped_get(file_list_get_for_user)
def filelist_xlsx(request, file_list):
    content = collect.collect_filelist(request.user, file_list)
    return _attachment(
        spreadsheets.filelist_xlsx(content),
        XLSX_CONTENT_TYPE,
        filename_for("Danh mục hồ sơ", str(content.year), content.unit, extension="xlsx"),
    )


@login_required
@require_safe
def disposal_xlsx(request):
    disposal = collect.collect_disposal(request.user, **query_params(request, "agency", "unit", "q"))
    return _attachment(
        spreadsheets.disposal_xlsx(disposal),
        XLSX_CONTENT_TYPE,
        filename_for("Hồ sơ hết hạn bảo quản", disposal.agency.name, extension="xlsx"),
    )


@login_required
@require_safe
def external_register_xlsx(request):
    register = collect.collect_external(
        request.user,
        q=request.GET.get("q", "").strip()[:200],
        doc_type=request.GET.get("doc_type", "") or request.GET.get("type", ""),
        status=request.GET.get("status", ""),
        agency=request.GET.get("agency", ""),
    )
    return _attachment(
        spreadsheets.external_register_xlsx(register),
        XLSX_CONTENT_TYPE,
        filename_for("Tài liệu có nguồn gốc bên ngoài", register.agency.name, extension="xlsx"),
    )


urlpatterns = [
    path("documents/register.docx", document_register_docx, name="document-register-docx"),
    path("documents/register.xlsx", document_register_xlsx, name="document-register-xlsx"),
    path("documents/<int:pk>/procedure.docx", procedure_docx, name="procedure-docx"),
    path("documents/<int:pk>/procedure.pdf", procedure_pdf, name="procedure-pdf"),
    path("documents/<int:pk>/revision-history.docx", revision_history_docx, name="revision-history-docx"),
    path("file-lists/<int:pk>/file-list.docx", filelist_docx, name="filelist-docx"),
    path("file-lists/<int:pk>/file-list.xlsx", filelist_xlsx, name="filelist-xlsx"),
    path("records/disposal.xlsx", disposal_xlsx, name="disposal-xlsx"),
    path("external-documents/register.xlsx", external_register_xlsx, name="external-register-xlsx"),
]
