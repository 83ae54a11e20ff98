"""Citizen satisfaction (TT 01/2018/TT-VPCP): one evaluation per dossier with its nine indicator
scores, and the yearly SIPAS figure an agency sets beside them; complaints and recommendations
(phản ánh, kiến nghị) with their answers; the agency's settings for them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.feedback.choices import DEFAULT_DUE_DAYS, INDICATORS, ComplaintChannel, ComplaintStatus

SCORE_FIELDS = tuple(f"score_{i}" for i in INDICATORS)


def _score_field(i: int):
    return models.PositiveSmallIntegerField(format_lazy("{} {}", _("indicator"), i), null=True, blank=True,
                                            validators=[MaxValueValidator(2)])


class SatisfactionEvaluation(models.Model):
    """The scores one dossier's applicant gave, as the one-stop system exported them. The
    procedure and unit are copied from the dossier at import, so figures group without joins."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="satisfaction_evaluations")
    dossier = models.OneToOneField("dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.CASCADE,
                                   related_name="satisfaction")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    evaluated_on = models.DateField(_("evaluated on"))
    score_1 = _score_field(1)
    score_2 = _score_field(2)
    score_3 = _score_field(3)
    score_4 = _score_field(4)
    score_5 = _score_field(5)
    score_6 = _score_field(6)
    score_7 = _score_field(7)
    score_8 = _score_field(8)
    score_9 = _score_field(9)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction evaluation")
        verbose_name_plural = _("satisfaction evaluations")
        ordering = ["-evaluated_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{name}__lte": 2}) | Q(**{f"{name}__isnull": True}),
                                   name=f"satisfaction_{name}_0_2",
                                   violation_error_message=_("Each indicator is scored 0, 1 or 2."))
            for name in SCORE_FIELDS
        ]
        indexes = [
            models.Index(fields=["agency", "evaluated_on"], name="satisfaction_agency_day_idx"),
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.evaluated_on}"

    def scores(self) -> dict[int, int | None]:
        return {i: getattr(self, f"score_{i}") for i in INDICATORS}


class SatisfactionBenchmark(models.Model):
    """The provincial SIPAS figure of a year (Ministry of Home Affairs, QĐ 1001/QĐ-BNV), as a
    percentage, set by the agency beside its own score."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="satisfaction_benchmarks")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2017), MaxValueValidator(2999)])
    sipas = models.DecimalField(_("SIPAS index (%)"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("SIPAS benchmark")
        verbose_name_plural = _("SIPAS benchmarks")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="sipas_once_a_year",
                                    violation_error_code="duplicate_year",
                                    violation_error_message=_("This year already has a SIPAS figure.")),
            models.CheckConstraint(condition=Q(sipas__gte=0, sipas__lte=100), name="sipas_percentage",
                                   violation_error_message=_("The SIPAS index is a percentage (0 to 100).")),
        ]

    def __str__(self):
        return f"SIPAS {self.year}: {self.sipas}"


class FeedbackSettings(models.Model):
    """How many working days an agency gives itself to answer a complaint or recommendation."""

    scope = Scope(agency="agency")

    agency = models.OneToOneField("organizations.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
                                  related_name="feedback_settings")
    complaint_due_days = models.PositiveSmallIntegerField(
        _("working days to answer a complaint"), default=DEFAULT_DUE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)])

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self):
        return str(self.agency)


class Complaint(models.Model):
    """A complaint or recommendation (phản ánh, kiến nghị) of a citizen or organisation."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="complaints")
    code = models.CharField(_("number"), max_length=30)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=10, choices=ComplaintChannel.choices,
                               default=ComplaintChannel.DIRECT)
    person = models.CharField(_("sent by"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    content = models.TextField(_("content"))
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="complaints")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("handling unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="complaints")
    due_on = models.DateField(_("answer due"))
    status = models.CharField(_("status"), max_length=12, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    answer = models.TextField(_("answer given"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    justified = models.BooleanField(_("justified"), null=True, blank=True,
                                    help_text=_("Whether the complaint showed a real failure of the agency."))
    nonconformity = models.OneToOneField("improvements.Nonconformity", verbose_name=_("nonconformity"), null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="complaint")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint or recommendation")
        verbose_name_plural = _("complaints and recommendations")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="complaint_code_unique_in_agency",
                                    violation_error_code="duplicate_code",
                                    violation_error_message=_("This number is already used in the agency.")),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="complaint_agency_due_idx"),
            models.Index(fields=["agency", "-received_on"], name="complaint_agency_received_idx"),
        ]

    def __str__(self):
        return self.code
