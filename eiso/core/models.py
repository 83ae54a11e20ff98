"""Core models: the append-only audit trail every service writes to."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.choices import JobStatus
from eiso.core.errors import Forbidden
from eiso.core.policy import Scope


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Forbidden(_("Audit events cannot be changed."))

    def delete(self):
        raise Forbidden(_("Audit events cannot be deleted."))


class AuditEvent(models.Model):
    """Who did what to which object, when, with the fields before and after. Never edited."""

    scope = Scope(agency="agency")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx"),
            models.Index(fields=["agency", "-at"], name="audit_agency_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Forbidden(_("Audit events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Forbidden(_("Audit events cannot be deleted."))

    @property
    def actor_display(self) -> str:
        """The person who acted, or "System" for imports, the demo loader and scheduled jobs."""
        return self.actor_repr or str(_("System"))


class SearchEntry(models.Model):
    """One searchable thing (a document, a revision, a legal document, a record file…) of any app.

    Apps write entries through ``eiso.core.search``; the text is kept twice: as written (for
    snippets) and folded (for matching). The full-text index over the folded text is SQLite FTS5
    or a PostgreSQL tsvector column with a GIN index, both created by this app's migrations.
    """

    scope = Scope(agency="agency")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    agency = models.ForeignKey("organizations.Agency", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    title_folded = models.CharField(max_length=500)
    body_folded = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_object_unique"),
        ]
        indexes = [models.Index(fields=["agency", "kind"], name="search_agency_kind_idx")]

    def __str__(self):
        return self.title


class TaskWorker(models.Model):
    """A running ``eiso db_worker`` process: it writes ``seen_at`` every few seconds (its heartbeat)
    and removes its row when it stops. Pages read it to tell whether queued work will be picked up,
    and whether running work lost its worker (``eiso.core.workers``)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255, help_text=_("Host name, process namespace and boot."))
    pid = models.PositiveIntegerField(_("process id"))
    process_started = models.BigIntegerField(_("process start"), default=0,
                                             help_text=_("When the process started, in clock ticks since boot."))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return f"{self.worker_id} ({self.host}, pid {self.pid})"


def job_file_path(instance, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ImportJob(models.Model):
    """An uploaded file imported by the task worker (``eiso.core.jobs``): the external document
    register, the TTHC catalogue… Its page follows it; a refusal keeps each bad row's message."""

    scope = Scope(agency="agency")

    kind = models.CharField(_("kind"), max_length=40)
    agency = models.ForeignKey("organizations.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=job_file_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    summary = models.TextField(_("outcome"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    # How far the import has read its file (bytes), for the percentage its page shows while it runs.
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    bytes_total = models.PositiveBigIntegerField(_("file size"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.original_name


class DataGeneration(models.Model):
    """How many committed transactions wrote an agency's data (``eiso.core.freshness``), one row per
    agency written since, the row of agency 0 for the writes whose agency is not known (which every
    reader depends on). What a page caches is keyed by the sum of the rows its data depend on: all
    of them unless it declares its agencies, so that any change, made by any process, makes the
    copies that could show it stale in every process at once."""

    # Not a foreign key: core comes before organizations, and the counts of an agency deleted in a
    # test stay harmless. 0: writes of no known agency.
    agency_id = models.PositiveBigIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data generation")
        verbose_name_plural = _("data generations")

    def __str__(self):
        return f"{self.agency_id}: {self.value}"
