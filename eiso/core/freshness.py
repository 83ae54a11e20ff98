"""Figures a page computes from many queries, kept in Django's cache until the data change.

A page reads one number first: the data generation (one row, ``DataGeneration``), which goes up
once after each transaction that wrote anything (any model saved or deleted, a many-to-many
changed, an audit row written, ``eiso.core.changes`` announced). What it caches is keyed by that
generation, by who reads it and for a minute at most (figures that depend on the clock, such as
"overdue", follow it within the minute), so a cached copy is never served once the data it was
computed from changed, in whichever process the change was made, even with Django's default
cache (local memory, one per process).

Writes that bypass ``save()`` (``QuerySet.update``, bulk inserts, ``COPY``) are covered because
every state change also writes its audit row (``eiso.core.audit``) or announces itself
(``eiso.core.changes``); a receiver that bumps on both keeps that true.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import LazyObject, empty

# Models whose rows change without changing anything a page shows: sessions, sign-in attempts,
# the workers' heartbeats, the task queue's rows (what a task changes moves the generation itself)
# and import progress (an import's data announce themselves), this row.
IGNORED = frozenset({"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
                     "core.taskworker", "django_tasks_database.dbtaskresult", "core.importjob",
                     "core.datageneration"})
MAX_AGE = dt.timedelta(seconds=60)  # the longest a copy is kept when the data do not change
MAX_AGE_S = 60  # the same, for template fragments ({% cache %})
TIMEOUT = 300  # seconds: when the cache drops a copy nobody read (newer generations make new keys)
_local = 0  # writes made by this process: its own uncommitted writes make its copies stale
_migrating = False  # ``migrate`` writes before the generation's table exists, and nothing is cached then


def generation(user=None) -> int:
    """The current data generation: one query, made once per request when ``user`` (the request's
    user object) is given and this process wrote nothing since."""
    from eiso.core.models import DataGeneration

    if isinstance(user, LazyObject):  # request.user: the memo goes on the user object itself, which
        if user._wrapped is empty:  # the active membership's read (User.membership) shares
            user._setup()
        user = user._wrapped
    memo = getattr(user, "__dict__", {}).get("_eiso_generation")
    if memo is not None and memo[0] == _local:
        return memo[1]
    value = DataGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    if user is not None:
        user.__dict__["_eiso_generation"] = (_local, value)
    return value


def _bump() -> None:
    from eiso.core.models import DataGeneration

    if not DataGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        DataGeneration.objects.bulk_create([DataGeneration(pk=1, value=1)], ignore_conflicts=True)


def data_written() -> None:
    """Something was written: this process's copies go stale at once (its own reads, inside the
    transaction too, see the write), every process's once the transaction commits (the generation
    row is updated then, in its own short transaction, so that writers never queue on it), once
    per transaction whatever the number of writes."""
    global _local
    _local += 1
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    if any(getattr(func, "eiso_freshness", False) and not func.sent for _sids, func, *_ in connection.run_on_commit):
        return

    def after_commit():
        after_commit.sent = True
        _bump()

    after_commit.eiso_freshness, after_commit.sent = True, False
    transaction.on_commit(after_commit, robust=True)


def _inside_a_write() -> bool:
    """Whether this thread's transaction holds writes not yet committed: a copy computed now may
    show data that a rollback undoes, and another thread or (with a shared cache) another process
    may have the same generation and write count, so such a copy is never kept for others. (The
    atomic block a test case wraps each test in does not count: its writes stand for committed ones.)"""
    connection = transaction.get_connection()
    if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        return False
    return any(getattr(func, "eiso_freshness", False) and not func.sent for _sids, func, *_ in connection.run_on_commit)


def cached(name: str, user, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its copy cached for ``user`` at this data generation and language, if
    computed less than ``MAX_AGE`` ago (figures that depend on the clock, such as "overdue",
    follow it within that time; each reader's copies expire at their own moment, not all at once)."""
    return cached_with_time(name, user, compute)[1]


def cached_with_time(name: str, user, compute: Callable[[], Any]) -> tuple[dt.datetime, Any]:
    """``cached``, with the instant the copy was computed (a page keys the fragment it renders
    from the copy by it, so that the two never disagree)."""
    key = ":".join(("eiso", name, str(getattr(user, "pk", None)), f"{generation(user)}.{_local}",
                    translation.get_language() or ""))
    now = timezone.now()
    if _inside_a_write():
        return now, compute()
    found = cache.get(key)
    if found is None or not dt.timedelta(0) <= now - found[0] < MAX_AGE:
        found = (now, compute())
        cache.set(key, found, TIMEOUT)
    return found


_memos: OrderedDict = OrderedDict()  # kept_in_process's values, least recently used first
_memos_lock = threading.Lock()
MEMO_SIZE = 1024  # values kept_in_process holds at most (the oldest goes first): a few per agency, one per person


EPOCH_KEY = "eiso:kept-in-process"


def _epoch() -> str:
    """A mark kept in Django's cache (without expiry): a new one after the cache is cleared."""
    mark = cache.get(EPOCH_KEY)
    if mark is None:
        cache.add(EPOCH_KEY, uuid.uuid4().hex, None)
        mark = cache.get(EPOCH_KEY) or ""
    return mark


def kept_in_process(name: str, key: Hashable, compute: Callable[[], Any], user=None) -> Any:
    """``compute()``, kept in this process's memory (never pickled, shared by every reader) until the
    data change: for values that depend on the data alone, never on the reader or the clock (an
    agency's working calendar and due-soon setting). ``key`` says which data (the agencies' ids);
    ``user`` (the request's user object) only spares the generation's query after its first read.
    Clearing Django's cache drops them too (they are keyed by a mark kept there)."""
    if _inside_a_write() or _migrating:
        return compute()
    full = (name, key, generation(user), _local, _epoch())
    with _memos_lock:
        found = _memos.get(full, _memos)
        if found is not _memos:
            _memos.move_to_end(full)
            return found
    value = compute()
    with _memos_lock:
        _memos[full] = value
        while len(_memos) > MEMO_SIZE:
            _memos.popitem(last=False)
    return value


def page_key(request, computed_at: dt.datetime | None = None) -> str:
    """What a cached fragment of a page is keyed by (``{% cache MAX_AGE_S "name" page_key %}``): the
    reader, the data generation, the language, the page's full path with its filters and, when the
    fragment shows a copy from ``cached_with_time``, the instant that copy was computed."""
    once = uuid.uuid4().hex if _inside_a_write() else ""  # a fragment rendered inside a write is used once
    return ":".join((str(request.user.pk), f"{generation(request.user)}.{_local}{once}",
                     translation.get_language() or "", request.get_full_path(),
                     computed_at.isoformat() if computed_at else ""))


def fragment(request, computed_at: dt.datetime) -> dict:
    """The context a page gives its ``{% cache fragment_max_age "name" fragment_key %}`` block."""
    return {"fragment_key": page_key(request, computed_at), "fragment_max_age": MAX_AGE_S}


def _on_write(sender, **kwargs) -> None:
    if _migrating or sender._meta.label_lower in IGNORED:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    data_written()


def connect() -> None:
    """Listen to every write (called from ``CoreConfig.ready``)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate

    from eiso.core.changes import data_changed

    post_save.connect(_on_write, dispatch_uid="eiso.freshness.save")
    # Deletes are listened to model by model, the IGNORED ones left out: a model with any listener
    # loses Django's fast delete (every row read first to be sent the signal), which sessions,
    # sign-in attempts and heartbeats, deleted in bulk and shown nowhere, need not pay.
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label not in IGNORED:
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"eiso.freshness.delete.{label}")
    m2m_changed.connect(lambda sender, action, **kw: action.startswith("post_") and _on_write(sender, **kw),
                        dispatch_uid="eiso.freshness.m2m", weak=False)
    data_changed.connect(lambda **kw: _migrating or data_written(), dispatch_uid="eiso.freshness.changes", weak=False)
    pre_migrate.connect(_migrate_starts, dispatch_uid="eiso.freshness.pre_migrate")
    post_migrate.connect(_migrate_ends, dispatch_uid="eiso.freshness.post_migrate")


def _migrate_starts(**kwargs) -> None:
    global _migrating
    _migrating = True


def _migrate_ends(**kwargs) -> None:
    global _migrating
    _migrating = False
