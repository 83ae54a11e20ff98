"""Provincial oversight: the yearly inspection plan of the Department of Science and Technology
(TT 26/2014/TT-BKHCN Mẫu 19), one inspection per planned agency with its decision (Mẫu 20) and
minutes (Mẫu 21), and the findings the minutes record as nonconformities of the inspected agency."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.oversight.choices import InspectionStatus, PlanStatus


class InspectionPlan(models.Model):
    """The year's plan of inspections of a province, made by the overseeing agency (the Department
    of Science and Technology or its standards sub-department)."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("overseeing agency"),
                               on_delete=models.PROTECT, related_name="inspection_plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)])
    number = models.CharField(_("number and symbol"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="inspection_plan_once_a_year",
                                               violation_error_code="duplicate_year",
                                               violation_error_message=_("There is already a plan for this year."))]

    def __str__(self):
        return _("Inspection plan %(year)s") % {"year": self.year}


class Inspection(models.Model):
    """One agency's inspection: a line of the plan (month, on site or by documents, team), then its
    decision, then its minutes with the checklist of the law's points."""

    scope = Scope(agency="agency", plan="plan")

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.PROTECT,
                             related_name="inspections")
    agency = models.ForeignKey("organizations.Agency", verbose_name=_("inspected agency"), on_delete=models.PROTECT,
                               related_name="inspections")
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    on_site = models.BooleanField(_("on site"), default=False,
                                  help_text=_("On site at the agency; otherwise on the documents it sends."))
    team = models.JSONField(_("inspection team"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=InspectionStatus.choices,
                              default=InspectionStatus.PLANNED)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_on = models.DateField(_("decision date"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    minutes_on = models.DateField(_("minutes date"), null=True, blank=True)
    agency_representative = models.CharField(_("agency representative"), max_length=200, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    evidence = models.JSONField(_("evidence held by eISO"), default=dict, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["month", "agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "agency"], name="inspection_once_per_plan",
                                               violation_error_code="duplicate_agency",
                                               violation_error_message=_("This agency is already in the plan."))]
        indexes = [models.Index(fields=["agency", "status"], name="inspection_agency_status_idx")]

    def __str__(self):
        return _("Inspection of %(agency)s (%(month)s/%(year)s)") % {
            "agency": self.agency, "month": self.month, "year": self.plan.year}


class InspectionFinding(models.Model):
    """A point the minutes found not met, recorded as a nonconformity of the inspected agency."""

    scope = Scope(agency="inspection__agency")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="findings")
    point = models.CharField(_("point checked"), max_length=30)
    nonconformity = models.OneToOneField("improvements.Nonconformity", verbose_name=_("nonconformity"),
                                         on_delete=models.PROTECT, related_name="inspection_finding")

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "id"]

    def __str__(self):
        return f"{self.inspection_id} {self.point}"
