from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "eiso.reviews"
    label = "reviews"
    verbose_name = _("Management review")

    def ready(self):
        from eiso.reviews import permissions  # noqa: F401  (registers the rules)
