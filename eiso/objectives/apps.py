from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "eiso.objectives"
    label = "objectives"
    verbose_name = _("Quality objectives")

    def ready(self):
        from eiso.objectives import permissions  # noqa: F401  (registers the rules)
