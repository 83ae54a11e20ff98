from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "eiso.objectives"
    label = "objectives"
    verbose_name = _("Quality objectives")

    def ready(self):
        from eiso.core.changes import data_changed
        from eiso.objectives import permissions  # noqa: F401  (registers the rules)
        from eiso.objectives.receivers import objectives_data_changed

        # Computed measurements follow their data: an import, a closure… queues a refresh.
        data_changed.connect(objectives_data_changed, dispatch_uid="objectives.refresh")
