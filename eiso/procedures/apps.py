import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "eiso.procedures"
    label = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        from eiso.procedures import permissions  # noqa: F401  (registers the rules)
        from eiso.procedures.imports import COMMAND

        # `eiso import procedures FILE`: the documents app owns the command and must not import
        # later apps, so each later app adds its register to the command's HANDLERS.
        importlib.import_module("eiso.documents.management.commands.import").HANDLERS.setdefault(
            "procedures", COMMAND)
