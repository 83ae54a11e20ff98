"""5S (Sàng lọc, Sắp xếp, Sạch sẽ, Săn sóc, Sẵn sàng): an agency's programme of a year, the areas
of its units, the checklist grouped by S with points per item, the inspections of an area with
one answer per item (and a photo of what failed), and the rewards given per quarter."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.fives.choices import AreaKind, InspectionStatus, RewardKind, S


class FivesProgramme(models.Model):
    """An agency's 5S programme of a year: its goals and the plan of its inspections."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="fives_programmes")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    title = models.CharField(_("title"), max_length=300)
    goals = models.TextField(_("goals"), blank=True)
    frequency = models.CharField(_("inspection frequency"), max_length=200, blank=True,
                                 help_text=_("For example: each area once a quarter, unannounced."))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("5S programme")
        verbose_name_plural = _("5S programmes")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="fives_programme_once_a_year")]

    def __str__(self):
        return self.title


class FivesArea(models.Model):
    """A place a unit keeps in order: an office, an archive, the one-stop desk…"""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="fives_areas")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="fives_areas")
    name = models.CharField(_("area"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices, default=AreaKind.OFFICE)
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("Building, floor, room."))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("5S area")
        verbose_name_plural = _("5S areas")
        ordering = ["unit__name", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="fives_area_name_once_a_unit")]

    def __str__(self):
        return self.name


class FivesItem(models.Model):
    """One line of the 5S checklist. The shipped default set has no agency; an agency that edits
    its checklist gets its own copy of the set (copy on edit) and uses it from then on."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="fives_items")
    s = models.CharField(_("S"), max_length=20, choices=S.choices)
    text = models.CharField(_("item"), max_length=400)
    points = models.PositiveSmallIntegerField(_("points"), default=5,
                                              validators=[MinValueValidator(1), MaxValueValidator(100)])
    graded = models.BooleanField(_("scored from 0 to its points"), default=False,
                                 help_text=_("Otherwise the item is passed (all its points) or failed (none)."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("5S checklist item")
        verbose_name_plural = _("5S checklist items")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class Inspection(models.Model):
    """A scheduled inspection of one area by an inspector; once done it holds one answer per item
    of the checklist in use that day, and its score."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="fives_inspections")
    programme = models.ForeignKey(FivesProgramme, verbose_name=_("5S programme"), on_delete=models.PROTECT,
                                  related_name="inspections")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="fives_inspections")
    area = models.ForeignKey(FivesArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="inspections")
    planned_on = models.DateField(_("date"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="fives_inspections")
    status = models.CharField(_("status"), max_length=10, choices=InspectionStatus.choices,
                              default=InspectionStatus.PLANNED)
    done_on = models.DateField(_("inspected on"), null=True, blank=True)
    note = models.TextField(_("remarks"), blank=True)
    points_max = models.PositiveIntegerField(_("points possible"), null=True, blank=True)
    points_scored = models.PositiveIntegerField(_("points scored"), null=True, blank=True)
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("5S inspection")
        verbose_name_plural = _("5S inspections")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["agency", "status", "done_on"], name="fives_insp_agency_done_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100)
                                              | models.Q(percent__isnull=True), name="fives_percent_0_100")]

    def __str__(self):
        return f"{self.area} {self.planned_on:%d/%m/%Y}"

    @property
    def day(self):
        """The day it counts for: when it was done, else when it is planned."""
        return self.done_on or self.planned_on


def photo_path(instance, filename: str) -> str:
    """Stored under a generated name; the original name is kept in the row, not on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"fives/{instance.inspection.agency_id}/{uuid.uuid4().hex}{suffix}"


class Answer(models.Model):
    """The answer to one checklist item in an inspection. The item's S, text and points are copied
    in, so that a later edit of the checklist never changes a past score."""

    scope = Scope(agency="inspection__agency", unit="inspection__unit", inspection="inspection")

    inspection = models.ForeignKey(Inspection, verbose_name=_("5S inspection"), on_delete=models.CASCADE,
                                   related_name="answers")
    item = models.ForeignKey(FivesItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers")
    s = models.CharField(_("S"), max_length=20, choices=S.choices)
    text = models.CharField(_("item"), max_length=400)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    points = models.PositiveSmallIntegerField(_("points"))
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=300, blank=True)
    photo_name = models.CharField(_("file name"), max_length=255, blank=True)
    photo_type = models.CharField(_("type"), max_length=10, blank=True)
    photo_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    nonconformity = models.OneToOneField("improvements.Nonconformity", verbose_name=_("nonconformity"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="fives_answer")

    class Meta:
        verbose_name = _("5S answer")
        verbose_name_plural = _("5S answers")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="fives_answer_once_an_item"),
            models.CheckConstraint(condition=models.Q(score__lte=models.F("points")), name="fives_score_le_points"),
        ]

    def __str__(self):
        return self.text


class Reward(models.Model):
    """A reward, a recognition or a reminder given to a unit for a quarter's 5S results."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="fives_rewards")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="fives_rewards")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    kind = models.CharField(_("kind"), max_length=20, choices=RewardKind.choices, default=RewardKind.REWARD)
    title = models.CharField(_("title"), max_length=300, help_text=_("For example: certificate of merit, bonus."))
    decision = models.CharField(_("decision"), max_length=200, blank=True,
                                help_text=_("Number and date of the decision, if any."))
    given_on = models.DateField(_("given on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("5S reward")
        verbose_name_plural = _("5S rewards")
        ordering = ["-year", "-quarter", "id"]

    def __str__(self):
        return self.title
