from django.urls import path  # noqa: F401

from eiso.dossiers.views import dossiers, imports
from eiso.dossiers.views import settings as settings_views
from eiso.dossiers.views import statistics as statistics_views

app_name = "dossiers"

urlpatterns = [*imports.urlpatterns, *settings_views.urlpatterns, *statistics_views.urlpatterns, *dossiers.urlpatterns]
