"""URLs of documented information; each area's view module owns its own patterns."""

from eiso.documents.views import external, records, revisions, search

app_name = "documents"

urlpatterns = [*revisions.urlpatterns, *external.urlpatterns, *records.urlpatterns, *search.urlpatterns]
