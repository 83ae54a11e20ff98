"""Downloads of the printed documents: Word, Excel and PDF.

Each view reads through the selectors (another agency's id is a 404), builds the plain data in
``eiso.reports.data`` and hands it to a pure generator. Files are sent as attachments named
``<code> <title>.docx`` (an ASCII fallback plus the UTF-8 name of RFC 5987/6266).
"""

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.views.decorators.http import require_safe

from eiso.core.downloads import attachment_response as _attachment
from eiso.core.downloads import filename_for
from eiso.documents.selectors.records import file_list_get_for_user
from eiso.documents.selectors.revisions import document_get_for_user
from eiso.reports import data, excel, pdf, word


def scoped_get(lookup):
    """For a view taking an id: log in, get the object through ``lookup`` (a ``*_get_for_user``
    selector, so another agency's id is a 404 whatever the method), then refuse all but GET."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def wrapper(request, pk):
            found = lookup(request.user, pk)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            return view(request, found)

        return wrapper

    return decorate


def _params(request, *names: str) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip()[:200] for name in names}


# --- documents -----------------------------------------------------------------------------------------


@login_required
@require_safe
def document_register_docx(request):
    register = data.collect_register(
        request.user, **_params(request, "q", "kind", "unit", "status", "agency")
    )
    return _attachment(
        word.document_register_docx(register),
        word.DOCX_CONTENT_TYPE,
        filename_for("Danh mục tài liệu nội bộ", register.agency.name, extension="docx"),
    )


@login_required
@require_safe
def document_register_xlsx(request):
    register = data.collect_register(
        request.user, **_params(request, "q", "kind", "unit", "status", "agency")
    )
    return _attachment(
        excel.document_register_xlsx(register),
        excel.XLSX_CONTENT_TYPE,
        filename_for("Danh mục tài liệu nội bộ", register.agency.name, extension="xlsx"),
    )


def _procedure(request, document):
    procedure = data.collect_procedure(request.user, document, request.GET.get("revision"))
    return procedure, filename_for(procedure.code, procedure.title, f"(lần {procedure.issue_number})")


@scoped_get(document_get_for_user)
def procedure_docx(request, document):
    procedure, name = _procedure(request, document)
    return _attachment(word.procedure_docx(procedure), word.DOCX_CONTENT_TYPE, f"{name}.docx")


@scoped_get(document_get_for_user)
def procedure_pdf(request, document):
    procedure, name = _procedure(request, document)
    return _attachment(pdf.procedure_pdf(procedure), pdf.PDF_CONTENT_TYPE, f"{name}.pdf")


@scoped_get(document_get_for_user)
def revision_history_docx(request, document):
    history = data.collect_history(request.user, document)
    return _attachment(
        word.revision_history_docx(history),
        word.DOCX_CONTENT_TYPE,
        filename_for("Theo dõi sửa đổi", document.code, document.title, extension="docx"),
    )


# --- records and external documents ----------------------------------------------------------------------


@scoped_get(file_list_get_for_user)
def filelist_docx(request, file_list):
    content = data.collect_filelist(request.user, file_list)
    return _attachment(
        word.filelist_docx(content),
        word.DOCX_CONTENT_TYPE,
        filename_for("Danh mục hồ sơ", str(content.year), content.unit, extension="docx"),
    )


@scoped_get(file_list_get_for_user)
def filelist_xlsx(request, file_list):
    content = data.collect_filelist(request.user, file_list)
    return _attachment(
        excel.filelist_xlsx(content),
        excel.XLSX_CONTENT_TYPE,
        filename_for("Danh mục hồ sơ", str(content.year), content.unit, extension="xlsx"),
    )


@login_required
@require_safe
def disposal_xlsx(request):
    disposal = data.collect_disposal(request.user, **_params(request, "agency", "unit", "q"))
    return _attachment(
        excel.disposal_xlsx(disposal),
        excel.XLSX_CONTENT_TYPE,
        filename_for("Hồ sơ hết hạn bảo quản", disposal.agency.name, extension="xlsx"),
    )


@login_required
@require_safe
def external_register_xlsx(request):
    register = data.collect_external(
        request.user,
        q=request.GET.get("q", "").strip()[:200],
        doc_type=request.GET.get("doc_type", "") or request.GET.get("type", ""),
        status=request.GET.get("status", ""),
        agency=request.GET.get("agency", ""),
    )
    return _attachment(
        excel.external_register_xlsx(register),
        excel.XLSX_CONTENT_TYPE,
        filename_for("Tài liệu có nguồn gốc bên ngoài", register.agency.name, extension="xlsx"),
    )
