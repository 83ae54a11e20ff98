"""Levels and online levels of administrative procedures (TTHC)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureLevel(models.TextChoices):
    """Which level of government resolves the TTHC (after the 2025 two-level local government)."""

    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


class OnlineLevel(models.TextChoices):
    """Online public service level: full (the whole process online) or partial."""

    FULL = "full", _("Full online")
    PARTIAL = "partial", _("Partial online")
    NONE = "none", _("Not online")


class DefinitionSource(models.TextChoices):
    MANUAL = "manual", _("Entered")
    IMPORT = "import", _("Imported")
