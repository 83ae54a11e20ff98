from django.urls import path

from eiso.inbox import views

app_name = "inbox"
urlpatterns = [
    path("my-tasks/", views.inbox, name="inbox"),
    path("my-tasks/settings/", views.inbox_settings, name="settings"),
]
