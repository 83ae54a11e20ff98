"""Background work of dossiers (``django.tasks``; the database worker by default: ``eiso db_worker``).

A task imports the service it runs; services never import tasks: whoever starts the work (a view)
enqueues the task once the service's transaction has committed.
"""

from django.conf import settings
from django.tasks import task

from eiso.core import priority
from eiso.dossiers.services.imports import dossier_import_run, dossier_import_task_set


@task()
def dossier_import_task(dossier_import_id: int) -> str:
    """Import an uploaded one-stop export; its progress and outcome are kept on the DossierImport row.
    A long import is CPU work beside the web server's: its computations run at a lower CPU priority
    (``EISO_IMPORT_NICE``), so the pages served on the same machine go first; its final switch, which
    other writers wait for, at the worker's own (``core.priority``)."""
    with priority.background(settings.EISO_IMPORT_NICE):
        record = dossier_import_run(dossier_import_id=dossier_import_id)
    return record.status if record is not None else "missing"


def dossier_import_enqueue(record) -> None:
    """Queue the import of ``record`` and remember its task (call it once the record is committed)."""
    result = dossier_import_task.enqueue(record.pk)
    dossier_import_task_set(record=record, task_id=result.id)
