"""Uploaded one-stop exports: stored, then imported by the task worker with its progress on the
``DossierImport`` row that the import page polls.

``dossier_import_start`` checks and stores the file; the caller (the upload page) then queues
``tasks.dossier_import_task``, whose body is ``dossier_import_run``: it records the file through
``importing.record_file``, into the uploader's agency only. This module knows nothing of the task
(the task imports it, never the other way round).
"""

import codecs
import logging
import time

from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import workers
from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, Forbidden, ValidationFailed
from eiso.core.jobs import interrupted_message
from eiso.core.policy import require
from eiso.core.tabular import check_utf8, refuse_file
from eiso.core.uploads import check_size, inspect_upload
from eiso.dossiers import importing
from eiso.dossiers.choices import ImportStatus
from eiso.dossiers.models import DossierImport

log = logging.getLogger("eiso.dossiers")

PROGRESS_EVERY = 1.0  # seconds between progress writes
RUNNING = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)




def check_text_upload(uploaded, kind: str) -> None:
    """A .csv/.jsonl upload must be UTF-8 text throughout (the whole file is decoded, and the first
    line that is not UTF-8 named), not only by its name."""
    name = getattr(uploaded, "name", "") or ""
    check_utf8(uploaded, name)
    head = uploaded.read(64 * 1024)
    uploaded.seek(0)
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    if "\x00" in text:
        raise refuse_file(_("%(name)s is not a text file.") % {"name": name})
    if kind == "jsonl" and not text.lstrip().startswith("{"):
        raise refuse_file(_("%(name)s is not JSON Lines: each line must be one dossier, a JSON object.")
                          % {"name": name})


def check_upload(uploaded) -> str:
    """The upload's format (csv, jsonl, xlsx) after checking its size and content."""
    name = getattr(uploaded, "name", "") or ""
    kind = importing.file_format(name)
    if kind == "xlsx":
        inspect_upload(uploaded, allowed=("xlsx",), for_import=True)
        return kind
    check_size(uploaded)
    check_text_upload(uploaded, kind)
    return kind


def dossier_import_start(*, actor, uploaded) -> DossierImport:
    """Store an uploaded export for the actor's own agency, queued: the caller enqueues
    ``dossier_import_task`` for it once this transaction has committed."""
    agency = getattr(actor, "agency", None)
    if agency is None or not actor.has_perm("dossiers.import_dossiers", agency):
        raise Forbidden()
    check_upload(uploaded)
    with transaction.atomic():
        record = DossierImport(agency=agency, original_name=(uploaded.name or "")[-255:], created_by=actor,
                               status=ImportStatus.QUEUED)
        record.file.save(uploaded.name, uploaded, save=False)
        record.save()
        audit_record(actor=actor, action="create", obj=record, agency=agency,
                     note=_("One-stop file uploaded for import: %(name)s") % {"name": record.original_name})
    return record


class ImportProgress:
    """The engine's ``progress`` callback: writes phase and counts to the import row, at most once a
    second (and at each change of phase).

    A file is staged (``recording.staging``): checked, staged and computed outside any transaction,
    so each phase is written as usual, and only the short final switch runs inside one. Should the
    engine report from inside a transaction (a small input written directly), where an update of
    the row would stay invisible until the end, the row is updated through a second connection of
    its own on PostgreSQL, and not at all on SQLite (one writer at a time)."""

    def __init__(self, record: DossierImport):
        self.record = record
        self.last = 0.0
        self.phase = None
        self.side = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < PROGRESS_EVERY:
            return
        self.phase, self.last = phase, now
        if phase == "validate":
            values = {"status": ImportStatus.VALIDATING, "rows_done": done, "rows_total": total or 0}
        elif phase == "write":
            values = {"status": ImportStatus.IMPORTING, "rows_done": done, "rows_total": total}
        else:  # retime: every row is written; the dossiers' timing and the statistics are updated
            values = {"status": ImportStatus.IMPORTING, "rows_done": self.record.rows_total,
                      "rows_total": self.record.rows_total}
        for name, value in values.items():
            setattr(self.record, name, value)
        if phase == "validate" or not connection.in_atomic_block:  # a staged import reports outside any
            DossierImport.objects.filter(pk=self.record.pk).update(**values)
        else:
            self._write_aside(values)

    def _write_aside(self, values: dict) -> None:
        if connection.vendor != "postgresql":
            return
        try:
            if self.side is None:
                self.side = connections.create_connection("default")
                # Made in whichever thread reports first (a computation run by core.priority.lowered
                # reports from a thread of its own) and closed by the caller's: shared between them.
                self.side.inc_thread_sharing()
            table = self.side.ops.quote_name(DossierImport._meta.db_table)
            with self.side.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET status = %s, rows_done = %s, rows_total = %s WHERE id = %s",  # noqa: S608 (a quoted model table)
                               [values["status"], values["rows_done"], values["rows_total"], self.record.pk])
        except DatabaseError:  # progress is a courtesy: the import goes on without it
            log.warning("Import progress could not be written", exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _csv_rows(storage, name: str) -> int:
    """Rows of a stored CSV file (lines less the heading), counted in blocks, for the progress bar."""
    n = 0
    with storage.open(name, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return max(n - 1, 0)


def dossier_import_run(*, dossier_import_id: int) -> DossierImport | None:
    """Import a stored upload (the task). Runs once: a finished or running import is left alone."""
    updated = DossierImport.objects.filter(pk=dossier_import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING)
    record = DossierImport.objects.select_related("agency", "created_by").filter(pk=dossier_import_id).first()
    if record is None or not updated:
        return record
    progress = ImportProgress(record)
    storage, name = record.file.storage, record.file.name
    try:
        total = _csv_rows(storage, name) if importing.file_format(record.original_name) == "csv" else None
        summary = importing.record_file(
            actor=record.created_by, opener=lambda: storage.open(name, "rb"), filename=record.original_name,
            agency=record.agency, progress=progress, total=total, source=record.original_name)
    except ValidationFailed as exc:
        errors = exc.errors.get("rows") or exc.errors.get("file") or []
        record.status, record.errors = ImportStatus.FAILED, [str(exc.message), *[str(e) for e in errors]]
    except Exception:
        log.exception("Dossier import %s failed", dossier_import_id)
        record.status = ImportStatus.FAILED
        record.errors = [_("An unexpected error occurred. It has been logged; nothing was imported.")]
    else:
        record.status = ImportStatus.DONE
        record.rows_total = record.rows_done = summary.rows
        record.dossiers_touched, record.events_created = summary.dossiers_touched, summary.events_created
        record.errors = []
    finally:
        progress.close()
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "rows_total", "rows_done", "dossiers_touched", "events_created",
                               "errors", "finished_at"])
    return record


def dossier_import_task_set(*, record: DossierImport, task_id) -> None:
    """Remember which queued task runs the import (bookkeeping of the queue: no audit row)."""
    record.task_id = str(task_id or "")
    DossierImport.objects.filter(pk=record.pk).update(task_id=record.task_id)


def dossier_imports_mark_interrupted(records=None) -> int:
    """Imports still shown as running whose task was lost (its worker was killed, or the task ended
    without finishing them) become interrupted, with a message; how many. ``records``: a queryset
    or list to look at (default: every running import). Run by each starting worker
    (``core.workers.register_sweeper``) and by the import pages."""
    if records is None:
        records = DossierImport.objects.all()
    if not isinstance(records, list):
        records = list(records.filter(status__in=RUNNING).exclude(task_id=""))
    changed = 0
    for record in records:
        if record.status not in RUNNING or not record.task_id or not workers.task_lost(record.task_id):
            continue
        message = interrupted_message()
        with transaction.atomic():
            if not DossierImport.objects.filter(pk=record.pk, status=record.status).update(
                    status=ImportStatus.INTERRUPTED, errors=[message], finished_at=timezone.now()):
                continue  # it moved meanwhile
            audit_record(actor=None, action="interrupt", obj=record, agency=record.agency_id, note=message,
                         changes={"status": [record.status, ImportStatus.INTERRUPTED]})
        record.status, record.errors = ImportStatus.INTERRUPTED, [message]
        changed += 1
    return changed


def dossier_import_retry(*, dossier_import: DossierImport, actor) -> DossierImport:
    """Queue an interrupted import again, from the start, with the file already stored; the caller
    enqueues its task once this transaction has committed (``tasks.dossier_import_enqueue``)."""
    require(actor, "dossiers.import_dossiers", dossier_import.agency)
    with transaction.atomic():
        record = DossierImport.objects.select_for_update().get(pk=dossier_import.pk)
        if record.status != ImportStatus.INTERRUPTED:
            raise Conflict(_("Only an interrupted import can be run again."))
        before = record.status
        record.status, record.rows_done, record.rows_total, record.errors = ImportStatus.QUEUED, 0, 0, []
        record.finished_at, record.task_id, record.queued_at = None, "", timezone.now()
        record.save(update_fields=["status", "rows_done", "rows_total", "errors", "finished_at", "task_id",
                                   "queued_at"])
        audit_record(actor=actor, action="retry", obj=record, agency=record.agency_id,
                     changes={"status": [before, record.status]})
    return record
