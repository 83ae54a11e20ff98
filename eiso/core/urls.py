from django.urls import path

from eiso.core import views

app_name = "core"

urlpatterns = [
    path("imports/<int:pk>/", views.importjob_detail, name="importjob-detail"),
    path("imports/<int:pk>/retry/", views.importjob_retry, name="importjob-retry"),
]
