"""The rollout plan of an agency's QMS: its phases, the procedure registry (danh mục quy trình)
adopted by a decision, and the gap survey against the ISO 9001 clauses."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.core.text import fold
from eiso.rollout.choices import GapResult, ItemStatus, PhaseStatus, RolloutStatus


class Rollout(models.Model):
    """An agency building (or rebuilding, after a merger) its QMS: one in progress at a time."""

    scope = Scope(agency="agency", rollout="")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="rollouts")
    title = models.CharField(_("title"), max_length=300)
    started_on = models.DateField(_("started on"))
    target_on = models.DateField(_("planned announcement"),
                                 help_text=_("When the agency plans to announce its QMS conforming."))
    consultant = models.CharField(_("consultant"), max_length=300, blank=True,
                                  help_text=_("The consulting organisation, if the agency hired one."))
    consultant_contact = models.CharField(_("consultant contact"), max_length=300, blank=True)
    registry_decision_number = models.CharField(_("registry decision number"), max_length=60, blank=True,
                                                help_text=_("The decision adopting the procedure registry, "
                                                            "e.g. 12/QĐ-UBND."))
    registry_decision_date = models.DateField(_("registry decision date"), null=True, blank=True)
    registry_decision_signer = models.CharField(_("registry decision signed by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RolloutStatus.choices,
                              default=RolloutStatus.IN_PROGRESS)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("QMS rollout")
        verbose_name_plural = _("QMS rollouts")
        ordering = ["agency__name", "-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=Q(status="in_progress"),
                                    name="one_rollout_in_progress", violation_error_code="rollout_in_progress",
                                    violation_error_message=_("The agency already has a rollout in progress.")),
            models.CheckConstraint(condition=Q(target_on__gte=F("started_on")), name="rollout_target_after_start",
                                   violation_error_message=_("The planned announcement cannot come before the "
                                                             "start.")),
        ]

    def __str__(self):
        return self.title

    @property
    def registry_adopted(self) -> bool:
        return bool(self.registry_decision_number and self.registry_decision_date)


class RolloutPhase(models.Model):
    """One phase of a rollout, with its planned and actual dates."""

    scope = Scope(agency="rollout__agency", rollout="rollout")

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("phase"), max_length=200)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("rollout phase")
        verbose_name_plural = _("rollout phases")
        ordering = ["rollout", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rollout", "number"], name="rollout_phase_number_unique",
                                    violation_error_message=_("The rollout already has a phase with this "
                                                              "number.")),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")) | Q(planned_end__isnull=True)
                                   | Q(planned_start__isnull=True), name="rollout_phase_end_after_start",
                                   violation_error_message=_("A phase cannot end before it starts.")),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def agency_id(self):
        return self.rollout.agency_id


class RegistryItem(models.Model):
    """A procedure the registry says to build: who drafts it, by when, where it stands, and the
    document once issued. Filled from the TTHC catalogue (one per TTHC) or entered by hand (system
    procedures, internal processes)."""

    scope = Scope(agency="rollout__agency", rollout="rollout", unit="drafting_unit")

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="registry_items")
    number = models.PositiveSmallIntegerField(_("no."))
    title = models.CharField(_("procedure"), max_length=500)
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="rollout_items")
    drafting_unit = models.ForeignKey("organizations.Unit", verbose_name=_("drafting unit"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="rollout_items")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    document = models.ForeignKey("documents.Document", verbose_name=_("issued document"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="rollout_items")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    title_folded = models.CharField(max_length=600, editable=False, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("registry procedure")
        verbose_name_plural = _("procedure registry")
        ordering = ["rollout", "number"]
        indexes = [models.Index(fields=["rollout", "status"], name="registry_item_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["rollout", "number"], name="registry_item_number_unique",
                                    violation_error_message=_("The registry already has a procedure with this "
                                                              "number.")),
            models.UniqueConstraint(fields=["rollout", "admin_procedure"], condition=Q(admin_procedure__isnull=False),
                                    name="registry_item_tthc_unique", violation_error_code="duplicate_tthc",
                                    violation_error_message=_("This TTHC already has a procedure in the registry.")),
            models.CheckConstraint(condition=~Q(status="issued") | Q(document__isnull=False, issued_on__isnull=False),
                                   name="registry_item_issued_has_document",
                                   violation_error_message=_("An issued procedure names its document and date.")),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        code = self.admin_procedure.code if self.admin_procedure_id else ""
        self.title_folded = fold(f"{code} {self.title}")
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_folded"}
        super().save(*args, **kwargs)

    @property
    def agency_id(self):
        return self.rollout.agency_id

    def is_overdue(self, today) -> bool:
        return self.status != ItemStatus.ISSUED and self.deadline is not None and self.deadline < today


class GapSurvey(models.Model):
    """The survey of where the agency stands against each clause before documenting (phase 1)."""

    scope = Scope(agency="rollout__agency", rollout="rollout")

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="gap_surveys")
    title = models.CharField(_("title"), max_length=300)
    surveyed_on = models.DateField(_("surveyed on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("gap survey")
        verbose_name_plural = _("gap surveys")
        ordering = ["rollout", "-surveyed_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def agency_id(self):
        return self.rollout.agency_id


class GapAssessment(models.Model):
    """Where the agency stands against one clause: conforms, partly, not, with notes."""

    scope = Scope(agency="survey__rollout__agency", rollout="survey__rollout")

    survey = models.ForeignKey(GapSurvey, on_delete=models.CASCADE, related_name="assessments")
    clause = models.ForeignKey("audits.Clause", verbose_name=_("clause"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=12, choices=GapResult.choices, default=GapResult.UNASSESSED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("gap assessment")
        verbose_name_plural = _("gap assessments")
        ordering = ["survey", "clause__sort_key"]
        constraints = [models.UniqueConstraint(fields=["survey", "clause"], name="gap_assessment_clause_unique",
                                               violation_error_message=_("This clause is already in the survey."))]

    def __str__(self):
        return f"{self.clause_id}: {self.result}"

    @property
    def agency_id(self):
        return self.survey.rollout.agency_id
