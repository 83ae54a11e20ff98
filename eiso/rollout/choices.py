"""Statuses of a rollout, its phases, its procedure registry and its gap survey, with the moves
the registry allows; the default phases of a new rollout."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RolloutStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("rollout", "In progress")
    COMPLETED = "completed", pgettext_lazy("rollout", "Completed")


class PhaseStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("phase", "In progress")
    DONE = "done", pgettext_lazy("phase", "Done")


class ItemStatus(models.TextChoices):
    """Where a procedure of the registry (danh mục quy trình) stands."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", pgettext_lazy("registry item", "In review")
    ISSUED = "issued", pgettext_lazy("registry item", "Issued")


# not started → drafting → in review → issued; a draft sent back from review returns to drafting.
ITEM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ItemStatus.NOT_STARTED: (ItemStatus.DRAFTING,),
    ItemStatus.DRAFTING: (ItemStatus.IN_REVIEW, ItemStatus.NOT_STARTED),
    ItemStatus.IN_REVIEW: (ItemStatus.ISSUED, ItemStatus.DRAFTING),
    ItemStatus.ISSUED: (),
}

PHASE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PhaseStatus.PLANNED: (PhaseStatus.IN_PROGRESS,),
    PhaseStatus.IN_PROGRESS: (PhaseStatus.DONE, PhaseStatus.PLANNED),
    PhaseStatus.DONE: (PhaseStatus.IN_PROGRESS,),
}


class GapResult(models.TextChoices):
    UNASSESSED = "unassessed", _("Not assessed")
    CONFORM = "conform", _("Conforms")
    PARTLY = "partly", _("Partly conforms")
    NOT = "not", _("Does not conform")


# The five phases of a rollout (DOMAIN.md §7; QĐ 101/QĐ-BKHCN 2019), as the default a new plan starts
# from; each rollout keeps its own rows, which its secretary renames, dates, adds or removes.
DEFAULT_PHASES = (
    _("Preparation and gap survey"),
    _("Documentation"),
    _("Implementation and training"),
    _("Internal audit and management review"),
    _("Conformity announcement"),
)


# --- the conformity announcement and the move between ISO 9001 editions ------------------------------

class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("announcement", "Draft")
    ISSUED = "issued", pgettext_lazy("announcement", "Issued")
    SUPERSEDED = "superseded", pgettext_lazy("announcement", "Superseded")


class RenewalReason(models.TextChoices):
    """Why a new conformity announcement is due (DOMAIN.md §7)."""

    NOT_ANNOUNCED = "not_announced", _("Never announced")
    PROCEDURE_ADDED = "procedure_added", _("TTHC added to the catalogue")
    PROCEDURE_REMOVED = "procedure_removed", _("TTHC removed from the catalogue")
    AGENCY_RENAMED = "agency_renamed", _("Agency renamed")
    AGENCY_MERGED = "agency_merged", _("Agencies merged into this one")
    EDITION_CHANGED = "edition_changed", _("ISO 9001 edition changed")


class TransitionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("transition", "In progress")
    COMPLETED = "completed", pgettext_lazy("transition", "Completed")
