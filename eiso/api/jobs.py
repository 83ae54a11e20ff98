"""Import jobs over the API: upload a file (``POST /import-jobs``, multipart), then follow it
(``GET /import-jobs/{id}``) while the task worker imports it; ``POST /import-jobs/{id}/retry`` runs an
interrupted one again. The same services as the upload pages (``eiso.core.jobs``)."""

import datetime
from functools import partial
from typing import Annotated

from django.db import transaction
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from eiso.core import jobs
from eiso.core.errors import NotFound
from eiso.core.selectors import importjob_get_for_user
from eiso.core.tasks import import_job_enqueue
from eiso.organizations.api import ERRORS
from eiso.organizations.models import Agency

router = Router(tags=["imports"])


class ImportJobOut(Schema):
    id: int
    kind: str = Field(description="external_documents or admin_procedures.")
    agency: str | None = Field(description="The agency's code.")
    file_name: str
    status: str = Field(description="queued, running, done, failed (refused: see errors), interrupted (its worker "
                                    "stopped: POST …/retry).")
    summary: str = Field(description="What the import did, once done.")
    result: dict = Field(description="The counts of a finished import (created, updated, unchanged…).")
    errors: list[str] = Field(description="Why it was refused or interrupted: the first line, then each bad row.")
    percent: int | None = Field(description="While it runs: how much of its file it has read and checked, 0–100 "
                                            "(then the rows are written); 100 once done; null before it starts "
                                            "reading, or when it failed.")
    waiting_for_worker: bool = Field(description="Queued for over a minute with no task worker running: an "
                                                 "administrator must start `eiso db_worker`.")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _local(value):
    return timezone.localtime(value) if value else None


def _out(job) -> dict:
    local = _local
    return {"id": job.pk, "kind": job.kind, "agency": job.agency.code if job.agency else None,
            "file_name": job.original_name, "status": job.status, "summary": job.summary, "result": job.result or {},
            "errors": [str(e) for e in job.errors or []], "percent": jobs.job_percent(job),
            "waiting_for_worker": jobs.waiting_for_worker(job),
            "created_at": local(job.created_at), "finished_at": local(job.finished_at)}


@router.post("/import-jobs", response={202: ImportJobOut, **ERRORS},
             summary="Upload a file to import (external document register, TTHC catalogue); it runs in the background")
def import_job_post(
    request,
    kind: Annotated[str, Form(description="external_documents (.csv/.xlsx) or admin_procedures (.json/.csv/.xlsx)")],
    agency: Annotated[str, Form(description="The agency's code.")],
    file: Annotated[UploadedFile, File(description="The file.")],
):
    target = Agency.objects.filter(code=agency).first()
    if target is None:
        raise NotFound()
    with transaction.atomic():
        job = jobs.import_job_start(kind=kind, agency=target, uploaded=file, actor=request.auth)
        transaction.on_commit(partial(import_job_enqueue, job))
    job.refresh_from_db()
    return Status(202, _out(job))


@router.get("/import-jobs/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="An import's progress and outcome")
def import_job_get(request, job_id: int):
    job = importjob_get_for_user(request.auth, job_id)
    jobs.import_jobs_mark_interrupted([job])
    return _out(job)


@router.post("/import-jobs/{job_id}/retry", response={202: ImportJobOut, **ERRORS},
             summary="Run an interrupted import again")
def import_job_retry(request, job_id: int):
    job = importjob_get_for_user(request.auth, job_id)
    jobs.import_jobs_mark_interrupted([job])
    with transaction.atomic():
        job = jobs.import_job_retry(job=job, actor=request.auth)
        transaction.on_commit(partial(import_job_enqueue, job))
    job.refresh_from_db()
    return Status(202, _out(job))
