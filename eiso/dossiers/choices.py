"""Statuses, events, channels and results of dossiers (DOMAIN.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    DIRECT = "direct", _("At the one-stop desk")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")


class DossierStatus(models.TextChoices):
    """The status codes of the national public service portal."""

    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    IN_PROGRESS = "in_progress", pgettext_lazy("dossier status", "In progress")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    WITHDRAWN = "withdrawn", pgettext_lazy("dossier status", "Withdrawn")
    STOPPED = "stopped", _("Stopped")
    PROCESSED = "processed", _("Processed, awaiting return")
    RETURNED = "returned", _("Result returned")


# Open: the clock may still run. Closed without a result: never classified.
OPEN_STATUSES = frozenset({DossierStatus.NEW, DossierStatus.ACCEPTED, DossierStatus.IN_PROGRESS,
                           DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.PAYMENT_REQUESTED,
                           DossierStatus.PROCESSED})
# The open statuses as the open dossiers' partial index (``dossier_open_due_idx``) is written, and as a
# query on it writes them: SQLite reads that small index only for a query holding the index's
# condition word for word.
OPEN_STATUSES_SORTED = sorted(OPEN_STATUSES)
UNCLASSIFIED_STATUSES = frozenset({DossierStatus.NOT_ACCEPTED, DossierStatus.WITHDRAWN, DossierStatus.STOPPED})
PAUSED_STATUSES = frozenset({DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.PAYMENT_REQUESTED})


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    STEP_DONE = "step_done", _("Step done (handed over)")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplement received")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAYMENT_DONE = "payment_done", _("Payment done")
    RETURNED = "returned", _("Result returned")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    STOPPED = "stopped", _("Stopped")
    REFUSED = "refused", pgettext_lazy("dossier event", "Refused")


# Events at the same instant are applied in this order (a receipt before anything, a return last).
EVENT_ORDER = {kind: rank for rank, kind in enumerate([
    EventKind.RECEIVED, EventKind.SUPPLEMENT_RECEIVED, EventKind.PAYMENT_DONE, EventKind.STEP_DONE,
    EventKind.SUPPLEMENT_REQUESTED, EventKind.PAYMENT_REQUESTED, EventKind.REFUSED, EventKind.WITHDRAWN,
    EventKind.STOPPED, EventKind.RETURNED,
])}


class Result(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class SupplementMode(models.TextChoices):
    RESTART = "restart", _("Restart the full time limit (NĐ 61/2018)")
    PAUSE = "pause", _("Pause, keeping the time already used")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking the file")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", pgettext_lazy("import status", "Refused")
    INTERRUPTED = "interrupted", _("Interrupted")
