"""URLs of nonconformities, corrective actions, risks and what needs attention."""

from django.urls import path

from eiso.improvements import views

app_name = "improvements"

urlpatterns = [
    path("improvements/", views.attention, name="attention"),
    path("nonconformities/", views.nonconformity_list, name="nonconformity-list"),
    path("nonconformities/new/", views.nonconformity_create, name="nonconformity-create"),
    path("nonconformities/from-late-step/", views.nonconformity_from_late_step, name="nonconformity-from-late-step"),
    path("nonconformities/from-finding/<int:pk>/", views.finding_nonconformity, name="finding-nonconformity"),
    path("nonconformities/<int:pk>/", views.nonconformity_detail, name="nonconformity-detail"),
    path("nonconformities/<int:pk>/corrective-action/", views.nonconformity_respond, name="nonconformity-respond"),
    path("corrective-actions/", views.corrective_action_list, name="corrective-action-list"),
    path("corrective-actions/<int:pk>/", views.corrective_action_detail, name="corrective-action-detail"),
    path("corrective-actions/<int:pk>/edit/", views.corrective_action_update, name="corrective-action-update"),
    path("corrective-actions/<int:pk>/implement/", views.corrective_action_implement,
         name="corrective-action-implement"),
    path("corrective-actions/<int:pk>/verify/", views.corrective_action_verify, name="corrective-action-verify"),
    path("corrective-actions/<int:pk>/close/", views.corrective_action_close, name="corrective-action-close"),
    path("risks/", views.risk_list, name="risk-list"),
    path("risks/new/", views.risk_create, name="risk-create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", views.risk_update, name="risk-update"),
]
