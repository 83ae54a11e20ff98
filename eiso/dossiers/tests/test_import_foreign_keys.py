"""PostgreSQL, a first large import: the dossier table's foreign keys are dropped in a short
transaction before the switch and added back, validated, at its end (``recording.keys``); a failed
switch and a dead import leave them as a migrated database has them."""

import threading
import time

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from eiso.core import workers
from eiso.dossiers.models import Dossier, DossierEvent
from eiso.dossiers.services import recording
from eiso.dossiers.services.recording import dossier_events_record, keys, staging
from eiso.dossiers.tests.factories.threads import started_in_a_thread
from eiso.dossiers.tests.test_import_staging import dossier_rows

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's foreign keys and locks")

TABLE = Dossier._meta.db_table


@pytest.fixture
def first_large(monkeypatch):
    """Every input staged, and a first import of two dossiers large enough to be loaded bare."""
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(staging, "BATCH", 3)
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)


def foreign_keys():
    """Name → definition of the dossier table's foreign keys, with how they check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid), convalidated, condeferrable, condeferred "
                       "FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [TABLE])
        return {name: rest for name, *rest in cursor.fetchall()}


def watched(statements):
    def watch(execute, sql, params, many, context):
        statements.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)
    return connection.execute_wrapper(watch)


def drops(statements):
    return [(sql, atomic) for sql, atomic in statements  # (the foreign keys: the unique key is dropped too)
            if sql.startswith(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT') and "_fk_" in sql]


def referenced_tables():
    return {Dossier._meta.get_field(f).related_model._meta.db_table
            for f in ("agency", "admin_procedure", "definition", "current_unit")}


@pytest.mark.django_db(transaction=True)
def test_a_first_large_import_loads_the_dossiers_without_their_foreign_keys_and_adds_them_back_as_migrated(
        tthc, a_secretary, first_large):
    migrated = foreign_keys()
    assert len(migrated) == 4
    statements = []
    with watched(statements):
        summary = dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"),
                                        source="first")
    assert summary.dossiers_created == 2
    dropped = drops(statements)
    assert len(dropped) == 1 and dropped[0][1] is True  # one statement, in a transaction …
    assert all(name in dropped[0][0] for name in migrated)
    loaded = next(k for k, (sql, _atomic) in enumerate(statements) if sql.startswith(f"INSERT INTO {TABLE} "))
    assert statements.index(dropped[0]) < loaded  # … before the switch's
    assert foreign_keys() == migrated  # the same names and definitions, validated, deferred as before
    with pytest.raises(IntegrityError), transaction.atomic():  # and they check again
        Dossier.objects.filter(code="D-1").update(agency_id=10**9)
    assert Dossier.objects.filter(code="D-1", agency=tthc.agency).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext('eiso_dossier_foreign_keys'))")
        assert cursor.fetchone()[0]  # released
        cursor.execute("SELECT pg_advisory_unlock(hashtext('eiso_dossier_foreign_keys'))")
    statements.clear()
    with watched(statements):
        dossier_events_record(actor=a_secretary, rows=dossier_rows("D-3") + dossier_rows("D-4"), source="later")
    assert drops(statements) == []  # not empty any more
    assert foreign_keys() == migrated


def second_connection(**options):
    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"] or 5432,
                           password=s["PASSWORD"] or None, **options)


@pytest.mark.django_db(transaction=True)
def test_the_switch_takes_no_lock_on_the_tables_the_dossiers_point_at_that_stops_their_readers(
        tthc, a_secretary, first_large, monkeypatch):
    """Dropping a foreign key locks the table it points at against its readers: the keys are dropped
    before the switch, whose locks on those tables, taken at its start (the SHARE ROW EXCLUSIVE that
    adding them back takes), let their readers through, and the inserts that point at them."""
    seen, read = [], []
    load_fresh = staging.StagedImport._load_fresh

    def load_and_look(self, *args):
        with connection.cursor() as cursor:  # (before the load: held since the switch's start)
            cursor.execute("SELECT relation::regclass::text, mode FROM pg_locks WHERE pid = pg_backend_pid() "
                           "AND locktype = 'relation' AND relation::regclass::text = ANY(%s)",
                           [sorted(referenced_tables())])
            seen.extend(cursor.fetchall())
            cursor.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
                           [TABLE])
            seen.append(("foreign keys", cursor.fetchone()[0]))
        with second_connection(autocommit=True) as reader:  # a page, while the switch holds its locks
            reader.execute("SET statement_timeout = '2s'")  # (waiting for the switch would fail here)
            for table in sorted(referenced_tables()):
                read.append(reader.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            reader.execute("SELECT 1 FROM organizations_agency WHERE id = %s FOR KEY SHARE", [tthc.agency_id])
        return load_fresh(self, *args)

    monkeypatch.setattr(staging.StagedImport, "_load_fresh", load_and_look)
    dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"), source="first")
    assert ("foreign keys", 0) in seen  # loaded without them
    held = {(table, mode) for table, mode in seen if table != "foreign keys"}
    assert {(table, "ShareRowExclusiveLock") for table in referenced_tables()} <= held, seen
    assert {mode for _table, mode in held} <= {"AccessShareLock", "RowShareLock", "RowExclusiveLock",
                                               "ShareRowExclusiveLock"}, seen
    assert len(read) == 4 and all(read)
    assert len(foreign_keys()) == 4


def import_in_a_thread(outcome, monkeypatch, between, **kwargs):
    """The import, in a thread; ``between()`` is called once its foreign keys are dropped, before its switch."""
    dropped, go = threading.Event(), threading.Event()
    unkey = staging.StagedImport.unkey

    def unkey_and_pause(self):
        unkey(self)
        dropped.set()
        go.wait(30)

    monkeypatch.setattr(staging.StagedImport, "unkey", unkey_and_pause)

    importer = started_in_a_thread(outcome, lambda: dossier_events_record(**kwargs))
    try:
        assert dropped.wait(30), outcome
        assert foreign_keys() == {}  # dropped
        between()
    finally:
        go.set()
    return importer


def import_beside_a_procedure_writer(writer, outcome, monkeypatch, tthc, actor):
    """A first import of two dossiers in a thread (``import_in_a_thread``); once it has dropped the keys,
    ``writer`` writes a procedure and leaves its transaction open."""
    writer.execute("SET statement_timeout = '20s'")

    def write():
        writer.execute("UPDATE procedures_adminprocedure SET name = name WHERE id = %s", [tthc.pk])

    return import_in_a_thread(outcome, monkeypatch, write, actor=actor,
                              rows=dossier_rows("D-1") + dossier_rows("D-2"), source="first")


def blocked_by(watcher, pid, importer, query="%"):
    """Until a backend whose statement is like ``query`` waits for a lock ``pid`` holds (polled), or
    the import ends; whether it did."""
    for _ in range(3000):
        if watcher.execute("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND %s = ANY(pg_blocking_pids(pid)) AND query LIKE %s)", [pid, query]).fetchone()[0]:
            return True
        if not importer.is_alive():
            return False
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("then", ["reads the dossiers", "takes the agency"])
@pytest.mark.django_db(transaction=True)
def test_a_writer_of_a_table_the_keys_point_at_makes_the_switch_wait_not_deadlock(
        tthc, a_secretary, first_large, monkeypatch, then):
    """A transaction that wrote a procedure, then reads the dossier table or takes the import's agency
    row: the switch takes its table locks first, all together, and holds none of them while it waits
    for the writer (before, it added the keys back at its end, waiting for the writer with the dossier
    table and the agency held: a deadlock, and one side aborted)."""
    migrated = foreign_keys()
    outcome = {}
    with second_connection() as writer, second_connection(autocommit=True) as watcher:
        importer = import_beside_a_procedure_writer(writer, outcome, monkeypatch, tthc, a_secretary)
        try:
            assert blocked_by(watcher, writer.info.backend_pid, importer), outcome  # the import waits …
            assert importer.is_alive() and not outcome  # … and has not failed
            if then == "reads the dossiers":
                assert writer.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 0
            else:
                writer.execute("SELECT 1 FROM organizations_agency WHERE id = %s FOR NO KEY UPDATE", [tthc.agency_id])
            writer.commit()
        finally:
            importer.join(60)
    assert "error" not in outcome, outcome
    assert outcome["summary"].dossiers_created == 2
    assert foreign_keys() == migrated


@pytest.mark.django_db(transaction=True)
def test_a_switch_that_cannot_have_its_locks_in_time_checks_the_rows_one_by_one(
        tthc, a_secretary, first_large, monkeypatch, caplog):
    """Beyond ``SWITCH_LOCK_WAIT`` of attempts, nothing written, the keys are added back (that waits for
    the writer, holding nothing else) and the import switches with its rows checked one by one."""
    migrated = foreign_keys()
    monkeypatch.setattr(keys, "SWITCH_LOCK_WAIT", 0.3)
    outcome = {}
    with second_connection() as writer, second_connection(autocommit=True) as watcher:
        importer = import_beside_a_procedure_writer(writer, outcome, monkeypatch, tthc, a_secretary)
        try:
            assert blocked_by(watcher, writer.info.backend_pid, importer, "ALTER TABLE %ADD CONSTRAINT%"), outcome
            assert not Dossier.objects.exists()
            writer.commit()
        finally:
            importer.join(60)
    assert "error" not in outcome, outcome
    assert outcome["summary"].dossiers_created == 2
    assert "checked row by row" in caplog.text
    assert foreign_keys() == migrated


@pytest.mark.django_db(transaction=True)
def test_a_failed_switch_leaves_every_foreign_key_in_place(tthc, a_secretary, first_large, monkeypatch):
    migrated = foreign_keys()

    def fail(self, *args):
        raise RuntimeError("the switch failed")

    monkeypatch.setattr(staging.StagedImport, "_load_fresh", fail)
    statements = []
    with watched(statements), pytest.raises(RuntimeError, match="the switch failed"):
        dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"), source="failing")
    assert drops(statements)  # they had been dropped
    assert foreign_keys() == migrated
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_table_the_keys_point_at_that_stays_locked_leaves_them_checked_row_by_row(
        tthc, a_secretary, first_large, monkeypatch):
    """Beyond ``LOCK_TIMEOUT`` waiting for the agencies (a long reader holds them), nothing is dropped."""
    migrated = foreign_keys()
    monkeypatch.setattr(keys, "LOCK_TIMEOUT", "50ms")
    with second_connection() as reader:
        reader.execute("SELECT count(*) FROM organizations_agency").fetchone()  # (its transaction stays open)
        statements = []
        with watched(statements):
            summary = dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"),
                                            source="first")
        reader.rollback()
    assert summary.dossiers_created == 2
    assert len(drops(statements)) == 1  # tried, and given up
    assert foreign_keys() == migrated


@pytest.mark.django_db
def test_foreign_keys_an_import_that_died_left_missing_are_added_back_as_migrated(tthc, a_secretary):
    migrated = foreign_keys()
    with connection.cursor() as cursor:  # (the fixtures' key checks first: no ALTER TABLE with them pending)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'ALTER TABLE "{TABLE}" ' + ", ".join(f'DROP CONSTRAINT "{name}"' for name in migrated))
    assert foreign_keys() == {}
    assert sorted(keys.foreign_keys_recover(Dossier)) == sorted(migrated)
    assert foreign_keys() == migrated
    assert keys.foreign_keys_recover(Dossier) == []  # (one catalog query when none is missing)
    name = sorted(migrated)[0]
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')
    dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1"), source="api")  # every import recovers
    assert foreign_keys() == migrated
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (the import's key checks)
        cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')
    assert workers.sweep() >= 1  # and so does every task worker as it starts
    assert foreign_keys() == migrated


@pytest.mark.django_db
def test_foreign_keys_recovered_in_a_callers_transaction_keep_their_lock_until_its_end(tthc):
    """Added back but not committed yet: another recovery must not find them missing meanwhile (it would
    fail adding them again), so the lock lasts as long as the caller's transaction."""
    name = sorted(foreign_keys())[0]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}"')
    assert keys.foreign_keys_recover(Dossier) == [name]
    s = connection.settings_dict
    with psycopg.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"] or 5432,
                         password=s["PASSWORD"] or None, autocommit=True) as other:
        assert other.execute(f"SELECT pg_try_advisory_lock({keys._KEYS})").fetchone()[0] is False
