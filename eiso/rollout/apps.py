from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "eiso.rollout"
    label = "rollout"
    verbose_name = _("QMS rollout")

    def ready(self):
        from eiso.core.panels import panel_register
        from eiso.rollout import permissions  # noqa: F401  (registers the rules)
        from eiso.rollout.panels import attention_panel

        panel_register("improvements.attention", attention_panel)
