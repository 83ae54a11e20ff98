from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "eiso.organizations"
    label = "organizations"
    verbose_name = _("Organisation")

    def ready(self):
        # Registers the rules permissions (rules' autodiscovery only looks for rules.py).
        from eiso.organizations import permissions  # noqa: F401
