"""Management reviews (họp xem xét của lãnh đạo, ISO 9001 9.3): the meeting, the inputs the
system compiled for it (frozen as a snapshot when the meeting starts) and its outputs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.reviews.choices import OutputKind, OutputStatus, ReviewStatus


class ManagementReview(models.Model):
    scope = Scope(agency="agency")
    TEXT_LIMITS = {"participants": 4000, "resources_note": 8000, "providers_note": 8000, "conclusions": 20000}

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="management_reviews")
    meeting_on = models.DateField(_("meeting date"))
    period_start = models.DateField(_("inputs from"),
                                    help_text=_("The inputs cover the data from this day to the meeting date "
                                                "(by default: the day after the last review)."))
    location = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    participants = models.TextField(_("participants"), blank=True, help_text=_("One person per line."))
    resources_note = models.TextField(_("adequacy of resources"), blank=True)
    providers_note = models.TextField(_("consultant and other external providers"), blank=True)
    conclusions = models.TextField(_("conclusions of the meeting"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices,
                              default=ReviewStatus.PREPARING)
    inputs = models.JSONField(_("inputs"), null=True, blank=True, editable=False,
                              help_text=_("Compiled and frozen when the meeting starts."))
    frozen_at = models.DateTimeField(_("inputs frozen at"), null=True, blank=True, editable=False)
    no_action_needed = models.BooleanField(_("no action needed"), default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-meeting_on", "-id"]
        indexes = [models.Index(fields=["agency", "meeting_on"], name="review_agency_date_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("meeting_on")),
                                   name="review_period_before_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting_on:%d/%m/%Y}"


class ReviewOutput(models.Model):
    """A decision of the review (9.3.3): an improvement, a change to the QMS or a resource need,
    with its owner, due date and status."""

    scope = Scope(agency="review__agency")
    TEXT_LIMITS = {"description": 4000, "note": 4000}

    review = models.ForeignKey(ManagementReview, verbose_name=_("management review"), on_delete=models.CASCADE,
                               related_name="outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    description = models.TextField(_("decision"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="review_outputs")
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=OutputStatus.choices, default=OutputStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    nonconformity = models.OneToOneField("improvements.Nonconformity", verbose_name=_("nonconformity"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="review_output")
    objective = models.OneToOneField("objectives.QualityObjective", verbose_name=_("quality objective"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="review_output")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("review output")
        verbose_name_plural = _("review outputs")
        ordering = ["id"]

    def __str__(self):
        return self.description[:80]

    @property
    def agency_id(self):
        """The review's agency: the audit trail files an output's events under it."""
        return self.review.agency_id
