"""Workers' liveness (heartbeat, dead process) and the tasks they leave behind."""

import datetime
import os
import subprocess
import sys

import pytest
import time_machine
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eiso.core import workers
from eiso.core.models import TaskWorker

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped): what a `kill -9`ed worker leaves."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@task()
def noop() -> None:
    """A task for the queue of these tests."""


def worker(worker_id="w1", *, pid=None, host=None, seen=None, started=None):
    seen = seen or timezone.now()
    pid = pid or os.getpid()
    return TaskWorker.objects.create(worker_id=worker_id, pid=pid, host=host or workers.this_host(),
                                     process_started=workers.process_started(pid) or 0 if started is None else started,
                                     started_at=seen, seen_at=seen)


def running_task(worker_id: str) -> DBTaskResult:
    queued = DBTaskResult.objects.get(pk=noop.enqueue().id)
    queued.claim(worker_id)
    return queued


@time_machine.travel(NOW, tick=False)
def test_a_worker_is_alive_while_its_process_is_and_seen_from_elsewhere_while_it_beats():
    long_ago = NOW - workers.ALIVE_WITHIN - datetime.timedelta(seconds=1)
    assert workers.is_alive(worker("here"))
    # On its machine the process decides: a long SQLite write may keep its heartbeat waiting.
    assert workers.is_alive(worker("busy", seen=long_ago))
    assert not workers.is_alive(worker("killed", pid=dead_pid()))  # kill -9: dead at once
    assert not workers.is_alive(worker("reused", started=1))  # its process id now names another process
    # From another machine (PostgreSQL, a worker node) only the heartbeat tells.
    assert workers.is_alive(worker("elsewhere", host="node-2", pid=1))
    assert not workers.is_alive(worker("silent", host="node-3", pid=1, seen=long_ago))
    assert sorted(w.worker_id for w in workers.alive_workers()) == ["busy", "elsewhere", "here"]


@time_machine.travel(NOW, tick=False)
def test_queued_work_says_so_after_a_minute_with_no_worker(database_queue):
    minute = datetime.timedelta(minutes=1)
    assert not workers.workers_missing(NOW - datetime.timedelta(seconds=30))  # not yet: it may start
    assert workers.workers_missing(NOW - minute)
    worker(pid=dead_pid())
    assert workers.workers_missing(NOW - minute)  # a dead worker does not count
    worker("w2")
    assert not workers.workers_missing(NOW - minute)


def test_without_the_database_queue_nothing_is_missing(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert not workers.workers_missing(timezone.now() - datetime.timedelta(hours=1))


def test_a_task_running_on_a_dead_worker_is_lost_and_failed_by_the_sweep(database_queue):
    worker("alive")
    worker("killed", pid=dead_pid())
    on_live, on_dead = running_task("alive"), running_task("killed")
    waiting = DBTaskResult.objects.get(pk=noop.enqueue().id)
    assert (workers.task_lost(str(on_live.pk)), workers.task_lost(str(on_dead.pk))) == (False, True)
    assert not workers.task_lost(str(waiting.pk)) and not workers.task_lost("")
    assert workers.tasks_fail_stale() == 1
    on_dead.refresh_from_db()
    on_live.refresh_from_db()
    assert (on_dead.status, on_live.status) == ("FAILED", "RUNNING")
    assert on_dead.traceback == workers.LOST_MESSAGE
    assert workers.task_lost(str(on_dead.pk))  # ended without finishing its work: still lost


def test_the_worker_announces_itself_sweeps_at_start_and_leaves_no_row(database_queue):
    left = running_task("gone-before-restart")  # its worker was killed: no row, no heartbeat
    worker("killed-long-ago", pid=dead_pid())  # a row a killed worker left behind
    swept = []
    workers.register_sweeper(lambda: swept.append(1) or 0)
    with workers.heartbeat("w-new", every=3600) as beat:
        assert beat.is_alive()
        row = TaskWorker.objects.get(worker_id="w-new")
        assert (row.pid, row.host) == (os.getpid(), workers.this_host())
        assert list(TaskWorker.objects.all()) == [row]  # the dead worker's row is forgotten
        left.refresh_from_db()
        assert left.status == "FAILED" and swept
    assert not TaskWorker.objects.exists()
    workers._sweepers.pop()
