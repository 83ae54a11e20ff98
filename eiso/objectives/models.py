"""Quality objectives (mục tiêu chất lượng) per year, for an agency or one of its units, each
measured by an indicator against a target; their measurements per period."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.objectives.choices import Comparator, Frequency, IndicatorCode, ObjectiveStatus


class QualityObjective(models.Model):
    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="quality_objectives")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="quality_objectives")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    title = models.CharField(_("objective"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=40, choices=IndicatorCode.choices)
    comparator = models.CharField(_("comparator"), max_length=3, choices=Comparator.choices, default=Comparator.GTE)
    target = models.DecimalField(_("target"), max_digits=9, decimal_places=2)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=30, default="%")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTER)
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        help_text=_("Only for the on-time rate: one procedure instead of all."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="quality_objectives")
    plan_what = models.TextField(_("what will be done"), blank=True)
    plan_who = models.CharField(_("who does it"), max_length=300, blank=True)
    plan_when = models.CharField(_("when"), max_length=200, blank=True)
    plan_resources = models.CharField(_("resources"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ObjectiveStatus.choices,
                              default=ObjectiveStatus.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["agency", "year"], name="objective_agency_year_idx")]

    def __str__(self):
        return self.title


def evidence_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"objectives/{instance.objective.agency_id}/{uuid.uuid4().hex}{suffix}"


class Measurement(models.Model):
    """The value of an objective's indicator over one period, with what it was computed from."""

    scope = Scope(agency="objective__agency", unit="objective__unit")

    objective = models.ForeignKey(QualityObjective, verbose_name=_("quality objective"), on_delete=models.CASCADE,
                                  related_name="measurements")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=2)
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    met = models.BooleanField(_("met"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True,
                                    help_text=_("Once the period has closed and the figure is confirmed, it no "
                                                "longer changes."))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    nonconformity = models.OneToOneField("improvements.Nonconformity", verbose_name=_("nonconformity"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="objective_measurement")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["objective", "period_start"], name="measurement_once_a_period")]

    def __str__(self):
        return f"{self.objective_id} {self.period_start}: {self.value}"
