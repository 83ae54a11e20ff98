"""Imports run by the task worker: one ``ImportJob`` row per uploaded file, whatever it imports.

An app registers a kind of import once (``job_kind_register`` in its ``AppConfig.ready``): who may
start it (a permission on the agency), how to run it (its own import service, unchanged: it checks
every row first and refuses the whole file naming each bad row), and where its pages are. Then:

- ``import_job_start`` checks and stores the upload, queued; the caller enqueues the task once the
  transaction has committed (``core.tasks.import_job_enqueue``);
- ``import_job_run`` (the task) runs the kind's import on the stored file and keeps the outcome,
  or the refusal's messages, on the row, which the job's page follows;
- ``import_jobs_mark_interrupted`` marks the jobs whose worker died (``core.workers``), and
  ``import_job_retry`` queues such a job again.

The command line (``eiso import …``) calls the same import services directly, synchronously.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core import workers
from eiso.core.audit import audit_record
from eiso.core.choices import RUNNING_STATUSES, JobStatus
from eiso.core.errors import Conflict, DomainError, NotFound
from eiso.core.models import ImportJob
from eiso.core.policy import require
from eiso.core.tabular import FORMATS_MESSAGE, file_format
from eiso.core.uploads import check_archive, check_size

log = logging.getLogger("eiso.jobs")
PROGRESS_EVERY = 1.0  # seconds between two writes of a job's progress


@dataclass(frozen=True)
class JobKind:
    name: str
    label: object  # lazy text: "External document register"
    permission: str  # checked on the agency: "documents.add_externaldocument"
    run: Callable  # run(job, file) -> (summary: str, result: dict); raises DomainError to refuse the file
    done_url: Callable  # done_url(job) -> where the imported rows are listed
    upload_url: Callable  # upload_url(job) -> the upload page (to send a corrected file)
    formats: tuple = ("csv", "xlsx")  # file suffixes accepted
    formats_message: object = None  # lazy text naming them, with %(name)s (the file)


_kinds: dict[str, JobKind] = {}


def job_kind_register(name: str, **kwargs) -> None:
    _kinds[name] = JobKind(name=name, **kwargs)


def job_kind(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise NotFound() from None


def interrupted_message() -> str:
    return _("The background worker stopped before this import finished (it was stopped or the server "
             "restarted). Nothing was imported: run it again.")


def check_job_upload(uploaded, kind: JobKind) -> str:
    """What can be checked at once, before storing: size, suffix, and an .xlsx's archive (a zip
    bomb is refused by its directory). The rows are checked by the task."""
    check_size(uploaded)
    name = getattr(uploaded, "name", "") or ""
    suffix = file_format(name, kind.formats, kind.formats_message or FORMATS_MESSAGE)
    if suffix == "xlsx":
        uploaded.seek(0)
        check_archive(uploaded, name)
    uploaded.seek(0)
    return suffix


def import_job_start(*, kind: str, agency, uploaded, actor) -> ImportJob:
    """Store an upload to import into ``agency``, queued (the caller enqueues its task on commit)."""
    job_kind_ = job_kind(kind)
    require(actor, job_kind_.permission, agency)
    check_job_upload(uploaded, job_kind_)
    with transaction.atomic():
        job = ImportJob(kind=kind, agency=agency, original_name=(uploaded.name or "")[-255:],
                        created_by=actor if getattr(actor, "pk", None) else None)
        job.file.save(uploaded.name or "import", uploaded, save=False)
        job.save()
        audit_record(actor=actor, action="create", obj=job, agency=agency,
                     note=_("File uploaded for import: %(name)s") % {"name": job.original_name})
    return job


def import_job_task_set(*, job: ImportJob, task_id) -> None:
    """Remember which queued task runs the job (bookkeeping of the queue: no audit row)."""
    job.task_id = str(task_id or "")
    ImportJob.objects.filter(pk=job.pk).update(task_id=job.task_id)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job (the task). Runs once: a job that is not queued is left alone."""
    if not ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()):
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("agency", "created_by").get(pk=job_id)
    try:
        with job.file.open("rb") as file:
            summary, result = job_kind(job.kind).run(job, ReadProgress(file, job))
    except DomainError as exc:
        errors = exc.errors.get("file") or exc.errors.get("rows") or []
        lines = [str(e) for e in errors]
        job.status, job.errors = JobStatus.FAILED, [str(exc.message), *[e for e in lines if e != str(exc.message)]]
    except Exception:
        log.exception("Import job %s failed", job_id)
        job.status = JobStatus.FAILED
        job.errors = [_("An unexpected error occurred. It has been logged; nothing was imported.")]
    else:
        job.status, job.summary, job.result, job.errors = JobStatus.DONE, summary, result, []
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "result", "errors", "finished_at"])
    return job


def import_jobs_mark_interrupted(jobs=None) -> int:
    """Jobs still shown as queued or running whose task was lost become interrupted; how many.
    ``jobs``: a queryset or list (default: every unfinished job)."""
    if jobs is None:
        jobs = ImportJob.objects.all()
    if not isinstance(jobs, list):
        jobs = list(jobs.filter(status__in=RUNNING_STATUSES).exclude(task_id=""))
    changed = 0
    for job in jobs:
        if job.status not in RUNNING_STATUSES or not job.task_id or not workers.task_lost(job.task_id):
            continue
        message = interrupted_message()
        with transaction.atomic():
            if not ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                    status=JobStatus.INTERRUPTED, errors=[message], finished_at=timezone.now()):
                continue
            audit_record(actor=None, action="interrupt", obj=job, agency=job.agency_id, note=message,
                         changes={"status": [job.status, JobStatus.INTERRUPTED]})
        job.status, job.errors = JobStatus.INTERRUPTED, [message]
        changed += 1
    return changed


def import_job_retry(*, job: ImportJob, actor) -> ImportJob:
    """Queue an interrupted job again with its stored file (the caller enqueues it on commit)."""
    require(actor, job_kind(job.kind).permission, job.agency)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.INTERRUPTED:
            raise Conflict(_("Only an interrupted import can be run again."))
        locked.status, locked.errors, locked.summary, locked.result = JobStatus.QUEUED, [], "", {}
        locked.task_id, locked.queued_at, locked.started_at, locked.finished_at = "", timezone.now(), None, None
        locked.bytes_read = 0
        locked.save(update_fields=["status", "errors", "summary", "result", "task_id", "queued_at", "started_at",
                                   "finished_at", "bytes_read"])
        audit_record(actor=actor, action="retry", obj=locked, agency=locked.agency_id,
                     changes={"status": [JobStatus.INTERRUPTED, JobStatus.QUEUED]})
    return locked


def waiting_for_worker(job: ImportJob) -> bool:
    """Queued for over a minute and no worker alive to take it."""
    return job.status == JobStatus.QUEUED and workers.workers_missing(job.queued_at)


def job_percent(job: ImportJob) -> int | None:
    """How much of its file a running job has read (0–100), None before it starts reading; 100 once done."""
    if job.status == JobStatus.DONE:
        return 100
    if job.status != JobStatus.RUNNING or not job.bytes_total or not job.bytes_read:
        return None
    return min(100, job.bytes_read * 100 // job.bytes_total)


class ReadProgress:
    """The stored file as a job's import reads it: how far it has read is written on the job row,
    at most once every ``PROGRESS_EVERY`` seconds, so the job's page shows a percentage (an import
    reads and checks its whole file before it writes). Never in the way of the import: a write
    that fails is skipped."""

    def __init__(self, file, job: ImportJob):
        self._file, self._job = file, job
        self._last = 0.0
        try:
            job.bytes_total = file.size
        except (AttributeError, OSError):
            job.bytes_total = 0
        job.bytes_read = 0
        self._save()

    def __getattr__(self, name):  # seek, tell, seekable, readable, closed, name…: the file's own
        return getattr(self._file, name)

    @property
    def file(self):
        """Readers unwrap a Django file by its ``file``: this one is its own, so its reads are counted."""
        return self

    def __iter__(self):
        for line in self._file:
            self._advance()
            yield line

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, *args):
        data = self._file.read(*args)
        self._advance()
        return data

    def read1(self, *args):
        reader = getattr(self._file, "read1", self._file.read)
        data = reader(*args)
        self._advance()
        return data

    def readline(self, *args):
        line = self._file.readline(*args)
        self._advance()
        return line

    def readinto(self, buffer):
        n = self._file.readinto(buffer)
        self._advance()
        return n

    def _advance(self) -> None:
        try:
            position = self._file.tell()
        except (OSError, ValueError):
            return
        # Where the reader is (a reader that checks the whole file first starts again from 0).
        self._job.bytes_read = min(position, self._job.bytes_total or position)
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY:
            self._save(now)

    def _save(self, now: float | None = None) -> None:
        self._last = time.monotonic() if now is None else now
        try:
            with transaction.atomic():  # a savepoint when the import reads inside its own transaction
                ImportJob.objects.filter(pk=self._job.pk).update(bytes_read=self._job.bytes_read,
                                                                 bytes_total=self._job.bytes_total)
        except DatabaseError:  # progress is a courtesy: the import goes on without it
            log.warning("Import job progress could not be written", exc_info=True)
