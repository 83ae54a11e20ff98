"""PostgreSQL, a first large import read in columns: its switch's transaction is opened before compute
(``StagedImport.open_direct``), which writes the final tables while Python computes; the same rows
as the general switch, nothing visible (readers wait) until the commit, nothing left by a failure."""

import contextlib
import os
import signal
import threading

import psycopg
import pytest
from django.db import connection

from eiso.core import priority
from eiso.dossiers.models import Dossier, DossierEvent
from eiso.dossiers.services import recording
from eiso.dossiers.services.recording import keys, staging
from eiso.dossiers.tests.test_import_columnar import HEADER, dossier, record, stored, wipe
from eiso.dossiers.tests.test_import_foreign_keys import foreign_keys, second_connection

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's first-import flow"),
              pytest.mark.django_db(transaction=True)]

TABLES = (Dossier._meta.db_table, DossierEvent._meta.db_table)


@pytest.fixture
def first_large(monkeypatch):
    """Every CSV file read in columns and staged, and a first import of two dossiers or more large
    enough to be loaded bare."""
    from eiso.dossiers import importing

    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(importing, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)


@pytest.fixture
def opened(monkeypatch):
    """What each ``open_direct`` answered (True: written while computed)."""
    answers, open_direct = [], staging.StagedImport.open_direct
    monkeypatch.setattr(staging.StagedImport, "open_direct",
                        lambda self, lock: answers.append(open_direct(self, lock)) or answers[-1])
    return answers


def schema():
    """The two tables' indexes and constraints, as a migrated database has them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                       "ORDER BY 1, 2", [list(TABLES)])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated FROM "
                       "pg_constraint WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [list(TABLES)])
        return indexes, cursor.fetchall()


def a_file(tmp_path):
    lines = [line for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    lines += [lines[1], lines[7], lines[7]]  # the same events again, further on
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_written_while_computed_it_stores_what_the_general_switch_stores(tthc, tmp_path, monkeypatch,
                                                                          first_large, opened):
    path = a_file(tmp_path)
    migrated = schema()
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 10**9)  # the general switch
    general = record(path)
    expected = stored()
    wipe()
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)
    first = record(path)
    assert opened == [True]
    assert stored() == expected
    assert vars(first) == vars(general)
    assert (first.events_created, first.events_duplicate) == (56, 3)  # the repeats removed
    assert schema() == migrated  # indexes, unique and foreign keys back, as they were, validated
    with connection.cursor() as cursor:  # numbered as ``_load_fresh`` numbers them: consecutive, in file order
        cursor.execute("SELECT array_agg(id ORDER BY code) FROM dossiers_dossier")
        ids = cursor.fetchone()[0]
    assert ids == list(range(ids[0], ids[0] + 12))


def test_readers_wait_for_its_commit_and_see_nothing_before(tthc, tmp_path, monkeypatch, first_large, opened):
    seen, plain = [], staging.StagedImport._plain

    def plain_and_look(self, *args):
        answer = plain(self, *args)
        self._settle()  # (its rows written, in the import's transaction)
        with connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT count(*) FROM dossiers_dossier), (SELECT count(*) FROM "
                           "dossiers_dossierevent)")
            seen.append(cursor.fetchone())
        with second_connection(autocommit=True) as reader:  # a page, meanwhile
            reader.execute("SET lock_timeout = '200ms'")
            for table in TABLES:
                try:
                    seen.append(reader.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
                except psycopg.errors.LockNotAvailable:
                    seen.append("waits")
        return answer

    monkeypatch.setattr(staging.StagedImport, "_plain", plain_and_look)
    summary = record(a_file(tmp_path))
    assert opened == [True]
    (written, events), *others = seen
    assert written > 0 and events == 59  # written while computed (the dossiers timed in columns; every event)
    assert others == ["waits", "waits"]  # but not seen
    assert (summary.dossiers_created, summary.events_created) == (12, 56)
    assert (Dossier.objects.count(), DossierEvent.objects.count()) == (12, 56)


def test_a_failure_while_computing_leaves_the_tables_empty_and_as_migrated(tthc, tmp_path, monkeypatch,
                                                                            first_large, opened):
    migrated = schema()
    plain = staging.StagedImport._plain
    under_way, raised = threading.Event(), threading.Event()

    def blocks_until_raised(_count):
        under_way.set()
        raised.wait()

    def plain_then_fail(self, *args):
        plain(self, *args)  # a COPY of its dossiers into their table queued,
        self._copier.execute("SELECT 1", done=blocks_until_raised)  # and a job behind it
        under_way.wait()  # that COPY run, in the transaction, the job after it under way as compute fails
        raised.set()
        raise RuntimeError("compute failed")

    monkeypatch.setattr(staging.StagedImport, "_plain", plain_then_fail)
    with pytest.raises(RuntimeError, match="compute failed"):
        record(a_file(tmp_path))
    assert opened == [True]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert schema() == migrated
    assert staging.stage_tables() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext('eiso_dossier_foreign_keys'))")
        assert cursor.fetchone()[0]  # released
        cursor.execute("SELECT pg_advisory_unlock(hashtext('eiso_dossier_foreign_keys'))")
    monkeypatch.setattr(staging.StagedImport, "_plain", plain)
    assert record(a_file(tmp_path)).dossiers_created == 12  # and the next import goes as usual


def test_a_copy_that_fails_while_computing_leaves_the_tables_empty_and_as_migrated(tthc, tmp_path, monkeypatch,
                                                                                    first_large, opened):
    """A COPY into the dossier table that the server refuses, in the copier's thread: its error ends
    compute, and the import, with nothing written."""
    migrated, plain = schema(), staging.StagedImport._plain

    def plain_and_a_bad_copy(self, *args):
        answer = plain(self, *args)
        self._copier.put(Dossier._meta.db_table, staging.DIRECT_COLUMNS, b"not a dossier\n")
        return answer

    monkeypatch.setattr(staging.StagedImport, "_plain", plain_and_a_bad_copy)
    with pytest.raises(psycopg.errors.DataError):
        record(a_file(tmp_path))
    assert opened == [True]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert schema() == migrated
    assert staging.stage_tables() == []


def test_without_its_locks_at_compute_start_it_computes_then_switches(tthc, tmp_path, monkeypatch, first_large,
                                                                       opened):
    """``LocksBusy`` at compute start: nothing written, the keys back, then today's flow (compute, then
    the switch, which takes its locks together again)."""
    migrated = foreign_keys()
    calls, together = [], keys.locks_together

    def busy_once(take):
        calls.append(take)
        if len(calls) == 1:
            raise keys.LocksBusy
        together(take)

    monkeypatch.setattr(staging, "locks_together", busy_once)
    switched, switch = [], staging.StagedImport.switch
    monkeypatch.setattr(staging.StagedImport, "switch",
                        lambda self, lock: switched.append((self.direct, self.keys)) or switch(self, lock))
    drops, drop = [], staging.foreign_keys_drop
    monkeypatch.setattr(staging, "foreign_keys_drop", lambda table: drops.append(table) or drop(table))
    summary = record(a_file(tmp_path))
    assert opened == [] and switched == [(None, [])]  # (open_direct raised: no answer)
    assert len(calls) == 1 and len(drops) == 1  # the keys not dropped again, nor the locks waited for: rows checked
    assert (summary.dossiers_created, summary.events_created) == (12, 56)
    assert foreign_keys() == migrated


def test_while_it_holds_its_locks_it_computes_at_the_callers_priority(tthc, tmp_path, monkeypatch, first_large,
                                                                      opened):
    """In the task worker (``priority.background``) a first import computes at the worker's own
    priority while it holds the switch's locks (others wait for them: ``core.priority``), and at the
    lowered one when it computes before its switch, holding none."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    if own >= 19:
        pytest.skip("no lower priority to run at")
    seen, plain = [], staging.StagedImport._plain

    def plain_where(self, *args):
        seen.append((self.direct is not None, threading.current_thread() is threading.main_thread(),
                     os.getpriority(os.PRIO_PROCESS, 0)))
        return plain(self, *args)

    monkeypatch.setattr(staging.StagedImport, "_plain", plain_where)
    with priority.background(own + 1):
        record(a_file(tmp_path))
        wipe()
        monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 10**9)  # the general switch
        record(a_file(tmp_path))
    assert opened == [True]
    assert seen == [(True, True, own), (False, False, own + 1)]


def test_its_indexes_and_keys_are_built_with_more_maintenance_memory_and_the_rest_as_before(
        tthc, tmp_path, first_large, opened):
    """What the tables were emptied of, built again (and the dossiers' foreign keys, added back at the
    end) with ``REBUILD_MEMORY`` (``_rebuild_memory``); the rollups, written between, with the
    setting as it was."""
    seen = []

    def memory(execute, sql, params, many, context):
        if not sql.startswith("SHOW "):
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW maintenance_work_mem")
                seen.append((sql, cursor.fetchone()[0]))
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1MB'")  # whatever the server's (the session's, reset below)
    try:
        with connection.execute_wrapper(memory):
            summary = record(a_file(tmp_path))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET maintenance_work_mem")
    assert opened == [True] and summary.dossiers_created == 12
    rebuilt = [setting for sql, setting in seen if sql.startswith("CREATE INDEX") or " ADD CONSTRAINT " in sql]
    assert len(rebuilt) >= 9 and set(rebuilt) == {staging.REBUILD_MEMORY}
    assert any("FOREIGN KEY (agency_id)" in sql for sql, _setting in seen)  # (the dossiers' keys, at the end)
    rollups = [setting for sql, setting in seen if sql.startswith("INSERT INTO dossiers_dossierrollup")]
    assert rollups and set(rollups) == {"1MB"}


@contextlib.contextmanager
def interrupt_on_signal(then=None):
    """SIGUSR1 raises KeyboardInterrupt in the main thread (what a second Ctrl-C, or the task worker's
    second SIGTERM, does), after ``then()``; yields the signal's sender, for any thread."""

    def handler(_signum, _frame):
        if then is not None:
            then()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGUSR1, handler)
    main = threading.main_thread().ident
    try:
        yield lambda: signal.pthread_kill(main, signal.SIGUSR1)
    finally:
        signal.signal(signal.SIGUSR1, previous)


def test_an_interrupt_while_cancelling_its_copies_runs_none_of_those_not_begun(tthc):
    """``_Copier.cancel`` interrupted while the job under way ends: it still waits for that job, and no
    job queued behind it runs afterwards (it would run outside the transaction rolled back next)."""
    copier, ran, started, interrupted = staging._Copier(), [], threading.Event(), threading.Event()

    def under_way(_count):
        ran.append("under way")
        started.set()
        interrupted.wait()  # until the main thread raises

    copier.execute("SELECT 1", done=under_way)
    copier.execute("SELECT 2", done=lambda _count: ran.append("queued"))
    started.wait()
    thread, join = copier.thread, copier.thread.join
    joins = []

    def interrupted_join(*args):  # the first wait for the thread interrupted, as a signal would
        joins.append(args)
        if len(joins) == 1:
            interrupted.set()
            raise KeyboardInterrupt
        join(*args)

    thread.join = interrupted_join
    with pytest.raises(KeyboardInterrupt):
        copier.cancel()
    assert copier.thread is None and not thread.is_alive()  # the job under way ended before cancel did
    join()
    assert ran == ["under way"]
    with pytest.raises(RuntimeError, match="cancelled"):  # and for good
        copier.execute("SELECT 3", done=lambda _count: ran.append("after"))
    assert ran == ["under way"]


def test_an_interrupt_while_computing_in_the_background_writes_nothing(tthc, tmp_path, monkeypatch, first_large,
                                                                        opened):
    """The task worker computes at a lowered priority (``priority.background``): a second SIGTERM (or
    Ctrl-C) there interrupts the main thread while it waits, and the import's transaction is rolled
    back. A computation that went on after it (it did, in a thread of its own) wrote nothing."""
    migrated, plain = schema(), staging.StagedImport._plain
    rolled_back, threads, staged = threading.Event(), [], []

    with interrupt_on_signal() as interrupt:
        def plain_interrupted(self, *args):
            answer = plain(self, *args)
            if threading.current_thread() is threading.main_thread():
                interrupt()  # (computed in the caller's thread: interrupted here)
            threads.append(threading.current_thread())
            interrupt()  # the main thread, waiting for this one
            rolled_back.wait()  # until the main thread has rolled back and put the keys back
            staged.append(self)
            plain(self, *args)  # its next block of dossiers, copied
            return answer

        monkeypatch.setattr(staging.StagedImport, "_plain", plain_interrupted)
        with pytest.raises(KeyboardInterrupt), priority.background(10):
            record(a_file(tmp_path))
    rolled_back.set()
    for thread in threads:
        thread.join()
    for import_ in staged:  # whatever it queued, run (or dropped) by now
        with contextlib.suppress(Exception):
            import_._settle()
    assert opened == [True]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert schema() == migrated
