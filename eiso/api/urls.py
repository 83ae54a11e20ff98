from django.urls import path

from eiso.api.api import api

urlpatterns = [path("", api.urls)]
