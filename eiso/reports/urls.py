"""Downloads of printed documents. Other areas link to these names; keep them stable."""

from django.urls import path

from eiso.reports import dossier_views, views

app_name = "reports"

urlpatterns = [
    path("documents/register.docx", views.document_register_docx, name="document-register-docx"),
    path("documents/register.xlsx", views.document_register_xlsx, name="document-register-xlsx"),
    path("documents/<int:pk>/procedure.docx", views.procedure_docx, name="procedure-docx"),
    path("documents/<int:pk>/procedure.pdf", views.procedure_pdf, name="procedure-pdf"),
    path(
        "documents/<int:pk>/revision-history.docx", views.revision_history_docx, name="revision-history-docx"
    ),
    path("file-lists/<int:pk>/file-list.docx", views.filelist_docx, name="filelist-docx"),
    path("file-lists/<int:pk>/file-list.xlsx", views.filelist_xlsx, name="filelist-xlsx"),
    path("records/disposal.xlsx", views.disposal_xlsx, name="disposal-xlsx"),
    path("external-documents/register.xlsx", views.external_register_xlsx, name="external-register-xlsx"),
    path("dossiers/list.xlsx", dossier_views.dossier_list_xlsx, name="dossier-list-xlsx"),
    path("dossiers/<int:pk>/control-slip.docx", dossier_views.dossier_slip_docx, name="dossier-slip-docx"),
    path("dossiers/<int:pk>/control-slip.pdf", dossier_views.dossier_slip_pdf, name="dossier-slip-pdf"),
    path("dossiers/<int:pk>/apology.docx", dossier_views.dossier_apology_docx, name="dossier-apology-docx"),
    path("dossiers/<int:pk>/apology.pdf", dossier_views.dossier_apology_pdf, name="dossier-apology-pdf"),
]
