from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FivesConfig(AppConfig):
    name = "eiso.fives"
    label = "fives"
    verbose_name = _("5S")

    def ready(self):
        from eiso.core.panels import panel_register
        from eiso.fives import permissions  # noqa: F401  (registers the rules)
        from eiso.fives.panels import attention_panel

        panel_register("improvements.attention", attention_panel)
