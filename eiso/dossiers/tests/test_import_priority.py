"""A dossier import computes at a lower CPU priority than the pages (EISO_IMPORT_NICE), and writes
its final switch, which other writers wait for, at the worker's own."""

import os
import threading

import pytest
from django.db import connections

from eiso.dossiers import tasks
from eiso.dossiers.models import Dossier
from eiso.dossiers.services import recording
from eiso.dossiers.services.recording import staging
from eiso.dossiers.tests.test_import_staging import dossier_rows

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no Unix CPU priority here")


def spied(monkeypatch, owner, name, seen):
    """``owner.name`` records the thread's priority each time it runs."""
    original = getattr(owner, name)

    def spy(*args, **kwargs):
        seen.setdefault(name, set()).add(os.getpriority(os.PRIO_PROCESS, 0))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)


@pytest.mark.django_db(transaction=True)
def test_the_import_task_computes_at_the_configured_priority_and_switches_at_the_workers(
        monkeypatch, settings, tthc, a_secretary):
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)  # staged, as a large file is
    seen: dict = {}
    spied(monkeypatch, recording.EventValidator, "check", seen)
    spied(monkeypatch, staging.StagedImport, "compute", seen)
    spied(monkeypatch, staging.StagedImport, "switch", seen)

    def run(*, dossier_import_id):
        seen["run"] = {os.getpriority(os.PRIO_PROCESS, 0)}
        recording.dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1"), source="t")

    monkeypatch.setattr(tasks, "dossier_import_run", run)

    def body():
        before = os.getpriority(os.PRIO_PROCESS, 0)
        settings.EISO_IMPORT_NICE = min(before + 5, 19)
        try:
            tasks.dossier_import_task.call(123)
        finally:
            connections.close_all()  # this thread's own connection
        return before, os.getpriority(os.PRIO_PROCESS, 0)

    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(priorities=body()))  # the tests' priority stays
    thread.start()
    thread.join()
    before, after = outcome["priorities"]
    lower = {min(before + 5, 19)}
    assert seen == {"run": {before}, "check": lower, "compute": lower, "switch": {before}}
    assert after == before
    assert Dossier.objects.get().code == "D-1"
