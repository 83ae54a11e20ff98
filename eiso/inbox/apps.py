from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "eiso.inbox"
    label = "inbox"
    verbose_name = _("My tasks")

    def ready(self):
        from eiso.core.panels import panel_register
        from eiso.inbox.panels import profile_panel

        panel_register("organizations.person", profile_panel)
