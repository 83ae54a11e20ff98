"""Large imports are staged: checked and copied into the import's own temporary tables, computed
outside any write, then switched in one short transaction (``recording.staging``). Other writers do
not wait for the whole import, a refused import leaves nothing, and a dossier another writer changes
meanwhile ends as if the writes had come one after the other."""

import datetime as dt
import sqlite3
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from eiso.core.errors import ValidationFailed
from eiso.dossiers import timing as timing_module
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup
from eiso.dossiers.services import recording
from eiso.dossiers.services.recording import EventRow, dossier_events_record, dossiers_retime, staging

Z = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def staged(monkeypatch):
    """Every input staged, in batches of three rows."""
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(staging, "BATCH", 3)


def at(day, hour):
    return dt.datetime(2026, 3, day, hour, tzinfo=Z)


def dossier_rows(code, *, day=2, steps=3, returned=True):
    rows = [EventRow(row=f"{code}/0", code=code, kind="received", at=at(day, 8), agency_code="STP",
                     procedure_code="1.004227", channel="online", applicant="Nguyễn Văn A")]
    rows += [EventRow(row=f"{code}/{n}", code=code, kind="step_done", at=at(day + n, 9), step=n)
             for n in range(1, steps + 1)]
    if returned:
        rows.append(EventRow(row=f"{code}/r", code=code, kind="returned", at=at(day + steps, 10)))
    return rows


def assert_consistent():
    """Every dossier's stored timing is what its events give, and the rollups count exactly them."""
    assert dossiers_retime(Dossier.objects.values_list("pk", flat=True)) == 0
    expected = Counter()
    zone = Z
    for d in Dossier.objects.all():
        timing = timing_module.Timing(status=d.status, received_at=d.received_at, due_at=d.due_at,
                                      finished_at=d.finished_at, result=d.result,
                                      steps=timing_module.steps_from_json(d.steps))
        for month, step, unit, result in timing_module.contributions(timing, zone):
            expected[(d.admin_procedure_id, month, step, unit, result)] += 1
    stored = Counter()
    for r in DossierRollup.objects.all():
        for result in ("early", "on_time", "late"):
            if getattr(r, result):
                stored[(r.admin_procedure_id, r.month, r.step, r.unit_id, result)] += getattr(r, result)
    assert stored == +expected


@pytest.mark.django_db
def test_a_staged_import_records_the_same_as_a_direct_one(tthc, a_secretary, monkeypatch):
    first = dossier_rows("D-1") + dossier_rows("D-2", returned=False)
    direct = dossier_events_record(actor=a_secretary, rows=first, source="direct")
    assert direct.events_created == 9
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(staging, "BATCH", 2)
    # D-2 gets its return (and its other events again), D-3 is new and arrives out of order.
    again = dossier_rows("D-2") + list(reversed(dossier_rows("D-3", day=9))) + dossier_rows("D-3", day=9)[:2]
    summary = dossier_events_record(actor=a_secretary, rows=again, source="staged")
    assert (summary.rows, summary.events_created, summary.events_duplicate) == (12, 6, 6)
    assert (summary.dossiers_created, summary.dossiers_touched) == (1, 2)
    d2, d3 = Dossier.objects.get(code="D-2"), Dossier.objects.get(code="D-3")
    assert d2.status == "returned" and d2.finished_at == at(5, 10)
    assert (d3.channel, d3.applicant, d3.received_at, d3.status) == ("online", "Nguyễn Văn A", at(9, 8), "returned")
    assert DossierEvent.objects.filter(dossier=d3).count() == 5
    assert set(DossierEvent.objects.filter(dossier=d3).values_list("source", flat=True)) == {"staged"}
    assert_consistent()


@pytest.mark.django_db
def test_a_refused_staged_import_writes_nothing_and_leaves_no_staging_table(tthc, a_secretary, staged):
    rows = dossier_rows("D-1") + [EventRow(row=99, code="D-1", kind="teleported", at=at(3, 8))]
    with pytest.raises(ValidationFailed) as refused:
        dossier_events_record(actor=a_secretary, rows=rows, source="bad")
    assert any("99" in str(e) for e in refused.value.errors["rows"])
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert staging.stage_tables() == []


@pytest.mark.django_db
def test_a_dossier_changed_by_another_writer_before_the_switch_is_recomputed(tthc, a_secretary, staged):
    dossier_events_record(actor=a_secretary, rows=dossier_rows("OLD", steps=1, returned=False), source="first")

    def meanwhile(phase, done, total):  # between the computation and the switch: two writes from the API
        if phase == "retime" and done == 0:
            with pytest.MonkeyPatch.context() as direct:
                direct.setattr(recording, "STAGE_FROM_ROWS", 10_000)
                dossier_events_record(actor=a_secretary, source="API", rows=[
                    EventRow(row=1, code="OLD", kind="step_done", at=at(4, 9), step=2),
                    *dossier_rows("NEW", day=10, steps=1, returned=False)])

    rows = [EventRow(row=1, code="OLD", kind="step_done", at=at(5, 9), step=3),
            EventRow(row=2, code="OLD", kind="returned", at=at(5, 10)), *dossier_rows("NEW", day=10)]
    summary = dossier_events_record(actor=a_secretary, rows=rows, source="file", progress=meanwhile)
    old, new = Dossier.objects.get(code="OLD"), Dossier.objects.get(code="NEW")
    assert [s["finished_at"] is not None for s in old.steps] == [True, True, True]
    assert old.status == new.status == "returned"
    assert Dossier.objects.count() == 2
    assert DossierEvent.objects.filter(dossier=new).count() == 5  # the API's two and the file's three more
    assert summary.events_created == 5
    assert_consistent()


@pytest.mark.django_db
def test_a_first_import_finds_a_dossier_another_writer_created_before_its_switch(tthc, a_secretary, staged,
                                                                                  monkeypatch):
    """A first import into empty tables (loaded without their indexes, ``INDEX_AFTER_LOAD_FROM``) whose
    tables are no longer empty at its switch: the dossier created meanwhile is found and recomputed."""
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)

    def meanwhile(phase, done, total):
        if phase == "retime" and done == 0:
            with pytest.MonkeyPatch.context() as direct:
                direct.setattr(recording, "STAGE_FROM_ROWS", 10_000)
                dossier_events_record(actor=a_secretary, source="API", rows=[
                    *dossier_rows("D-2", steps=1, returned=False),
                    EventRow(row=9, code="D-2", kind="step_done", at=at(20, 9), step=3)])

    rows = dossier_rows("D-1") + dossier_rows("D-2", returned=False) + dossier_rows("D-3")
    summary = dossier_events_record(actor=a_secretary, rows=rows, source="file", progress=meanwhile)
    assert Dossier.objects.count() == 3
    assert DossierEvent.objects.filter(dossier=Dossier.objects.get(code="D-2")).count() == 5
    assert summary.dossiers_created == 2
    assert_consistent()


@pytest.mark.django_db
def test_a_staged_increment_finds_the_stored_dossier_of_its_own_agency_when_another_has_the_same_code(
        tthc, a_secretary, agency_b, unit_b, staged):
    from eiso.procedures.tests.factories import procedure_with_process

    procedure_with_process(agency_b, unit=unit_b, code="2.000001", document_code="QT-XD-01")
    other = [EventRow(row=1, code="SAME", kind="received", at=at(2, 8), agency_code="SXD", procedure_code="2.000001")]
    dossier_events_record(actor=a_secretary, rows=dossier_rows("SAME", returned=False), source="A")
    dossier_events_record(actor=None, rows=other, source="B")  # stored after A's: read after it
    summary = dossier_events_record(actor=a_secretary, source="A again", rows=[
        EventRow(row=1, code="SAME", kind="returned", at=at(6, 10)), *dossier_rows("NEW", day=10)])
    assert (summary.dossiers_created, summary.dossiers_touched, summary.events_created) == (1, 2, 6)
    mine, theirs = Dossier.objects.get(code="SAME", agency__code="STP"), Dossier.objects.get(code="SAME",
                                                                                             agency__code="SXD")
    assert mine.status == "returned" and mine.finished_at == at(6, 10)
    assert theirs.status != "returned" and DossierEvent.objects.filter(dossier=theirs).count() == 1
    assert_consistent()


@pytest.mark.django_db
def test_a_staged_increment_moves_the_receipt_of_a_stored_dossier_only_when_an_earlier_one_comes(
        tthc, a_secretary, staged):
    dossier_events_record(actor=a_secretary, rows=dossier_rows("EARLIER", returned=False) + dossier_rows(
        "SAME", returned=False), source="first")
    summary = dossier_events_record(actor=a_secretary, source="night", rows=[
        EventRow(row=1, code="EARLIER", kind="received", at=at(2, 7) - dt.timedelta(minutes=30), agency_code="STP",
                 procedure_code="1.004227"),
        EventRow(row=2, code="SAME", kind="returned", at=at(6, 10))])
    assert (summary.dossiers_touched, summary.events_created) == (2, 2)
    earlier, same = Dossier.objects.get(code="EARLIER"), Dossier.objects.get(code="SAME")
    assert earlier.received_at == at(2, 7) - dt.timedelta(minutes=30)
    assert (same.received_at, same.status) == (at(2, 8), "returned")
    assert_consistent()


@pytest.mark.django_db
@pytest.mark.parametrize("kept_up_to", [100_000, 0])
def test_a_staged_increment_kept_in_memory_is_timed_as_one_read_back_from_the_staging_table(
        tthc, a_secretary, staged, monkeypatch, kept_up_to):
    """A row-by-row input of up to KEPT_UP_TO rows keeps its events in memory as it stages them (UTC µs):
    they are timed without being read back, with the same results; a larger one is read back."""
    monkeypatch.setattr(staging, "KEPT_UP_TO", kept_up_to)
    dossier_events_record(actor=a_secretary, rows=dossier_rows("OPEN", returned=False) + dossier_rows(
        "SAME", steps=2, returned=False), source="first")
    same_before = Dossier.objects.get(code="SAME")
    statements = []

    def watch(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    rows = [EventRow(row=1, code="OPEN", kind="returned", at=at(5, 10)),
            EventRow(row=2, code="SAME", kind="step_done", at=at(6, 9), step=1),  # done already: the same timing
            *reversed(dossier_rows("NEW", day=9)), dossier_rows("NEW", day=9)[1]]  # out of order, one event twice
    with connection.execute_wrapper(watch):
        summary = dossier_events_record(actor=a_secretary, rows=rows, source="night")
    read_back = [s for s in statements if s.startswith(f"SELECT grp, kind, at, step, channel, applicant FROM "
                                                       f"{staging.EVENTS}")]
    assert len(read_back) == (0 if kept_up_to else 1)
    assert (summary.rows, summary.events_created, summary.events_duplicate, summary.dossiers_created) == (8, 7, 1, 1)
    opened, same, new = (Dossier.objects.get(code=code) for code in ("OPEN", "SAME", "NEW"))
    assert (opened.status, opened.finished_at) == ("returned", at(5, 10))
    assert (same.status, same.steps, same.updated_at) == (same_before.status, same_before.steps,
                                                          same_before.updated_at)
    assert (new.channel, new.applicant, new.received_at, new.status) == ("online", "Nguyễn Văn A", at(9, 8),
                                                                         "returned")
    assert DossierEvent.objects.filter(dossier=new).count() == 5
    assert_consistent()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT compilation")
@pytest.mark.parametrize("large", [False, True])
def test_a_small_switch_runs_without_jit_compilation_and_a_large_one_keeps_it(tthc, a_secretary, staged,
                                                                               monkeypatch, large):
    if large:
        monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 1)
    seen = []

    def jit_setting(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO dossiers_dossierevent"):
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW jit")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:  # whatever the server's own setting: ended with the test's transaction
        cursor.execute("SET LOCAL jit = on")
    with connection.execute_wrapper(jit_setting):
        dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1"), source="file")
    assert seen and set(seen) == {"on" if large else "off"}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's locks")
def test_a_first_import_locks_the_empty_dossier_table_instead_of_searching_it_for_other_writers_codes(
        tthc, a_secretary, staged, monkeypatch):
    """Into the empty tables the switch locks the dossier table and finds it empty before it would
    look for codes another writer created meanwhile: nothing to look for, no read of the staged
    dossiers for it (nor for their count). A later import, into a table with dossiers, looks."""
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)
    statements = []

    def seen(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def reads_of_staged_dossiers():
        return [sql for sql in statements
                if staging.DOSSIERS in sql and ("conflict = 1" in sql or sql.startswith("SELECT COUNT(*)"))]

    with connection.execute_wrapper(seen):
        first = dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"),
                                      source="first")
    assert (first.dossiers_created, first.dossiers_touched) == (2, 2)
    assert any(sql.startswith('LOCK TABLE "dossiers_dossier"') for sql in statements)
    assert reads_of_staged_dossiers() == []
    statements.clear()
    with connection.execute_wrapper(seen):
        later = dossier_events_record(actor=a_secretary, rows=dossier_rows("D-3") + dossier_rows("D-4"),
                                      source="later")
    assert (later.dossiers_created, later.dossiers_touched) == (2, 2)
    assert reads_of_staged_dossiers()  # the search for other writers' codes
    assert not any(sql.startswith("LOCK TABLE") for sql in statements)
    assert Dossier.objects.count() == 4
    assert_consistent()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite write lock")
def test_a_write_from_another_connection_succeeds_while_an_import_is_between_batches(tthc, a_secretary, staged):
    """Another connection that will not wait at all (busy timeout 0) writes while the import is
    between two staged batches and while it computes: the import holds no lock of the shared file
    then (it used to hold it from its first write to its end)."""
    writes = []

    def other_write():
        other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO core_auditevent (at, actor_repr, content_type_id, object_id, object_repr, "
                          "action, changes, note) SELECT '2026-01-01', '', id, '1', 'beside', 'comment', '{}', '' "
                          "FROM django_content_type LIMIT 1")
            other.execute("COMMIT")
            writes.append("ok")
        except sqlite3.OperationalError as exc:
            writes.append(str(exc))
        finally:
            other.close()

    def rows():
        for n, r in enumerate(dossier_rows("D-1") + dossier_rows("D-2") + dossier_rows("D-3"), start=1):
            yield r
            if n == 7:  # two batches of three are staged, the third is being filled
                thread = threading.Thread(target=other_write)
                thread.start()
                thread.join()

    def progress(phase, done, total):
        if phase == "write":
            thread = threading.Thread(target=other_write)
            thread.start()
            thread.join()

    summary = dossier_events_record(actor=a_secretary, rows=rows(), source="file", progress=progress)
    assert summary.events_created == 15
    assert writes and set(writes) == {"ok"}, writes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's attached staging database")
def test_outside_a_transaction_sqlite_stages_into_a_database_of_its_own_detached_at_the_end(tthc, a_secretary,
                                                                                              staged):
    """Outside a transaction the staging tables are made in a private database attached to the import's
    connection, and the end of the import detaches it (its file discarded whole) instead of dropping
    them table by table; a refused import too. Nothing is left on the connection."""
    seen = []

    def progress(phase, done, total):
        if phase == "write" and not seen:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT name FROM {staging.STAGE_SCHEMA}.sqlite_master WHERE type = 'table'")
                seen.append(sorted(name for (name,) in cursor.fetchall()))

    def attached():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pragma_database_list")
            return {name for (name,) in cursor.fetchall()} - {"main", "temp"}

    statements = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        summary = dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"),
                                        source="file", progress=progress)
        assert summary.events_created == 10
        assert seen == [sorted([staging.DOSSIERS, staging.EVENTS])]
        assert attached() == set() and staging.stage_tables() == []
        ends = statements[statements.index(f"ATTACH DATABASE '' AS {staging.STAGE_SCHEMA}"):]
        assert f"DETACH DATABASE {staging.STAGE_SCHEMA}" in ends
        assert not [sql for sql in ends if sql.startswith("DROP TABLE") and "eiso_stage" in sql]
        rows = dossier_rows("D-3") + [EventRow(row=99, code="D-3", kind="teleported", at=at(3, 8))]
        with pytest.raises(ValidationFailed):
            dossier_events_record(actor=a_secretary, rows=rows, source="bad")
        assert attached() == set() and staging.stage_tables() == []
    assert Dossier.objects.count() == 2


def dossier_indexes():
    """Name → definition of every index of the dossier and event tables."""
    tables = [Dossier._meta.db_table, DossierEvent._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s)", tables)
        return dict(cursor.fetchall())


def dossier_constraints():
    """Name → (definition, validated) of every constraint of the dossier and event tables (PostgreSQL;
    SQLite's are part of the table's own definition, which the import never changes)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid), convalidated, condeferrable, condeferred "
                       "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
                       [[Dossier._meta.db_table, DossierEvent._meta.db_table]])
        return {name: rest for name, *rest in cursor.fetchall()}


@pytest.mark.django_db
def test_a_first_import_into_empty_tables_builds_their_indexes_after_the_load(tthc, a_secretary, staged,
                                                                                 monkeypatch):
    before, keys = dossier_indexes(), dossier_constraints()
    assert len(before) > 5
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)
    dropped = []
    drop = staging.StagedImport._drop_indexes_of_empty_tables
    monkeypatch.setattr(staging.StagedImport, "_drop_indexes_of_empty_tables",
                        lambda self, cursor, tables: dropped.append(drop(self, cursor, tables)) or dropped[-1])
    fresh, load_fresh = [], staging.StagedImport._load_fresh
    monkeypatch.setattr(staging.StagedImport, "_load_fresh",
                        lambda self, *args: fresh.append(load_fresh(self, *args)) or fresh[-1])
    rows = dossier_rows("D-1") + dossier_rows("D-2", returned=False)
    summary = dossier_events_record(actor=a_secretary, rows=[*rows, rows[1], rows[6]], source="first")
    assert (summary.events_created, summary.events_duplicate, summary.dossiers_created) == (9, 2, 2)
    assert len(dropped[0]) >= 5  # the plain indexes (on PostgreSQL the event table's keys too) were built
    if connection.vendor == "postgresql":  # after the load …
        assert any("FOREIGN KEY" in sql for sql in dropped[0]) and any("UNIQUE" in sql for sql in dropped[0])
        assert any(sql.startswith('ALTER TABLE "dossiers_dossier" ADD CONSTRAINT "dossier_code_unique_in_agency" '
                                  "UNIQUE") for sql in dropped[0])  # the dossiers' code in their agency too
    assert dossier_indexes() == before  # … as they were
    assert dossier_constraints() == keys
    assert DossierEvent.objects.count() == 9  # each event once
    assert fresh == [True]  # consecutive ids, the events' worked out from their dossier's number
    assert_consistent()
    dossier_events_record(actor=a_secretary, rows=dossier_rows("D-3") + dossier_rows("D-4"), source="second")
    assert dropped[1] == []  # not empty any more: loaded with its indexes
    assert dossier_indexes() == before
    assert dossier_constraints() == keys
    assert Dossier.objects.count() == 4
    assert_consistent()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's maintenance_work_mem")
@pytest.mark.parametrize(("server", "building"), [("1MB", staging.REBUILD_MEMORY), ("2GB", "2GB")])
def test_a_first_import_builds_its_indexes_and_keys_with_more_maintenance_memory_then_puts_it_back(
        tthc, a_secretary, staged, monkeypatch, server, building):
    """The switch's rebuild after a first import's load (``_rebuild_memory``) sorts with
    ``REBUILD_MEMORY`` (a server that has more keeps its own); the statements before and after it
    run with the setting as it was, and it is as it was after the import."""
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)
    seen = []

    def memory(execute, sql, params, many, context):
        if not sql.startswith("SHOW "):
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW maintenance_work_mem")
                seen.append((sql, cursor.fetchone()[0]))
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:  # ended with the test's transaction
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{server}'")
    with connection.execute_wrapper(memory):
        summary = dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2"),
                                        source="first")
    assert summary.dossiers_created == 2
    rebuilt = [setting for sql, setting in seen if sql.startswith("CREATE INDEX") or " ADD CONSTRAINT " in sql]
    assert len(rebuilt) >= 8 and set(rebuilt) == {building}
    loaded = [setting for sql, setting in seen if sql.startswith(("INSERT INTO dossiers_dossierevent",
                                                                    "INSERT INTO dossiers_dossierrollup"))]
    assert len(loaded) >= 2 and set(loaded) == {server}
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        assert cursor.fetchone()[0] == server
    assert_consistent()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock, held by the switch")
@pytest.mark.parametrize("first", [True, False])
def test_a_switch_into_an_empty_dossier_table_on_sqlite_does_not_scan_the_staged_dossiers_for_conflicts(
        tthc, a_secretary, staged, monkeypatch, first):
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)
    if not first:  # a dossier stored: the conflict checks run
        dossier_events_record(actor=a_secretary, rows=dossier_rows("D-0"), source="before")
    statements, switch = [], staging.StagedImport.switch

    def recorded(self, lock):
        with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
            return switch(self, lock)

    monkeypatch.setattr(staging.StagedImport, "switch", recorded)
    rows = dossier_rows("D-1") + dossier_rows("D-2", returned=False)
    summary = dossier_events_record(actor=a_secretary, rows=[*rows, rows[1]], source="first")
    assert (summary.events_created, summary.events_duplicate, summary.dossiers_created) == (9, 1, 2)
    assert summary.dossiers_touched == 2
    read = [sql for sql in statements if staging.DOSSIERS in sql and not sql.startswith("INSERT INTO")]
    assert bool(read) is not first  # (the staged dossiers are read by the load's INSERT … SELECT only)
    assert_consistent()


@pytest.mark.django_db
def test_an_import_failing_between_the_load_and_the_index_build_leaves_every_index(tthc, a_secretary, staged,
                                                                                    monkeypatch):
    """The indexes are dropped inside the switch's transaction: an import that fails after loading
    the rows and before building them again (here a statement that cannot run) writes nothing and
    leaves the tables with every index they had."""
    before, keys = dossier_indexes(), dossier_constraints()
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 2)
    dropped = []
    drop = staging.StagedImport._drop_indexes_of_empty_tables

    def drop_then_fail(self, cursor, tables):
        dropped.append(drop(self, cursor, tables))
        return ["CREATE INDEX eiso_test_broken ON eiso_no_such_table (x)", *dropped[-1]]

    monkeypatch.setattr(staging.StagedImport, "_drop_indexes_of_empty_tables", drop_then_fail)
    with pytest.raises(Exception, match="eiso_no_such_table"):
        dossier_events_record(actor=a_secretary, rows=dossier_rows("D-1") + dossier_rows("D-2", returned=False),
                              source="half way")
    assert len(dropped[0]) >= 5  # they had been dropped and the rows loaded when it failed
    assert dossier_indexes() == before
    assert dossier_constraints() == keys
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert not DossierRollup.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's visibility map")
def test_a_large_import_outside_a_transaction_leaves_the_dossier_pages_all_visible(tthc, a_secretary, staged):
    """A first large import vacuums the dossier table (after its commit), so that its pages are
    all-visible and counts of open dossiers are answered from their index alone
    (``statistics.open_now``) without waiting for autovacuum. ANALYZE alone would leave
    relallvisible at 0. (Whether VACUUM marks a page depends on its getting the page's cleanup lock:
    a moment's pin by the background writer makes it leave the page, so the test asserts the VACUUM
    and its count, not the visibility map.)"""
    run = []

    def watch(execute, sql, params, many, context):
        run.append(sql)
        return execute(sql, params, many, context)

    rows = dossier_rows("D-1") + dossier_rows("D-2", returned=False)
    with connection.execute_wrapper(watch):
        summary = dossier_events_record(actor=a_secretary, rows=rows, source="file")
    assert summary.dossiers_created == 2
    table = Dossier._meta.db_table
    assert f"VACUUM (ANALYZE) {table}" in run
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        assert cursor.fetchone()[0] == 2  # (counted by it: the table was empty before)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's INSERT … VALUES of many rows")
def test_rows_are_staged_on_sqlite_many_per_statement_all_of_them_in_order():
    columns = ("grp", "seq", "kind", "at", "step", "note", "actor")
    per = staging.SQLITE_PARAMETERS // len(columns)
    rows = [(n // 6, n, "step_done", f"2026-03-02 0{n % 10}:00:00", n % 5, "", f"actor {n}")
            for n in range(2 * per + 5)]
    statements = []

    def record(execute, sql, params, many, context):
        params = list(params) if many else params
        statements.append((sql.count("("), [len(p) for p in params] if many else [len(params)]))
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE eiso_test_rows (grp integer, seq integer, kind text, at text, "
                       "step integer, note text, actor text)")
        try:
            with connection.execute_wrapper(record):
                staging._insert_values(cursor, "eiso_test_rows", columns, rows)  # noqa: SLF001
            cursor.execute("SELECT grp, seq, kind, at, step, note, actor FROM eiso_test_rows ORDER BY rowid")
            assert cursor.fetchall() == rows
        finally:
            cursor.execute("DROP TABLE eiso_test_rows")
    # Two statements of ``per`` rows (one executemany), then one of the 5 left; none over the parameter limit.
    assert [(sql_rows - 1, sizes) for sql_rows, sizes in statements] == [
        (per, [per * len(columns)] * 2), (5, [5 * len(columns)])]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's INSERT … VALUES of many rows")
def test_a_frame_is_staged_on_sqlite_from_its_values_row_after_row():
    import polars as pl

    frame = pl.DataFrame({"grp": [0, 0, 1], "seq": [1, 2, 3], "kind": ["received", "step_done", "received"],
                          "at": ["2026-03-02 01:00:00", "2026-03-02 02:00:00", "2026-03-03 01:00:00"],
                          "step": [0, 1, 0], "note": ["", "Đã ký", ""], "actor": ["", "", "Nguyễn Văn A"]})
    flat = staging._flat_rows(frame)  # noqa: SLF001
    assert flat == [value for row in frame.rows() for value in row]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE eiso_test_rows (grp integer, seq integer, kind text, at text, "
                       "step integer, note text, actor text)")
        try:
            staging._insert_values(cursor, "eiso_test_rows", tuple(frame.columns), flat=flat)  # noqa: SLF001
            cursor.execute("SELECT grp, seq, kind, at, step, note, actor FROM eiso_test_rows ORDER BY rowid")
            assert cursor.fetchall() == frame.rows()
        finally:
            cursor.execute("DROP TABLE eiso_test_rows")
