from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's blank choice of select lists, missing from Django's own Vietnamese catalogue:
# marked here so that `make messages` keeps it in ours.
BLANK_CHOICE = gettext_noop("- Select an option -")


class CoreConfig(AppConfig):
    name = "eiso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from eiso.core import freshness
        from eiso.core.jobs import import_jobs_mark_interrupted
        from eiso.core.workers import register_sweeper

        freshness.connect()  # cached page figures go stale on any write
        register_sweeper(import_jobs_mark_interrupted)  # import jobs whose worker died
