from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "eiso.oversight"
    label = "oversight"
    verbose_name = _("Provincial oversight")

    def ready(self):
        from eiso.oversight import permissions  # noqa: F401  (registers the rules)
