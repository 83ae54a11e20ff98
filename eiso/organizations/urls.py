"""URLs of the organisation area; each area's view module owns its own patterns."""

from eiso.organizations.views import (
    agencies,
    audit_trail,
    calendar,
    committees,
    job_descriptions,
    people,
    sessions,
    units,
)

app_name = "organizations"

urlpatterns = [
    *agencies.urlpatterns,
    *units.urlpatterns,
    *people.urlpatterns,
    *job_descriptions.urlpatterns,
    *committees.urlpatterns,
    *audit_trail.urlpatterns,
    *calendar.urlpatterns,
    *sessions.urlpatterns,
]
