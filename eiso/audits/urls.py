from django.urls import path

from eiso.audits import views

app_name = "audits"

urlpatterns = [
    path("audits/", views.programme_list, name="programme-list"),
    path("audits/scope/", views.qms_scope, name="qms-scope"),
    path("audits/editions/", views.edition_list, name="edition-list"),
    path("audits/scope/<int:pk>/delete/", views.clauseexclusion_delete, name="clauseexclusion-delete"),
    path("audits/findings/", views.finding_list, name="finding-list"),
    path("audits/programmes/new/", views.programme_create, name="programme-create"),
    path("audits/programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("audits/programmes/<int:pk>/edit/", views.programme_update, name="programme-update"),
    path("audits/programmes/<int:pk>/entries/new/", views.programme_addentry, name="programme-addentry"),
    path("audits/programmes/<int:pk>/audits/new/", views.programme_newaudit, name="programme-newaudit"),
    path("audits/entries/<int:pk>/delete/", views.programmeentry_delete, name="programmeentry-delete"),
    path("audits/<int:pk>/", views.audit_detail, name="audit-detail"),
    path("audits/<int:pk>/edit/", views.audit_update, name="audit-update"),
    path("audits/<int:pk>/transition/", views.audit_transition, name="audit-transition"),
    path("audits/<int:pk>/findings/new/", views.audit_finding, name="audit-finding"),
    path("audits/<int:pk>/checklist/", views.audit_checklist, name="audit-checklist"),
    path("audits/checklist/<int:pk>/answer/", views.checklistitem_answer, name="checklistitem-answer"),
    path("audits/evidence/<int:pk>/", views.checklistfile_download, name="checklistfile-download"),
]
