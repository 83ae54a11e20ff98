"""Internal audits: the ISO 9001 clause library, clauses an agency declares not applicable, yearly
audit programmes, audits with their scope and team, checklists and findings."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.audits.choices import AuditStatus, ChecklistAnswer, FindingKind, Importance, PastResult, TeamRole
from eiso.core.policy import Scope
from eiso.core.text import fold


class ClauseEdition(models.Model):
    """An edition of ISO 9001 (2008, 2015, the 2026 revision). Global, shipped as data; an edition
    TCVN has not adopted yet is provisional. Only clause numbers and titles are kept, never the text."""

    code = models.CharField(_("edition"), max_length=4, unique=True)  # the year: "2015"
    name = models.CharField(_("name"), max_length=100)  # "TCVN ISO 9001:2015"
    provisional = models.BooleanField(_("provisional"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ISO 9001 edition")
        verbose_name_plural = _("ISO 9001 editions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Clause(models.Model):
    """A clause of an ISO 9001 edition (TCVN ISO 9001:2015: 4.1 … 10.3). Global, shipped as data."""

    edition = models.ForeignKey(ClauseEdition, verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="clauses")
    code = models.CharField(_("clause"), max_length=10)
    title = models.CharField(_("title"), max_length=300)  # Vietnamese, as in TCVN ISO 9001:2015
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    questions = models.JSONField(_("audit questions"), default=list, blank=True)
    sort_key = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("ISO 9001 clause")
        verbose_name_plural = _("ISO 9001 clauses")
        ordering = ["edition__code", "sort_key", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="clause_unique_in_edition")]

    def __str__(self):
        return f"{self.code} {self.title}"


class EditionAdoption(models.Model):
    """An agency records the ISO 9001 edition its QMS follows from a date; the latest one is current
    (an agency that recorded none follows the default edition, 2015)."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="edition_adoptions")
    edition = models.ForeignKey(ClauseEdition, verbose_name=_("edition"), on_delete=models.PROTECT,
                                related_name="+")
    adopted_on = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    relinked = models.JSONField(_("clauses re-linked"), default=dict, blank=True)  # {"checklist": n, …}
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("edition adopted")
        verbose_name_plural = _("editions adopted")
        ordering = ["agency", "-adopted_on", "-id"]

    def __str__(self):
        return f"{self.edition} ({self.adopted_on:%d/%m/%Y})"


class ClauseExclusion(models.Model):
    """A clause an agency declares not applicable to its QMS, with the reason (typically 8.3)."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="clause_exclusions")
    clause = models.ForeignKey(Clause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(_("justification"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("clause not applicable")
        verbose_name_plural = _("clauses not applicable")
        ordering = ["agency", "clause__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "clause"], name="clause_exclusion_unique",
                violation_error_message=_("This clause is already declared not applicable."),
            ),
        ]

    def __str__(self):
        return f"{self.clause.code}: {self.justification[:60]}"


class AuditProgramme(models.Model):
    """The internal audit programme of an agency for one year."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="audit_programmes")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    title_folded = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], name="audit_programme_one_per_year",
                violation_error_message=_("The agency already has an audit programme for this year."),
            ),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="audit_programme_year",
                                   violation_error_message=_("The year must be between 2000 and 2100.")),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def save(self, *args, **kwargs):
        self.title_folded = fold(f"{self.title} {self.year}")[:400]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "year"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)


class ProgrammeEntry(models.Model):
    """One line of a programme: a unit and/or a procedure to audit, when and how often."""

    scope = Scope(agency="programme__agency")

    programme = models.ForeignKey(AuditProgramme, verbose_name=_("programme"), on_delete=models.CASCADE,
                                  related_name="entries")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    process = models.CharField(_("process / area"), max_length=300, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("planned month"))
    importance = models.CharField(_("importance"), max_length=10, choices=Importance.choices,
                                  default=Importance.MEDIUM)
    past_result = models.CharField(_("past results"), max_length=10, choices=PastResult.choices,
                                   default=PastResult.NEW)
    times_per_year = models.PositiveSmallIntegerField(_("audits per year"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme entry")
        verbose_name_plural = _("programme entries")
        ordering = ["programme", "planned_month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_month__gte=1) & Q(planned_month__lte=12),
                                   name="programme_entry_month",
                                   violation_error_message=_("The month must be between 1 and 12.")),
            models.CheckConstraint(condition=Q(times_per_year__gte=1) & Q(times_per_year__lte=12),
                                   name="programme_entry_frequency",
                                   violation_error_message=_("Audits per year must be between 1 and 12.")),
        ]

    def __str__(self):
        return self.process or str(self.unit or self.admin_procedure or "")


class Audit(models.Model):
    """One internal audit: scope (units, procedures, clauses), dates, lead auditor and team."""

    scope = Scope(agency="agency", audit="")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="audits")
    programme = models.ForeignKey(AuditProgramme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="audits")
    number = models.PositiveSmallIntegerField(_("number"))  # 1, 2… within the programme
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"), blank=True)
    criteria = models.TextField(_("criteria"), blank=True,
                                default="TCVN ISO 9001:2015")
    units = models.ManyToManyField("organizations.Unit", verbose_name=_("units audited"), blank=True,
                                   related_name="audits")
    admin_procedures = models.ManyToManyField("procedures.AdminProcedure",
                                              verbose_name=_("administrative procedures"), blank=True,
                                              related_name="audits")
    clauses = models.ManyToManyField(Clause, verbose_name=_("clauses"), blank=True, related_name="audits")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    lead_auditor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lead auditor"),
                                     on_delete=models.PROTECT, related_name="audits_led")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("audit team"), blank=True,
                                  through="AuditTeamMember", related_name="audit_teams")
    status = models.CharField(_("status"), max_length=20, choices=AuditStatus.choices,
                              default=AuditStatus.PLANNED)
    conclusion = models.TextField(_("conclusion"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    title_folded = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["agency", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="audit_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(fields=["programme", "number"], name="audit_number_unique_in_programme"),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="audit_agency_status_idx")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)[:400]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in set(update_fields):
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        return f"ĐGNB-{self.programme.year if self.programme_id else ''}-{self.number:02d}"


class AuditTeamMember(models.Model):
    """A member of an audit team other than the lead auditor."""

    scope = Scope(agency="audit__agency", audit="audit")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("auditor"), on_delete=models.PROTECT,
                             related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices, default=TeamRole.AUDITOR)

    class Meta:
        verbose_name = _("audit team member")
        verbose_name_plural = _("audit team members")
        ordering = ["audit", "id"]
        constraints = [models.UniqueConstraint(fields=["audit", "user"], name="audit_team_member_unique",
                                               violation_error_message=_("This person is already in the team."))]

    def __str__(self):
        return str(self.user)


class ChecklistItem(models.Model):
    """One question of an audit's checklist, about a clause or a procedure in scope."""

    scope = Scope(agency="audit__agency", audit="audit")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveIntegerField(default=0)
    clause = models.ForeignKey(Clause, verbose_name=_("clause"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"))
    answer = models.CharField(_("answer"), max_length=20, choices=ChecklistAnswer.choices,
                              default=ChecklistAnswer.NOT_CHECKED)
    evidence = models.TextField(_("evidence"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["audit", "position", "id"]

    def __str__(self):
        return self.question[:80]

    @property
    def agency_id(self):
        return self.audit.agency_id


def checklist_file_path(instance, filename: str) -> str:
    """Stored under a generated name; the original name is kept in the row, not on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"audits/{instance.item.audit.agency_id}/{uuid.uuid4().hex}{suffix}"


class ChecklistFile(models.Model):
    """A photo or file attached to a checklist item as evidence."""

    scope = Scope(agency="item__audit__agency", audit="item__audit")

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=checklist_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("type"), max_length=10)  # jpg, png, pdf, docx, xlsx: from the content
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item", "id"]

    def __str__(self):
        return self.original_name


class Finding(models.Model):
    """What an audit found: a nonconformity (major/minor), an observation or an opportunity,
    tied to a clause and a unit, optionally to a procedure and a document."""

    scope = Scope(agency="audit__agency", audit="audit", unit="unit")

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveSmallIntegerField(_("number"))  # 1, 2… within the audit
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    clause = models.ForeignKey(Clause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("organizations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="audit_findings")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="findings")
    document = models.ForeignKey("documents.Document", verbose_name=_("document"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="audit_findings")
    checklist_item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="findings")
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["audit", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="finding_number_unique_in_audit")]
        indexes = [models.Index(fields=["clause", "unit"], name="finding_clause_unit_idx")]

    def __str__(self):
        return f"{self.code} {self.get_kind_display()}"

    @property
    def code(self) -> str:
        return f"{self.audit.code}/{self.number:02d}" if self.audit_id else f"{self.number:02d}"

    @property
    def agency_id(self):
        return self.audit.agency_id
