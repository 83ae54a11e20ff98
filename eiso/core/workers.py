"""Task workers' liveness and the work they left behind.

Each ``eiso db_worker`` process keeps a ``TaskWorker`` row: written when it starts, its ``seen_at``
refreshed every ``BEAT_EVERY`` seconds by a thread of its own (the heartbeat), deleted when it stops.
Seen from the machine it runs on (same host name, process namespace and boot), a worker is alive
while its process is (the same process id and start time): a ``kill -9`` shows at once, and a long
SQLite write that keeps the heartbeat waiting does not make it look dead. Seen from another machine
(PostgreSQL, workers on their own nodes), it is alive while its heartbeat is recent.

From that, for a piece of work (an import) that was queued as a task of the database backend:

- ``workers_missing(queued_at)``: queued for more than ``WAIT_BEFORE_WARNING`` with no worker alive,
  the page says so and tells an administrator to start ``eiso db_worker``;
- ``task_lost(task_id)``: its task ended without finishing it, or runs on a dead worker: the page
  marks it interrupted and offers to run it again.

``tasks_fail_stale()`` marks the tasks of dead workers failed; each worker runs it, and the sweepers
the apps register (``register_sweeper``), when it starts.
"""

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from eiso.core.models import TaskWorker

log = logging.getLogger("eiso.workers")

BEAT_EVERY = 10  # seconds between heartbeats
ALIVE_WITHIN = datetime.timedelta(seconds=90)  # seen from another machine: older than this, it is gone
WAIT_BEFORE_WARNING = datetime.timedelta(minutes=1)  # queued this long with no worker: say so
LOST_MESSAGE = "The task worker stopped while running this task (killed or restarted)."

_sweepers: list[Callable[[], int]] = []


def register_sweeper(sweeper: Callable[[], int]) -> None:
    """An app's ``() -> int``: marks its work whose task was lost as interrupted (run by each starting
    worker). Registered from the app's ``AppConfig.ready``."""
    if sweeper not in _sweepers:
        _sweepers.append(sweeper)


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def this_host() -> str:
    """The host name, and on Linux the process namespace and the boot: two processes with the same
    value see each other's process ids (and a reboot makes every earlier one another host)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    boot = _read("/proc/sys/kernel/random/boot_id")
    return " ".join(p for p in (socket.gethostname(), namespace, boot) if p)[:255]


def process_started(pid: int) -> int | None:
    """When the process ``pid`` started (clock ticks since boot), None when there is no such process
    (or only its zombie); 0 where /proc cannot tell (then the process id alone decides)."""
    stat = _read(f"/proc/{pid}/stat")
    if stat:
        fields = stat[stat.rfind(")") + 2:].split()  # after "pid (name) "
        return None if fields[0] in ("Z", "X") else int(fields[19])
    if os.path.exists("/proc/self/stat"):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return 0


def is_alive(worker: TaskWorker, *, now=None, host: str | None = None) -> bool:
    if worker.host == (host or this_host()):
        started = process_started(worker.pid)
        return started is not None and (not worker.process_started or started == worker.process_started)
    return worker.seen_at >= (now or timezone.now()) - ALIVE_WITHIN


def alive_workers() -> list[TaskWorker]:
    now, host = timezone.now(), this_host()
    return [w for w in TaskWorker.objects.all() if is_alive(w, now=now, host=host)]


def uses_database_queue() -> bool:
    """Whether the tasks go through the database queue (``eiso db_worker``), the default."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return backend.startswith("django_tasks_db.")


def workers_missing(queued_at: datetime.datetime) -> bool:
    """Work queued at ``queued_at`` has waited long enough and no worker is alive to take it."""
    if not uses_database_queue() or timezone.now() - queued_at < WAIT_BEFORE_WARNING:
        return False
    return not alive_workers()


def _task_model():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult


def task_lost(task_id: str) -> bool:
    """The task ``task_id`` will not finish its work: it ended (failed, or succeeded without
    finishing it) or runs on a worker that is dead. False when unknown (another backend, a task
    already pruned) or still waiting or running on a live worker."""
    if not task_id or not uses_database_queue():
        return False
    task = _task_model().objects.filter(pk=task_id).only("status", "worker_ids").first()
    if task is None:
        return False
    if task.status in ("FAILED", "SUCCESSFUL"):
        return True
    if task.status == "RUNNING":
        ids = {w.worker_id for w in alive_workers()}
        return not task.worker_ids or task.worker_ids[-1] not in ids
    return False


def tasks_fail_stale() -> int:
    """Mark failed every running task whose worker is dead; how many."""
    if not uses_database_queue():
        return 0
    ids = {w.worker_id for w in alive_workers()}
    stale = [t for t in _task_model().objects.filter(status="RUNNING").only("pk", "worker_ids")
             if not t.worker_ids or t.worker_ids[-1] not in ids]
    if stale:
        _task_model().objects.filter(pk__in=[t.pk for t in stale], status="RUNNING").update(
            status="FAILED", finished_at=timezone.now(), exception_class_path="eiso.core.workers.WorkerLost",
            traceback=LOST_MESSAGE)
    return len(stale)


def workers_forget_dead() -> int:
    """Remove the rows of dead workers (killed ones never remove their own); how many."""
    alive = [w.pk for w in alive_workers()]
    return TaskWorker.objects.exclude(pk__in=alive).delete()[0]


def sweep() -> int:
    """Stale tasks failed and the apps' interrupted work marked; the number of items changed."""
    changed = tasks_fail_stale()
    for sweeper in list(_sweepers):
        try:
            changed += sweeper()
        except Exception:
            log.exception("Sweeper %r failed", sweeper)
    workers_forget_dead()
    return changed


class Heartbeat(threading.Thread):
    """Refreshes the worker's ``seen_at`` every ``BEAT_EVERY`` seconds, on its own connection.

    On SQLite a long write of another process can keep the heartbeat waiting; it is retried at the
    next beat (the liveness window is several beats long)."""

    def __init__(self, worker_id: str, every: float = BEAT_EVERY):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.every = worker_id, every
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    close_old_connections()
                    TaskWorker.objects.filter(worker_id=self.worker_id).update(seen_at=timezone.now())
                except DatabaseError as exc:  # SQLite: the task holds the write lock; next beat
                    log.info("Heartbeat of worker %s not written: %s", self.worker_id, exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(self.every + 5)


@contextmanager
def heartbeat(worker_id: str, every: float = BEAT_EVERY):
    """Announce this process as the worker ``worker_id`` while the block runs: its row, its heartbeat,
    and a sweep of what dead workers left (run once, at the start)."""
    TaskWorker.objects.update_or_create(worker_id=worker_id, defaults={
        "host": this_host(), "pid": os.getpid(), "process_started": process_started(os.getpid()) or 0,
        "started_at": timezone.now(), "seen_at": timezone.now()})
    try:
        changed = sweep()
        if changed:
            log.warning("%s task(s) left by stopped workers marked failed or interrupted", changed)
    except DatabaseError:
        log.warning("Could not sweep stale tasks", exc_info=True)
    beat = Heartbeat(worker_id, every)
    beat.start()
    try:
        yield beat
    finally:
        beat.stop()
        try:
            TaskWorker.objects.filter(worker_id=worker_id).delete()
        except DatabaseError:
            log.warning("Worker %s could not remove its row", worker_id, exc_info=True)
