"""Statuses of the people area: attendance at a training session, the outcome of a course, the
state of a competence cell and of an action to close a gap."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class CellStatus(models.TextChoices):
    """What the competence matrix says of one person against one requirement."""

    HELD = "held", _("Held")
    EXPIRED = "expired", _("Expired")
    GAP = "gap", _("Not held")


class GapActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
