from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "eiso.improvements"
    label = "improvements"
    verbose_name = _("Nonconformities, corrective actions and risks")

    def ready(self):
        from eiso.core.panels import panel_register
        from eiso.improvements import permissions  # noqa: F401  (registers the rules)
        from eiso.improvements.panels import findings_panel, late_step_panel

        panel_register("audits.findings", findings_panel)
        panel_register("dossiers.statistics.step", late_step_panel)
