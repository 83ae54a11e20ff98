"""Pages of the internal document register, revisions and their workflow (to be built)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request, pk=None):
    return HttpResponse(status=501)


urlpatterns = [
    path("documents/", _todo, name="document-list"),
    path("documents/<int:pk>/", _todo, name="document-detail"),
    path("revisions/<int:pk>/", _todo, name="revision-detail"),
]
