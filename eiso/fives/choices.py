"""The five S, the kinds of area and the statuses of a 5S inspection."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class S(models.TextChoices):
    """The five S in their order (Sàng lọc, Sắp xếp, Sạch sẽ, Săn sóc, Sẵn sàng)."""

    SORT = "sort", _("Sort")
    SET_IN_ORDER = "set_in_order", _("Set in order")
    SHINE = "shine", _("Shine")
    STANDARDIZE = "standardize", _("Standardize")
    SUSTAIN = "sustain", _("Sustain")


S_ORDER = {value: i for i, value in enumerate(S.values)}


class AreaKind(models.TextChoices):
    OFFICE = "office", _("Office")
    ARCHIVE = "archive", _("Archive")
    ONE_STOP = "one_stop", _("One-stop desk")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    OTHER = "other", _("Other area")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class RewardKind(models.TextChoices):
    REWARD = "reward", _("Reward")
    RECOGNITION = "recognition", _("Recognition")
    REMINDER = "reminder", _("Reminder to improve")
