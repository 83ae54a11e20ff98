"""URLs of citizen satisfaction and complaints."""

from django.urls import path

from eiso.feedback.views import complaints, satisfaction

app_name = "feedback"

urlpatterns = [
    path("satisfaction/", satisfaction.satisfaction, name="satisfaction"),
    path("satisfaction/import/", satisfaction.satisfaction_import_view, name="satisfaction-import"),
    path("satisfaction/sipas/", satisfaction.benchmark_set, name="benchmark-set"),
    path("complaints/", complaints.complaint_list, name="complaint-list"),
    path("complaints/new/", complaints.complaint_create, name="complaint-create"),
    path("complaints/settings/", complaints.feedback_settings_update, name="settings-update"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/answer/", complaints.complaint_answer, name="complaint-answer"),
    path("complaints/<int:pk>/reject/", complaints.complaint_reject, name="complaint-reject"),
    path("complaints/<int:pk>/assign/", complaints.complaint_assign, name="complaint-assign"),
    path("complaints/<int:pk>/nonconformity/", complaints.complaint_nonconformity, name="complaint-nonconformity"),
]
