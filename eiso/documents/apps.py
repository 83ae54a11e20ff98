from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "eiso.documents"
    label = "documents"
    verbose_name = _("Documented information")

    def ready(self):
        from eiso.documents import (
            jobs,
            permissions,  # noqa: F401  (registers the rules)
        )
        from eiso.documents.import_command import register

        register()  # `eiso import external-documents FILE --agency CODE`
        jobs.register()  # the upload page's import, run by the task worker
