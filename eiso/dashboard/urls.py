from django.urls import path

from eiso.dashboard import views

urlpatterns = [path("", views.dashboard, name="dashboard")]
