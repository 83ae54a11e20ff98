"""Cached page figures go stale on any committed write of the data they depend on, in every process
(eiso.core.freshness)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from eiso.core import freshness
from eiso.core.changes import data_changed_announce
from eiso.core.models import DataGeneration

NAMES = iter(range(1000))


def stored() -> int:
    """Every committed write counted (the generation of a reader that declares no agencies)."""
    return sum(DataGeneration.objects.values_list("value", flat=True))


def stored_by_agency() -> dict[int, int]:
    return dict(DataGeneration.objects.values_list("agency_id", "value"))


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_moves_the_generation_once_per_transaction():
    start = stored()
    with transaction.atomic():
        Group.objects.create(name=f"g{next(NAMES)}")
        Group.objects.create(name=f"g{next(NAMES)}")
        assert stored() == start  # the row is written after commit: writers never queue on it
    assert stored() == start + 1
    with transaction.atomic():
        Group.objects.create(name=f"g{next(NAMES)}")
        transaction.set_rollback(True)
    assert stored() == start + 1  # a rolled-back write changes nothing


@pytest.mark.django_db(transaction=True)
def test_announced_changes_move_it_and_sessions_do_not():
    start = stored()
    data_changed_announce(sender="test", agency_id=1, topic="dossiers")
    assert stored() == start + 1
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    assert stored() == start + 1


@pytest.mark.django_db(transaction=True)
def test_the_task_queue_s_rows_do_not_move_it(settings):
    """An announcement queues the objectives' refresh (a row of the database queue): the generation
    moves once, for the announcement, not again for the queue's row (nor when a worker runs it)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = stored()
    data_changed_announce(sender="test", agency_id=1, topic="dossiers")
    task = DBTaskResult.objects.get()
    assert stored() == start + 1
    task.claim("w-test")
    assert stored() == start + 1


@pytest.mark.django_db(transaction=True)
def test_a_copy_computed_inside_an_uncommitted_write_is_never_kept():
    """Another thread of this process (or another process on a shared cache) has the same
    generation and write count: a copy of data a rollback may undo must not reach it."""
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    class Reader:
        pk = 8

    with transaction.atomic():
        Group.objects.create(name=f"g{next(NAMES)}")
        assert freshness.cached("u", Reader(), compute) == 1
        assert freshness.cached("u", Reader(), compute) == 2  # computed again: nothing was kept
        transaction.set_rollback(True)
    assert freshness.cached("u", Reader(), compute) == 3
    assert freshness.cached("u", Reader(), compute) == 3  # outside a write, kept as before


@pytest.mark.django_db
def test_cached_computes_once_until_a_write_then_again():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    class Reader:
        pk = 7

    assert freshness.cached("t", Reader(), compute) == 1
    assert freshness.cached("t", Reader(), compute) == 1
    Group.objects.create(name=f"g{next(NAMES)}")  # uncommitted, yet this process's own copies are stale at once
    assert freshness.cached("t", Reader(), compute) == 2
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_copy_is_kept_a_minute_at_most():
    calls = []

    class Reader:
        pk = 8

    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        assert freshness.cached("t", Reader(), lambda: calls.append(1) or len(calls)) == 1
        clock.shift(dt.timedelta(seconds=59))
        assert freshness.cached("t", Reader(), lambda: calls.append(1) or len(calls)) == 1
        clock.shift(dt.timedelta(seconds=2))
        assert freshness.cached("t", Reader(), lambda: calls.append(1) or len(calls)) == 2


@pytest.mark.django_db
def test_each_reader_and_each_language_has_its_own_copy():
    """A copy is never served to another reader (what a page shows depends on who reads it) nor in
    another language (its labels are translated when computed)."""
    from django.utils import translation

    class Reader:
        def __init__(self, pk):
            self.pk = pk

    def compute(tag):
        return lambda: f"{tag}:{translation.get_language()}"

    with translation.override("vi"):
        assert freshness.cached("iso", Reader(21), compute("first")) == "first:vi"
        assert freshness.cached("iso", Reader(22), compute("second")) == "second:vi"
        assert freshness.cached("iso", Reader(21), compute("again")) == "first:vi"
    with translation.override("en"):
        assert freshness.cached("iso", Reader(21), compute("third")) == "third:en"
        assert freshness.cached("iso", Reader(22), compute("fourth")) == "fourth:en"
    with translation.override("vi"):
        assert freshness.cached("iso", Reader(22), compute("again")) == "second:vi"


@pytest.mark.django_db(transaction=True)
def test_deletes_move_it_and_rows_that_show_nothing_keep_their_fast_delete():
    """A delete moves the generation; the rows no page shows (sessions, sign-in attempts, workers'
    heartbeats) are not listened to, so deleting them stays one DELETE (clearsessions, axes' reset)
    instead of reading every row first to send it a signal."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group = Group.objects.create(name=f"g{next(NAMES)}")
    start = stored()
    group.delete()
    assert stored() == start + 1
    Group.objects.create(name=f"g{next(NAMES)}")
    start = stored()
    Group.objects.all().delete()
    assert stored() == start + 1
    for n in range(3):
        Session.objects.create(session_key=f"{n}" * 32, session_data="", expire_date=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        Session.objects.all().delete()
    verbs = [q["sql"].split()[0] for q in queries.captured_queries]
    assert [v for v in verbs if v not in ("BEGIN", "COMMIT")] == ["DELETE"]  # no SELECT of the rows first
    assert stored() == start + 1


@pytest.mark.django_db
def test_kept_in_process_is_shared_by_readers_until_a_write_or_a_cleared_cache():
    from django.core.cache import cache

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    class Reader:
        pk = 9

    class Other:
        pk = 10

    assert freshness.kept_in_process("k", (1, 2), compute, Reader()) == 1
    assert freshness.kept_in_process("k", (1, 2), compute, Other()) == 1  # shared: not per reader
    assert freshness.kept_in_process("k", (3,), compute, Reader()) == 2  # other data, its own value
    Group.objects.create(name=f"g{next(NAMES)}")
    assert freshness.kept_in_process("k", (1, 2), compute, Reader()) == 3
    assert freshness.kept_in_process("k", (1, 2), compute) == 3
    cache.clear()
    assert freshness.kept_in_process("k", (1, 2), compute) == 4
    with transaction.atomic():
        Group.objects.create(name=f"g{next(NAMES)}")
        assert freshness.kept_in_process("k", (1, 2), compute) == 5
        assert freshness.kept_in_process("k", (1, 2), compute) == 6  # inside a write: never kept


@pytest.mark.django_db
def test_a_kept_value_of_a_newer_generation_replaces_the_older_one():
    """One entry per value: the copies of older generations are not kept beside the newest."""
    key = ("replaced", next(NAMES))

    def held():
        return [entry for full, entry in freshness._memos.items() if full[:2] == key]

    freshness.kept_in_process(*key, lambda: "first")
    Group.objects.create(name=f"g{next(NAMES)}")
    assert freshness.kept_in_process(*key, lambda: "second") == "second"
    assert [value for _generation, value, _agencies in held()] == ["second"]


@pytest.mark.django_db(transaction=True)
def test_a_write_of_one_agency_counts_for_it_alone_and_a_write_of_none_for_every_one(settings):
    """The rows other processes read: one transaction moves each agency it wrote once, a write of
    no known agency moves agency 0's row alone (every reader adds it), nothing else. (The objectives'
    refresh the announcements queue waits in the queue: its writes would count too.)"""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = stored_by_agency()
    with transaction.atomic():
        Group.objects.create(name=f"g{next(NAMES)}")
        transaction.set_rollback(True)  # undone: counts for no one
    with transaction.atomic():
        freshness.data_written(901)
        freshness.data_written(902)
        freshness.data_written(901)
        assert stored_by_agency() == start  # written after commit
    moved = {k: v - start.get(k, 0) for k, v in stored_by_agency().items() if v != start.get(k, 0)}
    assert moved == {901: 1, 902: 1}
    start = stored_by_agency()
    with transaction.atomic():
        freshness.data_written(901)
        Group.objects.create(name=f"g{next(NAMES)}")  # no agency: counts for every one
    moved = {k: v - start.get(k, 0) for k, v in stored_by_agency().items() if v != start.get(k, 0)}
    assert moved == {freshness.ANY_AGENCY: 1}
    start = stored_by_agency()
    data_changed_announce(sender="test", agency_id=902, topic="audits")  # counts for its agency
    moved = {k: v - start.get(k, 0) for k, v in stored_by_agency().items() if v != start.get(k, 0)}
    assert moved == {902: 1}


@pytest.mark.django_db(transaction=True)
def test_a_copy_declared_for_an_agency_stays_through_another_agency_s_writes():
    """A reader of agency B keeps its copy when A's data change; A's readers and readers of every
    agency (nothing declared) compute again, and a write of no known agency reaches them all. The
    process's own count is set back each time, as in another process that reads the rows alone."""
    calls = []

    def compute(tag):
        return lambda: calls.append(tag) or len(calls)

    class Reader:
        pk = 31

    def read():
        return {"b": freshness.cached("b", Reader(), compute("b"), agencies=[902]),
                "a": freshness.cached("a", Reader(), compute("a"), agencies=[901, 903]),
                "all": freshness.cached("all", Reader(), compute("all"))}

    first = read()
    local = (freshness._local, dict(freshness._local_by_agency))
    try:
        data_changed_announce(sender="test", agency_id=903, topic="dossiers")
        freshness._local, freshness._local_by_agency = local[0], dict(local[1])  # seen from elsewhere
        second = read()
        assert second["b"] == first["b"]
        assert second["a"] != first["a"] and second["all"] != first["all"]
        Group.objects.create(name=f"g{next(NAMES)}")
        freshness._local, freshness._local_by_agency = local[0], dict(local[1])
        third = read()
        assert all(third[k] != second[k] for k in third)
    finally:  # the process's counts only ever go up: later keys never meet those made here
        freshness._local = local[0] + 1000
        for agency in {*local[1], 901, 902, 903, freshness.ANY_AGENCY}:
            freshness._local_by_agency[agency] = local[1].get(agency, 0) + 1000


@pytest.mark.django_db
def test_this_process_s_own_writes_count_for_their_agency_at_once():
    """Uncommitted (the test's transaction): this process's copies follow its own writes, per agency."""
    calls = []

    class Reader:
        pk = 32

    def read(agencies):
        return freshness.cached(f"own{agencies}", Reader(), lambda: calls.append(1) or len(calls), agencies)

    b, a = read([902]), read([901])
    data_changed_announce(sender="test", agency_id=901, topic="dossiers")  # sent once committed: never, here
    freshness.data_written(901)
    assert read([902]) == b and read([901]) != a


@pytest.mark.django_db
def test_copies_kept_per_agency_are_recomputed_for_their_own_agency_s_writes_alone():
    """``cached_per_agency``: the agencies whose copy is missing or stale are computed in one call;
    a write in one agency recomputes its copy alone, a write of no known agency every one; the
    instant returned is the oldest copy's, and each is kept a minute at most."""
    calls = []

    def compute(ids):
        calls.append(sorted(ids))
        return {a: (a, len(calls)) for a in ids if a != 903}  # 903: left out, None

    class Reader:
        pk = 33

    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        start = timezone.now()
        assert freshness.cached_per_agency("p", Reader(), [901, 902, 903], compute) == (
            start, {901: (901, 1), 902: (902, 1), 903: None})
        clock.shift(dt.timedelta(seconds=10))
        freshness.data_written(902)
        assert freshness.cached_per_agency("p", Reader(), [901, 902, 903], compute) == (
            start, {901: (901, 1), 902: (902, 2), 903: None})
        assert calls == [[901, 902, 903], [902]]
        clock.shift(dt.timedelta(seconds=55))  # 901's and 903's copies are 65 s old, 902's 55 s
        assert freshness.cached_per_agency("p", Reader(), [901, 902, 903], compute) == (
            start + dt.timedelta(seconds=10), {901: (901, 3), 902: (902, 2), 903: None})
        assert calls[-1] == [901, 903]
        Group.objects.create(name=f"g{next(NAMES)}")  # no agency: every copy
        freshness.cached_per_agency("p", Reader(), [901, 902, 903], compute)
        assert calls[-1] == [901, 902, 903]
        assert freshness.cached_per_agency("p", Reader(), [], compute) == (timezone.now(), {})
        assert len(calls) == 4


@pytest.mark.django_db
def test_a_copy_assembled_from_older_copies_is_kept_until_the_oldest_expires():
    """``cached_with_time(timed=True)``: the copy is kept by the instant its computation returns (the
    oldest of the copies it was assembled from), not by the instant it was assembled."""
    calls = []

    class Reader:
        pk = 34

    with time_machine.travel(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        oldest = timezone.now() - dt.timedelta(seconds=50)

        def compute():
            calls.append(1)
            return oldest, len(calls)

        assert freshness.cached_with_time("t", Reader(), compute, timed=True) == (oldest, 1)
        clock.shift(dt.timedelta(seconds=9))
        assert freshness.cached_with_time("t", Reader(), compute, timed=True) == (oldest, 1)
        clock.shift(dt.timedelta(seconds=2))  # 61 s after the oldest part, 11 s after the assembly
        assert freshness.cached_with_time("t", Reader(), compute, timed=True) == (oldest, 2)


@pytest.mark.django_db
def test_a_value_kept_for_the_agencies_it_names_stays_through_other_agencies_writes():
    """``kept_in_process(agencies_of=…)``: the agencies a value depends on are read from the value
    (a reader's membership: its agency); a write of another agency leaves it, one of its agency or
    of no known agency replaces it, and a value that names none (None) depends on every write."""
    calls = []
    key = ("named", next(NAMES))

    def compute(agency):
        return lambda: calls.append(agency) or {"agency": agency, "n": len(calls)}

    def read(agency=901):
        return freshness.kept_in_process(*key, compute(agency), agencies_of=lambda v: v["agency"] and [v["agency"]])

    assert read() == {"agency": 901, "n": 1}
    freshness.data_written(902)
    assert read() == {"agency": 901, "n": 1}
    freshness.data_written(901)
    assert read() == {"agency": 901, "n": 2}
    Group.objects.create(name=f"g{next(NAMES)}")  # no agency
    assert read() == {"agency": 901, "n": 3}
    assert read(None) == {"agency": 901, "n": 3}  # still kept: computed again only once stale
    freshness.data_written(901)
    assert read(None) == {"agency": None, "n": 4}
    freshness.data_written(902)
    assert read(None) == {"agency": None, "n": 5}  # names no agency: every write


@pytest.mark.django_db(transaction=True)
def test_a_change_announced_by_the_transaction_that_wrote_it_moves_its_agency_once(settings):
    """An announcement counts as a write of the transaction that announces it: a transaction that
    saved the agency's rows and announced the change moves the agency's count once (not once more
    when the announcement is sent), an announcement rolled back not at all."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = stored_by_agency()
    with transaction.atomic():
        freshness.data_written(905)
        data_changed_announce(sender="test", agency_id=905, topic="dossiers")
        data_changed_announce(sender="test", agency_id=906, topic="complaints")
    moved = {k: v - start.get(k, 0) for k, v in stored_by_agency().items() if v != start.get(k, 0)}
    assert moved == {905: 1, 906: 1}
    start = stored_by_agency()
    with transaction.atomic():
        data_changed_announce(sender="test", agency_id=905, topic="dossiers")
        transaction.set_rollback(True)
    assert stored_by_agency() == start


@pytest.mark.django_db
def test_the_default_cache_keeps_one_copy_per_agency_of_a_merged_province():
    """A province after the 2025 reform has a few hundred agencies, ended ones included, and an
    overseer's dashboard keeps a copy per agency: the default cache holds them all (with Django's
    default of 300 entries, one view culled its own copies and the next recomputed the province)."""
    calls = []

    def compute(ids):
        calls.append(len(ids))
        return {a: a for a in ids}

    class Reader:
        pk = 35

    agencies = range(5001, 5501)  # 500 agencies
    assert freshness.cached_per_agency("merged", Reader(), agencies, compute)[1] == {a: a for a in agencies}
    assert freshness.cached_per_agency("merged", Reader(), agencies, compute)[1] == {a: a for a in agencies}
    assert calls == [500]
