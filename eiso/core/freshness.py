"""Figures a page computes from many queries, kept in Django's cache until the data change.

A page reads the data generation first (one query, ``DataGeneration``): a count per agency of the
transactions that wrote its data, going up once after each transaction that wrote anything (any
model saved or deleted, a many-to-many changed, an audit row written, ``eiso.core.changes``
announced), and the count of agency 0 for the writes whose agency is not known. What it caches is
keyed by the sum of the counts it depends on, by who reads it and for a minute at most (figures that
depend on the clock, such as "overdue", follow it within the minute), so a cached copy is never
served once the data it was computed from changed, in whichever process the change was made, even
with Django's default cache (local memory, one per process).

What a copy depends on: every count (any write makes it stale), unless the call declares
``agencies``, the ids of the agencies whose data the value is computed from (a staff member's
dashboard: their agency and those it succeeded, ``organizations.permissions.agencies_read_by``);
then only those agencies' counts and agency 0's. Declare only what is true of everything the
computation reads: figures compared across agencies, or a province's, depend on every write.

A write counts for one agency only when it is known to touch that agency's data alone: a row created,
deleted, or saved with ``update_fields`` that leave its path to the agency alone, whose model's
``Scope`` reaches the agency without a query (``agency``, or through relations already loaded);
an audit row (its agency); an announcement (its ``agency_id``). Anything else (an agency's own row,
a person, a many-to-many change, a whole-row save) counts for every agency.

Writes that bypass ``save()`` (``QuerySet.update``, bulk inserts, ``COPY``) are covered because
every state change also writes its audit row (``eiso.core.audit``) or announces itself
(``eiso.core.changes``), for the agency whose data it changed; a receiver that bumps on both keeps
that true.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.functional import LazyObject, empty

from eiso.core.policy import Scope

# Models whose rows change without changing anything a page shows: sessions, sign-in attempts,
# the workers' heartbeats, the task queue's rows (what a task changes moves the generation itself)
# and import progress (an import's data announce themselves), this row.
IGNORED = frozenset({"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
                     "core.taskworker", "django_tasks_database.dbtaskresult", "core.importjob",
                     "core.datageneration"})
MAX_AGE = dt.timedelta(seconds=60)  # the longest a copy is kept when the data do not change
MAX_AGE_S = 60  # the same, for template fragments ({% cache %})
TIMEOUT = 300  # seconds: when the cache drops a copy nobody read (newer generations make new keys)
ANY_AGENCY = 0  # the count of the writes whose agency is not known: every reader depends on it
_local = 0  # writes made by this process: its own uncommitted writes make its copies stale
_local_by_agency: dict[int, int] = {}  # the same, per agency written (ANY_AGENCY: not known)
_local_lock = threading.Lock()
_migrating = False  # ``migrate`` writes before the generation's table exists, and nothing is cached then


def _counts(user) -> dict[int, int]:
    """``{agency id: count}`` (``DataGeneration``): one query, made once per request when ``user``
    (the request's user object) is given and this process wrote nothing since."""
    from eiso.core.models import DataGeneration

    if isinstance(user, LazyObject):  # request.user: the memo goes on the user object itself, which
        if user._wrapped is empty:  # the active membership's read (User.membership) shares
            user._setup()
        user = user._wrapped
    memo = getattr(user, "__dict__", {}).get("_eiso_generation")
    if memo is not None and memo[0] == _local:
        return memo[1]
    counts = dict(DataGeneration.objects.values_list("agency_id", "value"))
    if user is not None:
        user.__dict__["_eiso_generation"] = (_local, counts)
    return counts


def generation(user=None, agencies: Iterable[int] | None = None) -> str:
    """The data generation a copy is keyed by: the committed writes counted in the database, and
    this process's own writes. ``agencies`` (ids): only the writes of those agencies, and of no known
    agency, count; None: every write (see the module's docstring)."""
    # "g2": these keys never meet those of the single count kept before (in a cache shared with
    # processes not yet restarted after the upgrade, the counts start again from 0).
    return _generation(_counts(user), _local, _local_by_agency, agencies)


def _generation(counts: dict[int, int], local_all: int, local_by_agency: dict[int, int],
                agencies: Iterable[int] | None) -> str:
    if agencies is None:
        return f"g2:{sum(counts.values())}.{local_all}"
    ids = sorted({int(a) for a in agencies} - {ANY_AGENCY})
    stored = counts.get(ANY_AGENCY, 0) + sum(counts.get(a, 0) for a in ids)
    local = local_by_agency.get(ANY_AGENCY, 0) + sum(local_by_agency.get(a, 0) for a in ids)
    named = "-".join(map(str, ids))
    if len(named) > 64:  # a province's worth of agencies: a cache key stays short
        named = hashlib.blake2b(named.encode(), digest_size=12).hexdigest()
    return f"g2:a{named}:{stored}.{local}"


def _bump(agencies: set[int]) -> None:
    from eiso.core.models import DataGeneration

    # A write of no known agency moves every reader's sum: the agencies' own counts need not move.
    # One row per statement, in order (no two writers ever hold each other's rows in turn).
    for agency_id in [ANY_AGENCY] if ANY_AGENCY in agencies else sorted(agencies):
        if not DataGeneration.objects.filter(pk=agency_id).update(value=F("value") + 1):
            # A first write of the agency. Two at once both insert 1 (one is ignored): both
            # transactions committed before either insert, so whoever reads 1 sees both.
            DataGeneration.objects.bulk_create([DataGeneration(agency_id=agency_id, value=1)], ignore_conflicts=True)


def data_written(agency_id: int | None = None) -> None:
    """Something was written (of the agency ``agency_id``; None: of an agency not known): this
    process's copies go stale at once (its own reads, inside the transaction too, see the write),
    every process's once the transaction commits (the generation's rows are updated then, in their
    own short transactions, so that writers never queue on them), once per transaction and agency
    whatever the number of writes."""
    global _local
    agency = agency_id or ANY_AGENCY
    with _local_lock:
        _local += 1
        _local_by_agency[agency] = _local_by_agency.get(agency, 0) + 1
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump({agency})
        return
    for _sids, func, *_ in connection.run_on_commit:
        if getattr(func, "eiso_freshness", False) and not func.sent:
            func.agencies.add(agency)
            return

    def after_commit():
        after_commit.sent = True
        _bump(after_commit.agencies)

    after_commit.eiso_freshness, after_commit.sent, after_commit.agencies = True, False, {agency}
    transaction.on_commit(after_commit, robust=True)


def data_announced(agency_id: int) -> None:
    """A change of the agency's data announced (``eiso.core.changes``): counted as a write of the
    transaction that announces it (a transaction that also saved the agency's rows moves its count
    once, not once more when the announcement is sent after the commit)."""
    if not _migrating:
        data_written(agency_id)


def _inside_a_write() -> bool:
    """Whether this thread's transaction holds writes not yet committed: a copy computed now may
    show data that a rollback undoes, and another thread or (with a shared cache) another process
    may have the same generation and write count, so such a copy is never kept for others. (The
    atomic block a test case wraps each test in does not count: its writes stand for committed ones.)"""
    connection = transaction.get_connection()
    if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        return False
    return any(getattr(func, "eiso_freshness", False) and not func.sent for _sids, func, *_ in connection.run_on_commit)


def cached(name: str, user, compute: Callable[[], Any], agencies: Iterable[int] | None = None) -> Any:
    """``compute()``, or its copy cached for ``user`` at this data generation and language, if
    computed less than ``MAX_AGE`` ago (figures that depend on the clock, such as "overdue",
    follow it within that time; each reader's copies expire at their own moment, not all at once).
    ``agencies``: the ids of the agencies whose data ``compute`` reads, when that is all it reads
    (see the module's docstring); None: it depends on every write."""
    return cached_with_time(name, user, compute, agencies)[1]


def cached_with_time(name: str, user, compute: Callable[[], Any],
                     agencies: Iterable[int] | None = None, *, timed: bool = False) -> tuple[dt.datetime, Any]:
    """``cached``, with the instant the copy was computed (a page keys the fragment it renders
    from the copy by it, so that the two never disagree). ``timed``: ``compute()`` returns that
    instant with the value (a value assembled from copies of ``cached_per_agency``: the oldest's,
    so that the assembled copy is not kept longer than its parts)."""
    key = ":".join(("eiso", name, str(getattr(user, "pk", None)), generation(user, agencies),
                    translation.get_language() or ""))
    now = timezone.now()
    if _inside_a_write():
        return compute() if timed else (now, compute())
    found = cache.get(key)
    if found is None or not dt.timedelta(0) <= now - found[0] < MAX_AGE:
        found = compute() if timed else (now, compute())
        cache.set(key, found, TIMEOUT)
    return found


def cached_per_agency(name: str, user, agency_ids: Iterable[int],
                      compute: Callable[[list[int]], dict[int, Any]]) -> tuple[dt.datetime, dict[int, Any]]:
    """One copy per agency, each declared for its one agency (``cached``'s ``agencies``): a write
    in agency A makes A's copy stale alone. ``compute(ids)`` returns ``{id: value}`` for the ids
    whose copy is missing or stale, all of them in one call (a fixed number of queries, whatever the
    number of agencies); an id it leaves out gets None. Returns the instant the oldest copy was
    computed (each is kept ``MAX_AGE`` at most, as ``cached``'s) and ``{id: value}`` for every id."""
    ids = list(dict.fromkeys(int(a) for a in agency_ids))
    now = timezone.now()
    if _inside_a_write():
        computed = compute(ids) if ids else {}
        return now, {a: computed.get(a) for a in ids}
    reader, language = str(getattr(user, "pk", None)), translation.get_language() or ""
    keys = {a: ":".join(("eiso", name, reader, generation(user, [a]), language)) for a in ids}
    found = cache.get_many(list(keys.values())) if keys else {}
    values, oldest, missing = {}, now, []
    for a, key in keys.items():
        copy = found.get(key)
        if copy is None or not dt.timedelta(0) <= now - copy[0] < MAX_AGE:
            missing.append(a)
        else:
            values[a] = copy[1]
            oldest = min(oldest, copy[0])
    if missing:
        computed = compute(missing)
        values.update({a: computed.get(a) for a in missing})
        cache.set_many({keys[a]: (now, values[a]) for a in missing}, TIMEOUT)
    return oldest, {a: values[a] for a in ids}


_memos: OrderedDict = OrderedDict()  # kept_in_process's values, least recently used first
_memos_lock = threading.Lock()
MEMO_SIZE = 4096  # values kept_in_process holds at most (least recently read first out): a few per agency, 3 per person


EPOCH_KEY = "eiso:kept-in-process"


def _epoch() -> str:
    """A mark kept in Django's cache (without expiry): a new one after the cache is cleared."""
    mark = cache.get(EPOCH_KEY)
    if mark is None:
        cache.add(EPOCH_KEY, uuid.uuid4().hex, None)
        mark = cache.get(EPOCH_KEY) or ""
    return mark


def kept_in_process(name: str, key: Hashable, compute: Callable[[], Any], user=None,
                    agencies: Iterable[int] | None = None, *,
                    agencies_of: Callable[[Any], Iterable[int] | None] | None = None) -> Any:
    """``compute()``, kept in this process's memory (never pickled, shared by every reader) until the
    data change: for values that depend on the data, never on the clock (an agency's working
    calendar and due-soon setting), or on a reader named in ``key`` (a reader's menu, membership or
    filter choices). ``key`` says which data (the agencies' ids, the reader's);
    ``user`` (the request's user object) only spares the generation's query after its first read.
    ``agencies`` as for ``cached``; or ``agencies_of``, when they are known from the value alone: it
    returns them for a computed value (None: every write). Clearing Django's cache drops them too
    (they are keyed by a mark kept there)."""
    if _inside_a_write() or _migrating:
        return compute()
    # One entry per value, holding the generation it was computed at (and the agencies it depends
    # on): a newer generation replaces it, so that the copies of older generations are not kept
    # beside it until they are the oldest.
    full = (name, key, _epoch())
    with _memos_lock:
        found = _memos.get(full)
    if found is not None and found[0] == generation(user, found[2] if agencies_of is not None else agencies):
        with _memos_lock:
            if full in _memos:
                _memos.move_to_end(full)
        return found[1]
    # The generation as it is before computing: a write meanwhile makes the value stale at once.
    counts = _counts(user)
    with _local_lock:
        local_all, local_by_agency = _local, dict(_local_by_agency)
    value = compute()
    declared = agencies_of(value) if agencies_of is not None else agencies
    declared = None if declared is None else tuple(sorted({int(a) for a in declared}))
    current = _generation(counts, local_all, local_by_agency, declared)
    with _memos_lock:
        _memos[full] = (current, value, declared)
        _memos.move_to_end(full)
        while len(_memos) > MEMO_SIZE:
            _memos.popitem(last=False)
    return value


def page_key(request, computed_at: dt.datetime | None = None, agencies: Iterable[int] | None = None) -> str:
    """What a cached fragment of a page is keyed by (``{% cache MAX_AGE_S "name" page_key %}``): the
    reader, the data generation (``agencies`` as for ``cached``), the language, the page's full path
    with its filters and, when the fragment shows a copy from ``cached_with_time``, the instant that
    copy was computed."""
    once = uuid.uuid4().hex if _inside_a_write() else ""  # a fragment rendered inside a write is used once
    return ":".join((str(request.user.pk), f"{generation(request.user, agencies)}{once}",
                     translation.get_language() or "", request.get_full_path(),
                     computed_at.isoformat() if computed_at else ""))


def fragment(request, computed_at: dt.datetime, agencies: Iterable[int] | None = None) -> dict:
    """The context a page gives its ``{% cache fragment_max_age "name" fragment_key %}`` block
    (``agencies``: those its copy was declared to depend on)."""
    return {"fragment_key": page_key(request, computed_at, agencies), "fragment_max_age": MAX_AGE_S}


def _on_write(sender, instance, signal, **kwargs) -> None:
    if _migrating or sender._meta.label_lower in IGNORED:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    data_written(_agency_written(sender, instance, saved=signal is post_save, created=kwargs.get("created", False),
                                 update_fields=update_fields))


def _agency_written(model, instance, *, saved: bool, created: bool, update_fields) -> int | None:
    """The agency whose data a row saved or deleted belongs to, when its model's ``Scope`` reaches it
    through relations already loaded (no query) and the write cannot have moved the row from
    another agency (created, deleted, or saved with ``update_fields`` that leave the path alone);
    None otherwise (then it counts for every agency)."""
    scope = getattr(model, "scope", None)
    if not isinstance(scope, Scope) or scope.many or not scope.path("agency"):
        return None  # an agency's own row shows in other agencies' pages too (its name, its place)
    *hops, last = scope.path("agency").split("__")
    if saved and not created:
        field = model._meta.get_field((hops or [last])[0])
        if update_fields is None or {field.name, getattr(field, "attname", field.name)} & set(update_fields):
            return None
    obj = instance
    for hop in hops:
        field = obj._meta.get_field(hop)
        if not (field.many_to_one or field.one_to_one) or not field.concrete or not field.is_cached(obj):
            return None
        obj = field.get_cached_value(obj)
        if obj is None:
            return None
    field = obj._meta.get_field(last)
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        return None
    agency_id = getattr(obj, field.attname, None)
    return agency_id if isinstance(agency_id, int) else None


def _on_m2m(sender, action, **kwargs) -> None:
    """A many-to-many change counts for every agency: the objects of either side may be another's."""
    if action.startswith("post_") and not _migrating and sender._meta.label_lower not in IGNORED:
        data_written()


def connect() -> None:
    """Listen to every write (called from ``CoreConfig.ready``)."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, pre_migrate

    post_save.connect(_on_write, dispatch_uid="eiso.freshness.save")
    # Deletes are listened to model by model, the IGNORED ones left out: a model with any listener
    # loses Django's fast delete (every row read first to be sent the signal), which sessions,
    # sign-in attempts and heartbeats, deleted in bulk and shown nowhere, need not pay.
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label not in IGNORED:
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"eiso.freshness.delete.{label}")
    m2m_changed.connect(_on_m2m, dispatch_uid="eiso.freshness.m2m")
    pre_migrate.connect(_migrate_starts, dispatch_uid="eiso.freshness.pre_migrate")
    post_migrate.connect(_migrate_ends, dispatch_uid="eiso.freshness.post_migrate")


def _migrate_starts(**kwargs) -> None:
    global _migrating
    _migrating = True


def _migrate_ends(**kwargs) -> None:
    global _migrating
    _migrating = False
