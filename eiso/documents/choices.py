"""Kinds and statuses of documented information, and the allowed moves between statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Quality policy")
    OBJECTIVES = "objectives", _("Quality objectives")
    MANUAL = "manual", _("Quality manual")
    SYSTEM_PROCEDURE = "system_procedure", _("System procedure")
    OPERATIONAL_PROCEDURE = "operational_procedure", _("Operational procedure")
    FORM = "form", _("Form")
    GUIDELINE = "guideline", _("Guideline")
    JOB_DESCRIPTION = "job_description", _("Job description")
    PLAN = "plan", _("Plan")
    OTHER = "other", pgettext_lazy("document kind", "Other")


PROCEDURE_KINDS = (DocumentKind.SYSTEM_PROCEDURE, DocumentKind.OPERATIONAL_PROCEDURE)


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    REVIEWED = "reviewed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RevisionAction(models.TextChoices):
    """What a person (or the system) does to a revision; each is one row of its history."""

    CREATE = "create", _("drafted")
    SUBMIT = "submit", _("sent for review")
    REVIEW = "review", _("reviewed")
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned for changes")
    ACTIVATE = "activate", _("took effect")
    SUPERSEDE = "supersede", _("superseded")
    WITHDRAW = "withdraw", _("withdrawn")


# action → (statuses it may start from, status it leads to). Enforced by one service
# (revision_transition); anything else is refused with a Conflict.
REVISION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    RevisionAction.SUBMIT: (frozenset({RevisionStatus.DRAFT}), RevisionStatus.IN_REVIEW),
    RevisionAction.REVIEW: (frozenset({RevisionStatus.IN_REVIEW}), RevisionStatus.REVIEWED),
    RevisionAction.APPROVE: (frozenset({RevisionStatus.REVIEWED}), RevisionStatus.APPROVED),
    RevisionAction.RETURN: (frozenset({RevisionStatus.IN_REVIEW, RevisionStatus.REVIEWED, RevisionStatus.APPROVED}),
                            RevisionStatus.DRAFT),
    RevisionAction.ACTIVATE: (frozenset({RevisionStatus.APPROVED}), RevisionStatus.EFFECTIVE),
    RevisionAction.SUPERSEDE: (frozenset({RevisionStatus.EFFECTIVE}), RevisionStatus.SUPERSEDED),
    RevisionAction.WITHDRAW: (
        frozenset({RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.REVIEWED,
                   RevisionStatus.APPROVED, RevisionStatus.EFFECTIVE}),
        RevisionStatus.WITHDRAWN,
    ),
}

# A revision in the works (one per document at a time): drafted, in review, reviewed or approved.
OPEN_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.REVIEWED, RevisionStatus.APPROVED)
# Waiting for a person's decision: the reviewer (in review) or the approver (reviewed).
AWAITING_DECISION = {RevisionStatus.IN_REVIEW: RevisionAction.REVIEW, RevisionStatus.REVIEWED: RevisionAction.APPROVE}

# Content and files can be edited only in these statuses.
EDITABLE_STATUSES = frozenset({RevisionStatus.DRAFT})
OBSOLETE_STATUSES = frozenset({RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN})


class ChangeRequestKind(models.TextChoices):
    ISSUE = "issue", _("Issue a new document")
    AMEND = "amend", _("Amend a document")
    WITHDRAW = "withdraw", _("Withdraw a document")


class ChangeRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExternalDocumentType(models.TextChoices):
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    CIRCULAR = "circular", _("Circular")
    DECISION = "decision", _("Decision")
    RESOLUTION = "resolution", _("Resolution")
    STANDARD = "standard", _("Standard")
    OTHER = "other", _("Other")


class ExternalDocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    PARTLY_AMENDED = "partly_amended", _("Partly amended")
    EXPIRED = "expired", _("Expired")
    NOT_YET = "not_yet", _("Not yet in force")


NO_LONGER_IN_FORCE = frozenset({ExternalDocumentStatus.EXPIRED})


class ReviewReason(models.TextChoices):
    REPLACED = "replaced", _("Cited document replaced")
    EXPIRED = "expired", _("Cited document expired")
    AMENDED = "amended", _("Cited document amended")


class ReviewTaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
