"""Sources and statuses of nonconformities, and the allowed moves between statuses; kinds and
levels of risks and opportunities."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NonconformitySource(models.TextChoices):
    AUDIT = "audit", _("Internal audit")
    LATE_DOSSIER = "late_dossier", _("Late dossiers")
    COMPLAINT = "complaint", _("Citizen complaint")
    INSPECTION = "inspection", _("Inspection")
    STAFF = "staff", _("Staff report")
    OBJECTIVE = "objective", _("Quality objective missed")
    FIVES = "fives", _("5S inspection")
    MANAGEMENT_REVIEW = "management_review", _("Management review")


class NonconformityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTION_PLANNED = "action_planned", _("Action planned")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED_EFFECTIVE = "verified_effective", _("Verified effective")
    CLOSED = "closed", _("Closed")


class NonconformityAction(models.TextChoices):
    """What a person does to a nonconformity; each is one row of its audit trail."""

    PLAN = "plan", _("corrective action planned")
    IMPLEMENT = "implement", _("action implemented")
    VERIFY_EFFECTIVE = "verify_effective", _("verified effective")
    VERIFY_INEFFECTIVE = "verify_ineffective", _("verified not effective, reopened")
    CLOSE = "close", pgettext_lazy("action", "closed")


S = NonconformityStatus
# action → (statuses it may start from, status it leads to). Enforced by one service
# (nonconformity_transition); anything else is refused with a Conflict.
NONCONFORMITY_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    NonconformityAction.PLAN: (frozenset({S.OPEN}), S.ACTION_PLANNED),
    NonconformityAction.IMPLEMENT: (frozenset({S.ACTION_PLANNED}), S.IMPLEMENTED),
    NonconformityAction.VERIFY_EFFECTIVE: (frozenset({S.IMPLEMENTED}), S.VERIFIED_EFFECTIVE),
    NonconformityAction.VERIFY_INEFFECTIVE: (frozenset({S.IMPLEMENTED}), S.ACTION_PLANNED),
    NonconformityAction.CLOSE: (frozenset({S.VERIFIED_EFFECTIVE}), S.CLOSED),
}

# Why a move is refused, by action (shown to the user and answered with 409 by the API).
REFUSALS = {
    NonconformityAction.PLAN: _("A corrective action can only be planned for an open nonconformity."),
    NonconformityAction.IMPLEMENT: _("Only a planned action can be recorded as implemented."),
    NonconformityAction.VERIFY_EFFECTIVE: _("Only an implemented action can be verified."),
    NonconformityAction.VERIFY_INEFFECTIVE: _("Only an implemented action can be verified."),
    NonconformityAction.CLOSE: _(
        "The corrective action cannot be closed before a verification has found it effective."),
}

# The plan (correction, root cause, owner, due date) can be edited in these statuses.
PLAN_EDITABLE = frozenset({S.ACTION_PLANNED})
# Statuses in which an action is still being carried out (it can be overdue).
IN_PROGRESS = frozenset({S.ACTION_PLANNED})
NOT_CLOSED = frozenset({S.OPEN, S.ACTION_PLANNED, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE})


class RootCauseMethod(models.TextChoices):
    FIVE_WHY = "five_why", _("5 whys")
    FREE_TEXT = "free_text", _("Free text")


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", _("Action past due")
    VERIFICATION = "verification", _("Verification due")
