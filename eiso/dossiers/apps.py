from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "eiso.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from eiso.dossiers import permissions  # noqa: F401  (registers the rules)
        from eiso.dossiers.import_command import register

        register()  # `eiso import dossiers FILE`
