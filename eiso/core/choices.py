"""Statuses of core's own models."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", pgettext_lazy("import status", "Refused")
    INTERRUPTED = "interrupted", _("Interrupted")


RUNNING_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
