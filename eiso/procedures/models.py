"""Administrative procedures (TTHC) and the process definitions of the operational procedures
that resolve them (DOMAIN.md §4).

An ``AdminProcedure`` is one entry of the agency's TTHC catalogue. The operational procedure
(*quy trình nội bộ*) that resolves it is a ``Document`` of kind operational procedure; one such
document may cover several similar TTHC. Its ``ProcessDefinition`` lists the ordered steps with
their responsible unit and time allowance in working hours. A definition is never edited once
dossiers point at it: a change makes a new version and the old one stops being current, so a
dossier is always timed against the steps that were in force when it was received.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.policy import Scope
from eiso.core.text import fold
from eiso.procedures.choices import DefinitionSource, OnlineLevel, ProcedureLevel

HOURS_PER_DAY = Decimal(8)  # default office hours; the agency's calendar decides in timing


class AdminProcedure(models.Model):
    """Thủ tục hành chính: one entry of an agency's published TTHC catalogue."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="admin_procedures")
    code = models.CharField(_("national code"), max_length=30,
                            help_text=_("The code of the national TTHC database, e.g. 1.004227."))
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ProcedureLevel.choices,
                             default=ProcedureLevel.PROVINCE)
    time_limit_days = models.DecimalField(
        _("time limit (working days)"), max_digits=6, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("The statutory time limit in working days, from receipt of a complete dossier."))
    fees = models.CharField(_("fees and charges"), max_length=500, blank=True)
    online_level = models.CharField(_("online service"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    legal_basis = models.ManyToManyField("documents.ExternalDocument", verbose_name=_("legal basis"), blank=True,
                                         related_name="admin_procedures")
    process_document = models.ForeignKey(
        "documents.Document", verbose_name=_("operational procedure"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="admin_procedures",
        help_text=_("The internal procedure that resolves this TTHC; one procedure may cover several TTHC."))
    is_active = models.BooleanField(_("published"), default=True,
                                    help_text=_("Untick when the TTHC is abolished; its dossiers stay."))
    name_folded = models.CharField(max_length=500, editable=False, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["agency", "field", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="admin_procedure_code_unique_in_agency",
                violation_error_code="duplicate_code",
                violation_error_message=_("This code is already in the agency's catalogue.")),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.code} {self.name}")
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)

    @property
    def time_limit_hours(self) -> Decimal:
        return self.time_limit_days * HOURS_PER_DAY


class ProcessDefinition(models.Model):
    """The ordered steps of an operational procedure, one version at a time (the current one has
    ``is_current``). Dossiers keep the version they were received under."""

    scope = Scope(agency="document__agency", unit="document__owner_unit", document="document")

    document = models.ForeignKey("documents.Document", verbose_name=_("operational procedure"),
                                 on_delete=models.PROTECT, related_name="process_definitions")
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    source = models.CharField(_("source"), max_length=10, choices=DefinitionSource.choices,
                              default=DefinitionSource.MANUAL)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="process_definition_version_unique"),
            models.UniqueConstraint(fields=["document"], condition=Q(is_current=True),
                                    name="one_current_process_definition",
                                    violation_error_message=_("The procedure already has a current process.")),
        ]

    def __str__(self):
        return _("%(code)s — process v%(version)s") % {"code": self.document.code, "version": self.version}

    @property
    def agency_id(self):
        return self.document.agency_id

    @property
    def total_hours(self) -> Decimal:
        return sum((s.allowance_hours for s in self.steps.all()), Decimal(0))


class ProcessStep(models.Model):
    """One step: who does what within how many working hours, with which form, producing what."""

    scope = Scope(agency="definition__document__agency", unit="definition__document__owner_unit")

    definition = models.ForeignKey(ProcessDefinition, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("action"), max_length=300)
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="process_steps")
    responsible = models.CharField(_("responsible"), max_length=200, blank=True,
                                   help_text=_("Role or position, e.g. 'Chuyên viên phòng Hành chính tư pháp'."))
    allowance_hours = models.DecimalField(_("time allowance (working hours)"), max_digits=7, decimal_places=2,
                                          validators=[MinValueValidator(Decimal("0.25"))])
    form_code = models.CharField(_("form"), max_length=60, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["definition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="process_step_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="process_step_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def agency_id(self):
        return self.definition.document.agency_id
