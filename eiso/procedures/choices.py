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


class Coverage(models.TextChoices):
    """Whether a TTHC is resolved under an effective operational procedure with a process
    (DOMAIN.md §4: every published TTHC must map to one)."""

    COVERED = "covered", _("Covered")
    NO_PROCEDURE = "no_procedure", _("No operational procedure")
    NOT_EFFECTIVE = "not_effective", _("Procedure not in force")
    NO_PROCESS = "no_process", _("Procedure without a process")


GAP_STATUSES = (Coverage.NO_PROCEDURE, Coverage.NOT_EFFECTIVE, Coverage.NO_PROCESS)
