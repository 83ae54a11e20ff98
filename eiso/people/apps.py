from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "eiso.people"
    label = "people"
    verbose_name = _("Training and competence")

    def ready(self):
        from eiso.core.advisories import advisory_register
        from eiso.core.panels import panel_register
        from eiso.people import permissions  # noqa: F401  (registers the rules)
        from eiso.people.panels import audit_team_panel
        from eiso.people.selectors import auditor_advisories

        advisory_register("audits.team", auditor_advisories)
        panel_register("audits.team", audit_team_panel)
