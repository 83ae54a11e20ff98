from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "eiso.procedures"
    label = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        from eiso.procedures import (
            jobs,
            permissions,  # noqa: F401  (registers the rules)
        )
        from eiso.procedures.import_command import register

        register()  # `eiso import procedures FILE`
        jobs.register()  # the upload page's import, run by the task worker
