"""Dossiers of administrative procedures, their events, and the rollups statistics read from
(DOMAIN.md §5).

A ``Dossier``'s timing (due instants, results, status, per-step figures in ``steps``) is never
typed in: it is computed from its ``DossierEvent``s by the pure ``timing.compute`` each time
events arrive, in any order. ``DossierRollup`` keeps early/on-time/late counts per procedure,
month, step and unit, adjusted by the difference each recomputation makes, so statistics never
scan events.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.policy import Scope
from eiso.dossiers.choices import (
    OPEN_STATUSES_SORTED,
    Channel,
    DossierStatus,
    EventKind,
    ImportStatus,
    Result,
    SupplementMode,
)


class DossierSettings(models.Model):
    """How an agency times supplements: restart the full limit (default) or pause the clock."""

    scope = Scope(agency="agency")

    agency = models.OneToOneField("organizations.Agency", verbose_name=_("agency"), on_delete=models.CASCADE,
                                  related_name="dossier_settings")
    supplement_mode = models.CharField(_("when a supplement arrives"), max_length=10,
                                       choices=SupplementMode.choices, default=SupplementMode.RESTART)
    due_soon_hours = models.PositiveSmallIntegerField(
        _("due soon within (working hours)"), default=8,
        help_text=_("Open dossiers due within this many working hours are listed as due soon."))

    class Meta:
        verbose_name = _("dossier settings")
        verbose_name_plural = _("dossier settings")

    def __str__(self):
        return str(self.agency)


class Dossier(models.Model):
    scope = Scope(agency="agency")

    # No index of their own: (agency, code), (agency, received_at)… and (admin_procedure, received_at)
    # begin with them; one index fewer to write per dossier imported.
    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="dossiers", db_index=False)
    code = models.CharField(_("dossier code"), max_length=60)
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", verbose_name=_("administrative procedure"),
                                        on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    definition = models.ForeignKey("procedures.ProcessDefinition", verbose_name=_("process"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="dossiers")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.DIRECT)
    applicant = models.CharField(_("applicant"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=DossierStatus.choices, default=DossierStatus.NEW)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    finished_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    current_step = models.PositiveSmallIntegerField(_("current step"), null=True, blank=True)
    current_unit = models.ForeignKey("organizations.Unit", verbose_name=_("current unit"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    # Per step: {"step", "name", "unit", "started_at", "due_at", "finished_at", "result"} (ISO 8601 times).
    steps = models.JSONField(_("steps"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="dossier_code_unique_in_agency",
                                    violation_error_code="duplicate_code",
                                    violation_error_message=_("This dossier code is already used.")),
        ]
        indexes = [
            models.Index(fields=["agency", "-received_at"], name="dossier_agency_received_idx"),
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_status_due_idx"),
            models.Index(fields=["admin_procedure", "-received_at"], name="dossier_procedure_received_idx"),
            models.Index(fields=["code"], name="dossier_code_idx"),
            # The list's order: a list over many agencies (an overseer's province, a merged agency's
            # lineage) reads the first page in this order instead of sorting every dossier it may see.
            models.Index(fields=["-received_at", "code"], name="dossier_received_code_idx"),
            # Open dossiers are a few percent of all: counting them (open now, overdue, due soon) reads
            # this small index instead of every dossier of the province; with the status in it, a
            # count of them (``Count("status")``) is read from the index alone (no row visited: 37,686 open
            # dossiers of a province of 1,000,000 counted in 16 ms instead of 230 ms).
            models.Index(fields=["agency", "due_at", "status"], name="dossier_open_due_idx",
                         condition=Q(status__in=OPEN_STATUSES_SORTED)),
        ]

    def __str__(self):
        return self.code


class DossierEvent(models.Model):
    """What happened to a dossier when, at which step (0: none), by whom. Stored once: the same
    event imported twice is one row (the unique constraint), whatever order files come in."""

    scope = Scope(agency="dossier__agency")

    # No index of its own: the unique (dossier, kind, at, step) begins with it (one index fewer per event).
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    actor = models.CharField(_("by"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "at", "step"], name="dossier_event_unique"),
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def agency_id(self):
        return self.dossier.agency_id


class DossierApology(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: one per dossier, one new appointment only."""

    scope = Scope(agency="dossier__agency")

    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE,
                                   related_name="apology")
    reason = models.TextField(_("reason for the delay"))
    new_due_at = models.DateTimeField(_("new appointment"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("person", "issued by"),
                                  null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_in_time = models.BooleanField(_("sent at least one working day before the due date"), default=True)

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")

    def __str__(self):
        return str(self.dossier)

    @property
    def agency_id(self):
        return self.dossier.agency_id


class DossierRollup(models.Model):
    """Early/on-time/late counts of one procedure in one month (of the finish), for the whole
    dossier (``step`` 0) or one step and its unit."""

    scope = Scope(agency="agency", unit="unit")

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    admin_procedure = models.ForeignKey("procedures.AdminProcedure", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    step = models.PositiveSmallIntegerField(default=0)
    unit = models.ForeignKey("organizations.Unit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["admin_procedure", "month", "step", "unit"],
                                    condition=Q(unit__isnull=False), name="dossier_rollup_unique_unit"),
            models.UniqueConstraint(fields=["admin_procedure", "month", "step"],
                                    condition=Q(unit__isnull=True), name="dossier_rollup_unique_no_unit"),
        ]
        indexes = [models.Index(fields=["agency", "month", "step"], name="rollup_agency_month_idx")]

    def __str__(self):
        return f"{self.admin_procedure_id} {self.month:%Y-%m} step {self.step}"


def import_file_path(instance, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class DossierImport(models.Model):
    """One import of a one-stop export, run by the task worker; its progress is shown while it runs."""

    scope = Scope(agency="agency")

    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    dossiers_touched = models.PositiveIntegerField(_("dossiers"), default=0)
    events_created = models.PositiveIntegerField(_("new events"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True,
                               help_text=_("The background task running the import (the database queue's id)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier import")
        verbose_name_plural = _("dossier imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name
