"""A dossier import runs at a lower CPU priority than the pages (EISO_IMPORT_NICE)."""

import os
import threading

import pytest

from eiso.dossiers import tasks

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no Unix CPU priority here")


def in_a_thread(body) -> dict:
    """Run ``body`` in a thread of its own (on Linux the priority is the thread's: the tests' stays)."""
    seen: dict = {}
    thread = threading.Thread(target=body, args=(seen,))
    thread.start()
    thread.join()
    return seen


def test_the_import_task_runs_at_the_configured_priority(monkeypatch, settings):
    def body(seen):
        seen["before"] = os.getpriority(os.PRIO_PROCESS, 0)
        settings.EISO_IMPORT_NICE = min(seen["before"] + 5, 19)
        tasks.dossier_import_task.call(123)
        seen["after"] = os.getpriority(os.PRIO_PROCESS, 0)

    def run(*, dossier_import_id):
        ran.append((dossier_import_id, os.getpriority(os.PRIO_PROCESS, 0)))

    ran: list = []
    monkeypatch.setattr(tasks, "dossier_import_run", run)
    seen = in_a_thread(body)
    assert ran == [(123, min(seen["before"] + 5, 19))]
    if os.geteuid() == 0:  # allowed to raise it again: back where it was
        assert seen["after"] == seen["before"]


def test_a_priority_not_above_the_current_one_changes_nothing():
    start = max(os.getpriority(os.PRIO_PROCESS, 0), 7)

    def body(seen):
        os.setpriority(os.PRIO_PROCESS, 0, start)  # a thread may always lower its own priority
        with tasks.lower_cpu_priority(start - 4):  # would raise it: left alone (root could)
            seen["inside"] = os.getpriority(os.PRIO_PROCESS, 0)

    assert in_a_thread(body)["inside"] == start
