"""CPU priority of long background work (an import in the task worker) beside the web server.

On a machine that also serves the pages, a long computation should take only the CPU the requests
leave: a higher Unix nice value. Not so a short section that holds a lock other writers wait for
(a write transaction, on SQLite the database's only write lock): run at that low priority on a
busy machine, it gets a sliver of the CPU while every writer waits for it (priority inversion: the
final switch of a 100,000-dossier import took 38 s instead of a few, and API writes waiting for it
failed after SQLite's 20 s busy timeout).

``background(nice)`` marks a block (the import task) whose long computations may run at ``nice``;
the code inside hands each such computation to ``lowered(fn)``, which runs it in a thread of its
own at that priority (on Linux a priority is the thread's), sharing the caller's database
connections while the caller waits. The caller's thread never changes its priority, so nothing
ever needs raising again (an unprivileged process may not), and what it runs itself, outside
``lowered`` (the switch's transaction), goes at the usual priority.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import threading
from collections.abc import Callable, Iterator

from django.db import connections
from django.utils import timezone, translation

_nice: contextvars.ContextVar[int | None] = contextvars.ContextVar("eiso_background_nice", default=None)


@contextlib.contextmanager
def background(nice: int) -> Iterator[None]:
    """Inside this block, ``lowered`` runs its computations at CPU priority ``nice`` (0: as usual)."""
    token = _nice.set(nice if nice > 0 else None)
    try:
        yield
    finally:
        _nice.reset(token)


def _lower(nice: int) -> None:
    """This thread at priority ``nice``, when that is lower than its own (never higher: it could
    not be undone) and the platform has priorities."""
    with contextlib.suppress(AttributeError, OSError):
        if nice > os.getpriority(os.PRIO_PROCESS, 0):
            os.setpriority(os.PRIO_PROCESS, 0, nice)


def lowered[T](fn: Callable[..., T], /, *args, **kwargs) -> T:
    """``fn(*args, **kwargs)``, run at the priority of the enclosing ``background`` block in a thread
    of its own (the caller waits), on the caller's database connections (its transaction and
    temporary tables) and with its context (language, time zone); as it is when there is no such
    block, or inside a lowered computation already. Its exception, if any, is raised here."""
    nice = _nice.get()
    if nice is None or not sys.platform.startswith("linux"):  # elsewhere a priority is the whole process's
        return fn(*args, **kwargs)
    shared = connections.all()  # the wrappers, connected or not: the thread's connection is the caller's
    context = contextvars.copy_context()
    language, zone = translation.get_language(), timezone.get_current_timezone()  # thread-local in Django
    outcome: dict = {}

    def run() -> None:
        for wrapper in shared:
            connections[wrapper.alias] = wrapper
        _lower(nice)
        try:
            outcome["value"] = context.run(_inline, fn, args, kwargs, language, zone)
        except BaseException as exc:  # noqa: BLE001 (handed to the caller, which raises it)
            outcome["error"] = exc

    for wrapper in shared:
        wrapper.inc_thread_sharing()
    try:
        thread = threading.Thread(target=run, name="eiso-lowered", daemon=True)
        thread.start()
        thread.join()
    finally:
        for wrapper in shared:
            wrapper.dec_thread_sharing()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _inline(fn, args, kwargs, language, zone):
    _nice.set(None)  # this context's own copy: a lowered computation's own calls run in its thread
    with translation.override(language), timezone.override(zone):
        return fn(*args, **kwargs)
