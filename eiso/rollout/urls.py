"""URLs of the rollout app: the rollout plan, its registry and gap survey (views.plan); the
conformity announcements and editions add their own modules' patterns here."""

from eiso.rollout.views import announcements, editions, plan, registry, survey

app_name = "rollout"

urlpatterns = [
    *plan.urlpatterns,
    *registry.urlpatterns,
    *survey.urlpatterns,
    *announcements.urlpatterns,
    *editions.urlpatterns,
]
