from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "eiso.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from eiso.core.workers import register_sweeper
        from eiso.dossiers import permissions  # noqa: F401  (registers the rules)
        from eiso.dossiers.import_command import register
        from eiso.dossiers.services.imports import dossier_imports_mark_interrupted
        from eiso.dossiers.services.recording.keys import dossier_foreign_keys_recover

        register()  # `eiso import dossiers FILE`
        register_sweeper(dossier_imports_mark_interrupted)  # imports whose worker died
        register_sweeper(dossier_foreign_keys_recover)  # the foreign keys a first large import that died dropped
