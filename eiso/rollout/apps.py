from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "eiso.rollout"
    label = "rollout"
    verbose_name = _("QMS rollout")

    def ready(self):
        from eiso.rollout import permissions  # noqa: F401  (registers the rules)
