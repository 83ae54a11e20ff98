from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "eiso.feedback"
    label = "feedback"
    verbose_name = _("Citizen satisfaction and complaints")

    def ready(self):
        from eiso.core.panels import panel_register
        from eiso.feedback import permissions  # noqa: F401  (registers the rules)
        from eiso.feedback.import_command import register
        from eiso.feedback.panels import attention_panel

        register()  # `eiso import satisfaction FILE --agency CODE`
        panel_register("improvements.attention", attention_panel)
