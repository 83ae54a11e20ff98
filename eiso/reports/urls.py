"""Downloads of printed documents, under /reports/. Other areas link to these names; keep them
stable. Each area's view module owns its own patterns."""

from eiso.reports.views import (
    announcements,
    audits,
    documents,
    dossiers,
    fives,
    improvements,
    objectives,
    oversight,
    people,
    reviews,
    rollout,
)

app_name = "reports"

urlpatterns = [*documents.urlpatterns, *dossiers.urlpatterns, *audits.urlpatterns, *improvements.urlpatterns,
               *objectives.urlpatterns, *fives.urlpatterns, *oversight.urlpatterns, *reviews.urlpatterns,
               *rollout.urlpatterns, *people.urlpatterns, *announcements.urlpatterns]
