"""Nonconformities from any source, their corrective action requests (phiếu yêu cầu hành động
khắc phục) with verifications of effectiveness, the reminders sent about them, and the register of
risks and opportunities."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.policy import Scope
from eiso.improvements.choices import (
    NonconformitySource,
    NonconformityStatus,
    ReminderKind,
    RiskKind,
    RiskLevel,
    RootCauseMethod,
)

clause_code = RegexValidator(r"^(?:[4-9]|10)(?:\.\d{1,2}){0,3}$",
                             _("Give an ISO 9001 clause number such as 8.5.1."))


class Nonconformity(models.Model):
    """Something that does not meet a requirement, whatever revealed it."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="nonconformities")
    code = models.CharField(_("number"), max_length=30)
    source = models.CharField(_("source"), max_length=20, choices=NonconformitySource.choices)
    clause = models.CharField(_("ISO 9001 clause"), max_length=12, validators=[clause_code])
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="nonconformities")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.Document", verbose_name=_("procedure or document"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey("audits.Finding", verbose_name=_("audit finding"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="nonconformities")
    dossier_step = models.PositiveSmallIntegerField(_("process step"), null=True, blank=True)
    respond_by = models.DateField(
        _("corrective action due by"), null=True, blank=True,
        help_text=_("A finding of a provincial inspection: the agency reports its corrective action within "
                    "2 months of the minutes (TT 26/2014/TT-BKHCN); its action cannot be due later."))
    description = models.TextField(_("description"))
    detected_on = models.DateField(_("detected on"))
    status = models.CharField(_("status"), max_length=20, choices=NonconformityStatus.choices,
                              default=NonconformityStatus.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="nonconformity_code_unique_in_agency",
                                    violation_error_code="duplicate_code",
                                    violation_error_message=_("This number is already used in the agency.")),
            models.UniqueConstraint(fields=["finding"], condition=Q(finding__isnull=False),
                                    name="nonconformity_one_per_finding",
                                    violation_error_message=_("This finding already has a nonconformity.")),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="nc_agency_status_idx"),
            models.Index(fields=["agency", "clause", "unit", "detected_on"], name="nc_repeat_idx"),
        ]

    def __str__(self):
        return f"{self.code} ({self.clause})"


def evidence_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"improvements/{instance.agency_id}/{uuid.uuid4().hex}{suffix}"



class CorrectiveAction(models.Model):
    """The corrective action request answering one nonconformity: correction, root cause, plan,
    evidence of implementation; verifications hang off it. Its status is its nonconformity's."""

    scope = Scope(agency="agency", unit="nonconformity__unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="corrective_actions")
    nonconformity = models.OneToOneField(Nonconformity, verbose_name=_("nonconformity"), on_delete=models.PROTECT,
                                         related_name="action")
    correction = models.TextField(_("correction (immediate fix)"), blank=True)
    root_cause_method = models.CharField(_("root cause analysis"), max_length=10, choices=RootCauseMethod.choices,
                                         default=RootCauseMethod.FREE_TEXT)
    whys = models.JSONField(_("5 whys"), default=list, blank=True)
    root_cause = models.TextField(_("root cause"))
    action_plan = models.TextField(_("corrective action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="corrective_actions")
    due_on = models.DateField(_("due date"))
    evidence = models.TextField(_("evidence of implementation"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verifier"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="verifications_assigned")
    verification_due_on = models.DateField(_("verification scheduled on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "due_on"], name="ca_agency_due_idx")]

    def __str__(self):
        return _("Corrective action for %(code)s") % {"code": self.nonconformity.code}

    @property
    def status(self) -> str:
        return self.nonconformity.status


class Verification(models.Model):
    """One check of whether a corrective action worked. An ineffective one reopens the action."""

    scope = Scope(agency="action__agency", unit="action__nonconformity__unit")

    action = models.ForeignKey(CorrectiveAction, verbose_name=_("corrective action"), on_delete=models.CASCADE,
                               related_name="verifications")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField(_("verified on"))
    effective = models.BooleanField(_("effective"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verification of effectiveness")
        verbose_name_plural = _("verifications of effectiveness")
        ordering = ["-verified_on", "-id"]

    def __str__(self):
        return f"{self.action_id} {self.verified_on}"

    @property
    def agency_id(self):
        return self.action.agency_id


class Reminder(models.Model):
    """An e-mail sent about an action (at most one per action, kind, recipient and day)."""

    scope = Scope(agency="action__agency")

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=15, choices=ReminderKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "kind", "recipient", "sent_on"],
                                               name="reminder_once_a_day")]

    def __str__(self):
        return f"{self.kind} {self.action_id} {self.sent_on}"


class Risk(models.Model):
    """A risk or an opportunity of a process: how likely, how much it matters, what is done."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="risks")
    kind = models.CharField(_("kind"), max_length=12, choices=RiskKind.choices, default=RiskKind.RISK)
    document = models.ForeignKey("documents.Document", verbose_name=_("process or procedure"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="risks")
    description = models.TextField(_("description"))
    cause = models.TextField(_("cause"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"),
                                                  validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"),
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    level = models.CharField(pgettext_lazy("risk", "level"), max_length=10, choices=RiskLevel.choices, editable=False)
    treatment = models.TextField(_("treatment"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="risks")
    review_on = models.DateField(_("next review"), null=True, blank=True)
    actions = models.ManyToManyField(CorrectiveAction, verbose_name=_("linked corrective actions"), blank=True,
                                     related_name="risks")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["-likelihood", "-impact", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5",
                                   violation_error_message=_("Likelihood is scored 1 to 5.")),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5",
                                   violation_error_message=_("Impact is scored 1 to 5.")),
        ]
        indexes = [models.Index(fields=["agency", "level"], name="risk_agency_level_idx")]

    def __str__(self):
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact
