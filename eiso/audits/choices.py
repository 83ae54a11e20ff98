"""Kinds and statuses of internal audits, and the allowed moves between statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")


class AuditAction(models.TextChoices):
    START = "start", _("Start the audit")
    REPORT = "report", _("Issue the report")
    CLOSE = "close", _("Close the audit")
    REOPEN = "reopen", _("Reopen the audit")


# action → (statuses it may start from, status it leads to). Enforced by one service
# (audit_transition); anything else is refused with a Conflict.
AUDIT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    AuditAction.START: (frozenset({AuditStatus.PLANNED}), AuditStatus.IN_PROGRESS),
    AuditAction.REPORT: (frozenset({AuditStatus.IN_PROGRESS}), AuditStatus.REPORTED),
    AuditAction.CLOSE: (frozenset({AuditStatus.REPORTED}), AuditStatus.CLOSED),
    AuditAction.REOPEN: (frozenset({AuditStatus.REPORTED}), AuditStatus.IN_PROGRESS),
}

# Scope, dates and team can be changed only while planned; the checklist and findings only in progress.
PLANNING_STATUSES = frozenset({AuditStatus.PLANNED})
FIELDWORK_STATUSES = frozenset({AuditStatus.IN_PROGRESS})


class TeamRole(models.TextChoices):
    AUDITOR = "auditor", _("Auditor")
    TRAINEE = "trainee", _("Trainee auditor")
    EXPERT = "expert", _("Technical expert")


class FindingKind(models.TextChoices):
    MAJOR_NC = "major_nc", _("Major nonconformity")
    MINOR_NC = "minor_nc", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    OPPORTUNITY = "opportunity", _("Opportunity for improvement")


# Findings that require a corrective action request (improvements app).
NONCONFORMITY_KINDS = frozenset({FindingKind.MAJOR_NC, FindingKind.MINOR_NC})


class ChecklistAnswer(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Not checked")
    CONFORM = "conform", _("Conform")
    NONCONFORM = "nonconform", _("Nonconform")
    OBSERVATION = "observation", _("Observation")


class Importance(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class PastResult(models.TextChoices):
    NEW = "new", _("Not audited yet")
    GOOD = "good", _("No nonconformity last time")
    MINOR = "minor", _("Minor nonconformities last time")
    MAJOR = "major", _("Major nonconformities last time")
