"""The dossiers API (django-ninja), mounted by eiso.api.

``POST /dossiers/events`` records events sent by a one-stop system (a list of dossiers, as in a
JSONL file) through the same engine as the file imports: everything is checked first, and a body
with any bad event is refused whole (400, each bad event named), nothing written.
``GET /dossiers/{code}`` answers a dossier's timing; another agency's dossier reads as not found.
``POST /dossier-imports`` uploads a one-stop export (multipart) and queues its import on the task
worker, like the upload page; ``GET /dossier-imports/{id}`` follows it, and
``POST /dossier-imports/{id}/retry`` runs an interrupted one again.
"""

import datetime
from functools import partial
from typing import Annotated

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from eiso.core import workers
from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.glossary import codes_described
from eiso.dossiers import importing
from eiso.dossiers.choices import DossierStatus, ImportStatus
from eiso.dossiers.selectors import dossier_get_by_code_for_user
from eiso.dossiers.selectors.imports import dossier_import_get_for_user
from eiso.dossiers.services import imports as import_services
from eiso.dossiers.services.recording import allowed_agencies, dossier_events_record
from eiso.dossiers.tasks import dossier_import_enqueue
from eiso.dossiers.timing import steps_from_json
from eiso.organizations.api import ERRORS

router = Router(tags=["dossiers"])

MAX_DOSSIERS = 5000


class EventIn(Schema):
    event: str = Field(description="received, step_done, supplement_requested, supplement_received, "
                                   "payment_requested, payment_done, returned, withdrawn, stopped, refused")
    at: str = Field(description="Local time YYYY-MM-DD HH:MM (Asia/Ho_Chi_Minh) or ISO 8601 with an offset.")
    step: int | None = Field(None, description="The step handed over (step_done events).")
    note: str = ""
    actor: str = ""


class DossierIn(Schema):
    code: str
    agency: str = Field("", description="The agency's code (required with the received event).")
    procedure: str = Field("", description="The TTHC code (required with the received event).")
    channel: str = Field("", description="direct, online or postal.")
    applicant: str = ""
    events: list[EventIn]


class RecordOut(Schema):
    rows: int = Field(description="Events read.")
    dossiers_created: int
    dossiers_touched: int = Field(description="Dossiers whose events changed (retimed).")
    events_created: int
    events_duplicate: int = Field(description="Events already stored (or sent twice), not stored again.")


class DossierStepOut(Schema):
    step: int
    name: str
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    result: str | None = Field(description="early, on_time, late; null while the step is open.")


class DossierTimingOut(Schema):
    code: str
    status: str = Field(description=codes_described(DossierStatus))
    received_at: datetime.datetime
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    result: str | None = Field(description="early, on_time, late; null while open or unclassified.")
    steps: list[DossierStepOut]


class ApiRow:
    """Names an event of the body in messages: dossier 2 (STP-…), event 3."""

    __slots__ = ("index", "event", "code")

    def __init__(self, index: int, event: int | None, code: str = ""):
        self.index, self.event, self.code = index, event, code

    def __str__(self):
        where = _("dossier %(n)s") % {"n": self.index}
        if self.code:
            where += f" ({self.code})"
        if self.event is None:
            return where
        return _("%(where)s, event %(event)s") % {"where": where, "event": self.event}


def _local(value):
    return timezone.localtime(value) if value is not None else None


@router.post("/dossiers/events", response={200: RecordOut, **ERRORS}, summary="Record dossier events")
def dossier_events_post(request, payload: list[DossierIn]):
    if not allowed_agencies(request.user):
        raise Forbidden(_("You may not import dossiers into any agency."))
    if len(payload) > MAX_DOSSIERS:
        raise ValidationFailed(_("Send at most %(n)s dossiers in one request.") % {"n": MAX_DOSSIERS})
    items = [(n, item.model_dump()) for n, item in enumerate(payload, start=1)]
    names = {n: item["code"] for n, item in items}

    def rows():
        return importing.dossier_rows(items, name=lambda n, e: ApiRow(n, e, names.get(n, "")))

    summary = dossier_events_record(actor=request.user, rows=rows(), rows_again=rows, source="API")
    return summary


@router.get("/dossiers/{code}", response={200: DossierTimingOut, **ERRORS}, summary="A dossier's timing")
def dossier_get(request, code: str):
    dossier = dossier_get_by_code_for_user(request.user, code)
    return {
        "code": dossier.code,
        "status": dossier.status,
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished_at": _local(dossier.finished_at),
        "result": dossier.result or None,
        "steps": [{"step": s.step, "name": s.name, "due_at": _local(s.due_at), "finished_at": _local(s.finished_at),
                   "result": s.result or None} for s in steps_from_json(dossier.steps)],
    }


class DossierImportOut(Schema):
    id: int
    file_name: str
    agency: str | None = Field(description="The agency's code.")
    status: str = Field(description="queued, validating, importing, done, failed (refused), interrupted "
                                    "(its worker stopped: POST …/retry).")
    rows_total: int
    rows_done: int
    dossiers_touched: int
    events_created: int
    errors: list[str] = Field(description="Why it was refused or interrupted: the first line, then each bad row.")
    waiting_for_worker: bool = Field(description="Queued for over a minute and no task worker is running: "
                                                 "an administrator must start `eiso db_worker`.")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _import_out(record) -> dict:
    return {
        "id": record.pk, "file_name": record.original_name, "agency": record.agency.code if record.agency else None,
        "status": record.status, "rows_total": record.rows_total, "rows_done": record.rows_done,
        "dossiers_touched": record.dossiers_touched, "events_created": record.events_created,
        "errors": [str(e) for e in record.errors or []],
        "waiting_for_worker": record.status == ImportStatus.QUEUED and workers.workers_missing(record.queued_at),
        "created_at": _local(record.created_at), "finished_at": _local(record.finished_at),
    }


@router.post("/dossier-imports", response={202: DossierImportOut, **ERRORS},
             summary="Upload a one-stop export; its import runs in the background")
def dossier_import_post(request, file: Annotated[UploadedFile, File(description=".csv, .jsonl or .xlsx")]):
    with transaction.atomic():
        record = import_services.dossier_import_start(actor=request.user, uploaded=file)
        transaction.on_commit(partial(dossier_import_enqueue, record))
    record.refresh_from_db()
    return Status(202, _import_out(record))


@router.get("/dossier-imports/{import_id}", response={200: DossierImportOut, **ERRORS},
            summary="An import's progress and outcome")
def dossier_import_get(request, import_id: int):
    record = dossier_import_get_for_user(request.user, import_id)
    import_services.dossier_imports_mark_interrupted([record])
    return _import_out(record)


@router.post("/dossier-imports/{import_id}/retry", response={202: DossierImportOut, **ERRORS},
             summary="Run an interrupted import again")
def dossier_import_retry(request, import_id: int):
    record = dossier_import_get_for_user(request.user, import_id)
    import_services.dossier_imports_mark_interrupted([record])
    with transaction.atomic():
        record = import_services.dossier_import_retry(dossier_import=record, actor=request.user)
        transaction.on_commit(partial(dossier_import_enqueue, record))
    record.refresh_from_db()
    return Status(202, _import_out(record))
