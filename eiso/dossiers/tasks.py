"""Background work of dossiers (``django.tasks``; the database worker by default: ``eiso db_worker``).

A task imports the service it runs; services never import tasks: whoever starts the work (a view)
enqueues the task once the service's transaction has committed.
"""

import contextlib
import os

from django.conf import settings
from django.tasks import task

from eiso.dossiers.services.imports import dossier_import_run, dossier_import_task_set


@contextlib.contextmanager
def lower_cpu_priority(nice: int):
    """Run the block at CPU priority ``nice`` (Unix nice value; this thread on Linux), then go back
    to the one before when the system lets us (an unprivileged worker may not raise its priority
    again: it then stays at ``nice``, which only ever concerns background work). Nothing where the
    platform has no such priority, or when ``nice`` is not above the current one."""
    try:
        before = os.getpriority(os.PRIO_PROCESS, 0)
    except (AttributeError, OSError):
        yield
        return
    lowered = False
    if nice > before:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, nice)
            lowered = True
    try:
        yield
    finally:
        if lowered:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, 0, before)


@task()
def dossier_import_task(dossier_import_id: int) -> str:
    """Import an uploaded one-stop export; its progress and outcome are kept on the DossierImport row.
    A long import is CPU work beside the web server's: it runs at a lower CPU priority
    (``EISO_IMPORT_NICE``), so the pages served on the same machine go first."""
    with lower_cpu_priority(settings.EISO_IMPORT_NICE):
        record = dossier_import_run(dossier_import_id=dossier_import_id)
    return record.status if record is not None else "missing"


def dossier_import_enqueue(record) -> None:
    """Queue the import of ``record`` and remember its task (call it once the record is committed)."""
    result = dossier_import_task.enqueue(record.pk)
    dossier_import_task_set(record=record, task_id=result.id)
