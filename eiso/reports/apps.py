from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Word, Excel and PDF output. Reads every app (through their selectors); imported by none."""

    name = "eiso.reports"
    label = "reports"
    verbose_name = _("Reports")
