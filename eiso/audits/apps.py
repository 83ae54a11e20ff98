from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "eiso.audits"
    label = "audits"
    verbose_name = _("Internal audits")

    def ready(self):
        from eiso.audits import permissions  # noqa: F401  (registers the rules)
