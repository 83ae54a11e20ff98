"""Statuses of a management review and of its outputs, their allowed moves, and the kinds of
output (ISO 9001 9.3.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    IN_MEETING = "in_meeting", _("In meeting (inputs frozen)")
    AWAITING_APPROVAL = "awaiting_approval", _("Minutes awaiting approval")
    APPROVED = "approved", _("Approved")


class ReviewAction(models.TextChoices):
    START = "start", _("Start the meeting")
    CLOSE = "close", _("Close the meeting")
    APPROVE = "approve", _("Approve the minutes")


S = ReviewStatus
# action → (statuses it may start from, status it leads to)
REVIEW_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ReviewAction.START: (frozenset({S.PREPARING}), S.IN_MEETING),
    ReviewAction.CLOSE: (frozenset({S.IN_MEETING}), S.AWAITING_APPROVAL),
    ReviewAction.APPROVE: (frozenset({S.AWAITING_APPROVAL}), S.APPROVED),
}
# A review counts as held once its meeting has started.
HELD = frozenset({S.IN_MEETING, S.AWAITING_APPROVAL, S.APPROVED})
# Outputs are recorded during the meeting (and while the minutes are drafted, before approval).
OUTPUTS_EDITABLE = frozenset({S.PREPARING, S.IN_MEETING})


class OutputKind(models.TextChoices):
    """The three kinds of decision ISO 9001 9.3.3 asks the review to take."""

    IMPROVEMENT = "improvement", _("Opportunity for improvement")
    QMS_CHANGE = "qms_change", _("Change to the quality management system")
    RESOURCES = "resources", _("Resource need")


class OutputStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_OUTPUTS = frozenset({OutputStatus.OPEN, OutputStatus.IN_PROGRESS})

# The interval between two reviews QĐ 19/2014 asks for: at least once a year.
MAX_MONTHS_BETWEEN_REVIEWS = 12
