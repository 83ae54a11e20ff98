"""Large inputs, staged: writers beside a long import wait a moment, never fail.

A large input (``STAGE_FROM_ROWS`` rows or more: a file of a one-stop system, the demo) is not
written in one long transaction, which would hold SQLite's only write lock, and every other
writer's, for the whole import. Instead, in the import's own connection:

1. ``StagedImport.add`` (a row-by-row read) and ``add_frame`` (a CSV file read in columns, block
   by block) copy the good rows, as they are read and checked (the input is read once), into a
   temporary table, in batches: on PostgreSQL by ``COPY``, run by a thread of its own on the same
   connection (``_Copier``) while Python reads the next block; on SQLite by multi-row inserts (into
   a private database attached to the connection, ``STAGE_SCHEMA``, when no transaction is open). A
   temporary table (or attached temporary database) belongs to the connection: writing it takes no
   lock any other connection waits for, and it disappears with the connection, so a killed import
   leaves nothing behind.
2. ``compute`` takes the staged events dossier by dossier (``DOSSIER_CHUNK`` at a time): from the
   columns kept by a columnar read, from memory (a night's export), or else read back from the
   staging table; with the stored events and timing of the dossiers that exist already (plain
   reads), it computes each touched dossier's timing with the pure ``timing`` functions and the
   rollup differences, and stages the results in a second temporary table. A first import's
   plain new dossiers are timed in columns instead, a block at a time (``plain``). Nothing shared
   is written yet.
3. ``switch`` writes everything in one short transaction, set-based: new dossiers and events by
   ``INSERT … SELECT`` from the staging tables, changed timings by ``UPDATE … FROM``, the rollups
   by their differences. A dossier another writer changed meanwhile (a new event through the API, a
   dossier of the same code created) is detected there and recomputed from all its events inside
   the switch, so the result is the same as if the writes had come one after the other. (A first
   import into tables found empty at the switch, and locked, has nothing to detect; tables no
   longer empty take the general path, which does.)

Until the switch commits, nothing of the import is visible; a refused, failed or interrupted import
leaves only its temporary tables, which ``drop`` (or the end of the connection) removes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import queue
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC

from django.db import DatabaseError, connection
from django.utils import timezone

from eiso.dossiers import timing as timing_module
from eiso.dossiers.choices import Channel, EventKind, SupplementMode
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup, DossierSettings
from eiso.dossiers.services.recording.definitions import current_definitions, definition_steps
from eiso.dossiers.services.recording.keys import (
    ForeignKey,
    foreign_keys_add,
    foreign_keys_drop,
    foreign_keys_tables,
    locks_together,
)
from eiso.dossiers.services.recording.retiming import _Event, _events_of, _timing_of, dossiers_retime, rollups_apply
from eiso.dossiers.services.recording.rows import CHUNK, EventRow, RecordSummary
from eiso.dossiers.services.recording.stored import stored_dossiers, stored_events_us
from eiso.dossiers.services.recording.validation import EventValidator
from eiso.dossiers.services.recording.writing import TIMING_FIELDS, _db_datetime
from eiso.dossiers.timing import instant_us
from eiso.organizations.selectors import work_calendars_for
from eiso.procedures.models import AdminProcedure

STAGE_FROM_ROWS = 5000  # inputs with at least this many rows are staged; smaller ones are written directly
BATCH = 20000  # staged rows per write
DOSSIER_CHUNK = 5000  # dossiers computed per round
KEPT_UP_TO = 100_000  # staged rows whose events are also kept in memory, as integers (``add``)
INDEX_AFTER_LOAD_FROM = 20000  # new dossiers into empty tables from which indexes are built after the load
REBUILD_MEMORY = "512MB"  # PostgreSQL's maintenance_work_mem while those are built (``_rebuild_memory``)
SQLITE_CACHE_KB = 256 * 1024  # SQLite's page cache while a staged import runs (its connection only)

EVENTS = "eiso_stage_event"
DOSSIERS = "eiso_stage_dossier"
# SQLite, outside a transaction: the staging tables in a database of their own, attached to the
# connection as a private temporary file (ATTACH ''), not as temporary tables: detaching it discards
# them whole, where DROP TABLE visits and frees every page of them, journaled (100k bench file:
# 0.66 s of CPU, 1.6 s on a busy machine, after the switch). Inside a transaction (ATTACH and DETACH
# are refused there), temporary tables as before. Unqualified names find either (temp, main, then
# attached databases are searched).
STAGE_SCHEMA = "eiso_stage"

DOSSIER_COLUMNS = ("grp", "code", "agency_id", "admin_procedure_id", "definition_id", "dossier_id", "channel",
                   "applicant", "status", "received_at", "due_at", "finished_at", "result", "current_step",
                   "current_unit_id", "steps", "changed", "stored_events", "stored_updated_at", "contrib")
EVENT_COLUMNS = ("grp", "seq", "kind", "at", "step", "note", "actor", "channel", "applicant")
# A columnar read keeps each dossier's first channel and applicant in columns (``add_frame``): its events
# are staged without them (NULL there; the switch's event insert reads neither), 7 values bound per row.
FRAME_EVENT_COLUMNS = EVENT_COLUMNS[:7]
FRAME_COLUMNS = ("grp", "seq", "kind", "at_us", "step")  # the events a columnar read keeps for compute


def stage_tables() -> list[str]:
    """The staging tables present on the current connection (none once an import has ended)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() "
                           "AND relkind = 'r' AND relname IN (%s, %s)", [EVENTS, DOSSIERS])
        else:
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table' AND name IN (%s, %s)",
                           [EVENTS, DOSSIERS])
            found = cursor.fetchall()
            cursor.execute("SELECT 1 FROM pragma_database_list WHERE name = %s", [STAGE_SCHEMA])
            if cursor.fetchone():
                cursor.execute(f"SELECT name FROM {STAGE_SCHEMA}.sqlite_master "  # noqa: S608
                               "WHERE type = 'table' AND name IN (%s, %s)", [EVENTS, DOSSIERS])
                found += cursor.fetchall()
            return sorted(name for (name,) in found)
        return sorted(name for (name,) in cursor.fetchall())


class _Copier:
    """PostgreSQL: the COPYs of CSV text into the staging tables (and the statements on them that
    nothing waits for: the index of the staged events), run one after the other by a thread of their
    own on the import's connection, so that the server parses and stores one block while Python
    reads, checks or computes the next (the two cores at work instead of one waiting for the other).
    psycopg's connection lock keeps them apart from any other statement.

    The rule while jobs may run: the import's own thread may read, and write in autocommit (a
    progress update), but ``wait`` (the queue drained, the thread ended) comes before it reads the
    staging tables, writes them, or opens a transaction (``compute`` ends with it, before the
    switch's): a job run inside a transaction of the import's thread would stand or fall with it.
    ``wait`` raises a job's error, if any."""

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue(maxsize=2)  # (at most two blocks waiting: memory)
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def put(self, table: str, columns: tuple[str, ...], data: bytes) -> None:
        self.execute(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)", data)

    def execute(self, sql: str, data: bytes | None = None) -> None:
        """``sql`` run in turn (a COPY of ``data`` when there is data)."""
        if self.error is not None:
            self.wait()
        if self.thread is None:
            connection.ensure_connection()
            self.thread = threading.Thread(target=self._run, args=(connection.connection,),
                                           name="eiso-staging-copy", daemon=True)
            self.thread.start()
        self.jobs.put((sql, data))

    def _run(self, raw) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:  # (after an error the rest is only taken off the queue)
                try:
                    with raw.cursor() as cursor:
                        if job[1] is None:
                            cursor.execute(job[0])
                        else:
                            with cursor.copy(job[0]) as copy:
                                copy.write(job[1])
                except BaseException as exc:  # noqa: BLE001 (raised by ``wait``, in the import's thread)
                    self.error = exc

    def wait(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join()
            self.thread = None
        error, self.error = self.error, None
        if error is not None:
            raise error


def _csv_text(rows: list[tuple]) -> bytes:
    """Python rows as CSV text for PostgreSQL's COPY (FORMAT csv), as ``copy.write_row`` would send
    them: None unquoted (NULL), every other value quoted (an empty text stays one), datetimes by
    ``str`` (ISO with their offset)."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


class StagedImport:
    """One staged import on the current connection: ``add`` rows, then ``compute``, then ``switch``;
    ``drop`` in any case (``finally``)."""

    def __init__(self, validator: EventValidator, *, source: str):
        self.validator = validator
        self.source = source[:200]
        self.postgres = connection.vendor == "postgresql"
        self.batch: list[tuple] = []
        self.staged = 0
        self.summary = RecordSummary()
        self.deltas: Counter = Counter()
        self._plain_counts: list = []  # rollup keys counted in columns (``plain``), added to deltas at the end
        self.frame = self.firsts = None  # the events in columns, when they came so (add_frame)
        self.repeats: list[tuple[int, int]] | None = None  # (grp, seq) of events seen before (frames_done)
        self._bare = False  # the event table was emptied of its indexes and keys for this load
        self.keys: list[ForeignKey] = []  # the dossier table's foreign keys, dropped for this load (``unkey``)
        self._parts, self._firsts = [], []
        self._seqs: list[int] = []  # the file order (seq) of each of ``_parts``' first event
        # A row-by-row input of up to KEPT_UP_TO rows (a night's export): its events, grp → [(kind, UTC µs,
        # step)] in file order, and each dossier's first receipt's (channel, applicant), kept as ``add``
        # stages them, so ``compute`` times them as a columnar read's, with no read-back and no datetime.
        self.kept: dict[int, list] | None = {}
        self.kept_firsts: dict[int, tuple[str, str]] = {}
        self.existing = 0  # staged dossiers that are stored already (compute)
        self.staged_new = 0  # staged dossiers that are not
        # The rows of the staged dossier table as compute writes them: count, lowest and highest grp, and
        # how many have no dossier id (the switch's conflict checks alone change them).
        self.rows_staged, self.rows_low, self.rows_high, self.rows_without_id = 0, None, None, 0
        self._cache_size = None
        self._attached = False  # the staging tables in an attached database of their own (STAGE_SCHEMA)
        self._copier = _Copier() if self.postgres else None
        if not self.postgres:  # a page cache the size of the work: SQLite's default 2 MB thrashes on the
            with connection.cursor() as cursor:  # indexes the switch fills, and every spill is I/O under the lock
                cursor.execute("PRAGMA cache_size")
                self._cache_size = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
        self._create()

    @property
    def _schema(self) -> str:
        """The schema prefix of an index on a staging table (an attached database's must be named)."""
        return f"{STAGE_SCHEMA}." if self._attached else ""

    # --- 1. staging the rows ------------------------------------------------------------------------

    def _create(self) -> None:
        when = "timestamptz" if self.postgres else "text"
        steps = "jsonb" if self.postgres else "text"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {EVENTS}")  # (a temporary one left over would hide ours)
            cursor.execute(f"DROP TABLE IF EXISTS {DOSSIERS}")
            if not self.postgres and connection.get_autocommit() and not connection.in_atomic_block:
                cursor.execute("SELECT 1 FROM pragma_database_list WHERE name = %s", [STAGE_SCHEMA])
                if cursor.fetchone():  # (left over by an import that could not detach it)
                    cursor.execute(f"DETACH DATABASE {STAGE_SCHEMA}")
                cursor.execute(f"ATTACH DATABASE '' AS {STAGE_SCHEMA}")
                self._attached = True
            temp, schema = ("", f"{STAGE_SCHEMA}.") if self._attached else ("TEMPORARY", "")
            cursor.execute(f"CREATE {temp} TABLE {schema}{EVENTS} (grp integer, seq integer, kind varchar(24), "
                           f"at {when}, step integer, note varchar(500), actor varchar(200), channel varchar(10), "
                           "applicant varchar(200))")
            cursor.execute(f"CREATE {temp} TABLE {schema}{DOSSIERS} (grp integer PRIMARY KEY, code varchar(60), "
                           "agency_id bigint, admin_procedure_id bigint, definition_id bigint, dossier_id bigint, "
                           f"channel varchar(10), applicant varchar(200), status varchar(24), received_at {when}, "
                           f"due_at {when}, finished_at {when}, result varchar(10), current_step integer, "
                           f"current_unit_id bigint, steps {steps}, changed integer, stored_events integer, "
                           f"stored_updated_at {when}, contrib text, conflict integer DEFAULT 0)")

    def add(self, r: EventRow) -> None:
        """Stage one good row (the validator has checked it)."""
        step = r.step if r.kind == EventKind.STEP_DONE else 0
        at = r.at if self.postgres else str(r.at.astimezone(UTC).replace(tzinfo=None))
        self.staged += 1
        grp = self.validator.dossiers[r.code][10]
        self.batch.append((grp, self.staged, r.kind, at, step, r.note[:500], r.actor[:200], r.channel,
                           r.applicant[:200]))
        kept = self.kept
        if kept is not None:
            if self.staged > KEPT_UP_TO:  # a large input: read back from the staging table (``compute``)
                self.kept = None
                self.kept_firsts = {}
            else:
                events = kept.get(grp)
                if events is None:
                    events = kept[grp] = []
                events.append((r.kind, instant_us(r.at), step))
                if r.kind == EventKind.RECEIVED and grp not in self.kept_firsts:
                    self.kept_firsts[grp] = (r.channel, r.applicant[:200])
        if len(self.batch) >= BATCH:
            self.flush()

    def add_frame(self, events) -> None:
        """Stage a block of checked events of a columnar read (``columnar.checked_events``), in batches:
        on PostgreSQL by COPY of CSV text written by polars (``_Copier``), on SQLite by multi-row
        inserts. Each block's notes and actors are staged with it and not kept: a file's texts are
        never all in memory at once."""
        import polars as pl

        from eiso.dossiers.services.recording.columnar import stored_times

        self.kept = None  # (in columns instead)
        self.staged += events.height
        # What the computation reads, kept in columns (no read-back from the staging table): each
        # dossier's events (~17 bytes each), and the channel and applicant of its first receipt.
        # Their file order (seq) is not kept: a block's events are numbered on from the previous block's
        # (``checked_events``), so ``frames_done`` numbers them again from the block's first (24 MB at
        # 6,000,000 events).
        self._parts.append(events.select(pl.col("grp").cast(pl.Int32), pl.col("kind").cast(pl.Enum(EventKind.values)),
                                         "at_us", pl.col("step").cast(pl.Int32)))
        self._seqs.append(events.get_column("seq").item(0) if events.height else 0)
        self._firsts.append(events.filter(pl.col("kind") == EventKind.RECEIVED).group_by("grp").agg(
            pl.col("channel", "applicant").sort_by("seq").first()))
        frame = events.select("grp", "seq", pl.col("kind").cast(pl.String),
                              stored_times(pl.col("at_us"), self.postgres).alias("at"), "step", "note", "actor")
        for start in range(0, frame.height, BATCH * 5):
            part = frame.slice(start, BATCH * 5)
            if self.postgres:  # (the server stores it while the next block is read)
                buffer = io.BytesIO()
                part.write_csv(buffer, include_header=False)
                self._copier.put(EVENTS, FRAME_EVENT_COLUMNS, buffer.getvalue())
            else:
                self._insert(EVENTS, FRAME_EVENT_COLUMNS, flat=_flat_rows(part))

    def frames_done(self) -> None:
        """Every block is staged (``add_frame``): its events, ordered by dossier then file order."""
        import polars as pl

        parts, seqs, self._parts, self._seqs = self._parts, self._seqs, [], []
        # Ordered by dossier, then file order, by a counting sort (grp are 0 … n - 1, each with events):
        # each dossier's first place is the number of events of the dossiers before it; block by block in
        # file order, a block's events (sorted by grp, stably: a few thousand) take their dossiers' next
        # free places, and their columns are scattered there in place, the block then dropped. A stable
        # sort of all 6,000,000 grp (its keys and indexes, then a gather of each column) took 150 to 250 MB
        # above the columns themselves, the import's peak; this, about 40 MB (and 0.3 s more CPU).
        places = pl.zeros(len(self.validator.dossiers), pl.Int64, eager=True)
        for part in parts:
            counts = part.group_by("grp").len()
            grps = counts.get_column("grp")
            places.scatter(grps, places.gather(grps) + counts.get_column("len"))
        places = places.cum_sum() - places  # each dossier's first place (then its next free one)
        total = sum(part.height for part in parts)
        columns = {"grp": pl.zeros(total, pl.Int32, eager=True), "seq": pl.zeros(total, pl.Int32, eager=True),
                   "kind": pl.repeat(EventKind.RECEIVED, total, dtype=pl.Enum(EventKind.values), eager=True),
                   "at_us": pl.zeros(total, pl.Int64, eager=True), "step": pl.zeros(total, pl.Int32, eager=True)}
        for k in range(len(parts)):
            part, first, parts[k] = parts[k], seqs[k], None
            order = part.select(pl.arg_sort_by("grp", maintain_order=True)).to_series()
            runs = part.get_column("grp").gather(order).rle().struct.unnest()
            grps, lengths = runs.get_column("value"), runs.get_column("len")
            starts = places.gather(grps)
            places.scatter(grps, starts + lengths)
            # The sorted block's i-th event goes to its dossier's next free place plus its rank in its run.
            at = pl.select((starts - lengths.cum_sum() + lengths).repeat_by(lengths).explode()
                           + pl.int_range(part.height, dtype=pl.Int64)).to_series()
            at = pl.zeros(part.height, pl.Int64, eager=True).scatter(order, at)  # (in the block's file order)
            for name, values in part.with_columns(pl.int_range(first, first + part.height, dtype=pl.Int32)
                                                  .alias("seq")).to_dict().items():
                columns[name].scatter(at, values)
            del part, order, runs, grps, lengths, starts, at
        del places
        self.frame = pl.DataFrame(columns).select(*FRAME_COLUMNS)
        del columns
        self.repeats = []  # found by compute, dossier by dossier (a hash of every event would cost more memory)
        # Each block's first receipts (one row a dossier of the block), in file order: a
        # dossier's first row is its first receipt. Found on the numbers alone (a stable sort on grp, the
        # first of each), then their texts gathered once: a sort on seq, a group_by and a sort on grp
        # each copied the texts (at 1,000,000 dossiers that made this the import's peak, +114 MB).
        received = pl.concat(self._firsts, rechunk=False)
        self._firsts = []
        rows = (received.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), "grp")
                .sort("grp", maintain_order=True).filter(pl.col("grp").is_first_distinct()).get_column("row"))
        self.firsts = received.select(pl.col("grp", "channel", "applicant").gather(rows))
        del received, rows

    def flush(self) -> None:
        if self.batch:
            self._insert(EVENTS, EVENT_COLUMNS, self.batch)
            self.batch = []

    def _insert(self, table: str, columns: tuple[str, ...], rows: Sequence[tuple] = (), *,
                flat: list | None = None) -> None:
        """Rows into a staging table: COPY on PostgreSQL; on SQLite one short transaction of the
        temporary database (it takes no lock of the shared file). ``flat`` (SQLite): instead of
        ``rows``, their values one row after the other (``_flat_rows``)."""
        self._settle()
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            own = connection.get_autocommit() and not connection.in_atomic_block
            if own:
                cursor.execute("BEGIN")
            try:
                _insert_values(cursor, table, columns, rows, flat=flat)
            except BaseException:
                if own:
                    cursor.execute("ROLLBACK")
                raise
            if own:
                cursor.execute("COMMIT")

    def _settle(self) -> None:
        """The staging COPYs under way (``_Copier``) done, before the connection is used otherwise."""
        if self._copier is not None:
            self._copier.wait()

    def drop(self) -> None:
        """Remove the staging tables (also when the import failed or was refused)."""
        self.batch = []
        with contextlib.suppress(Exception):  # (the import failed already, or is refused: the tables go anyway)
            self._settle()
        try:
            with connection.cursor() as cursor:
                if self._attached:  # the file and its tables discarded whole
                    try:
                        cursor.execute(f"DETACH DATABASE {STAGE_SCHEMA}")
                        self._attached = False
                    except DatabaseError:  # (inside a transaction after all: its tables dropped)
                        cursor.execute(f"DROP TABLE IF EXISTS {STAGE_SCHEMA}.{EVENTS}")
                        cursor.execute(f"DROP TABLE IF EXISTS {STAGE_SCHEMA}.{DOSSIERS}")
                else:
                    cursor.execute(f"DROP TABLE IF EXISTS {EVENTS}")
                    cursor.execute(f"DROP TABLE IF EXISTS {DOSSIERS}")
                if self._cache_size is not None:
                    cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
        except Exception:  # noqa: BLE001, S110 (a broken connection drops its temporary tables itself)
            pass

    # --- 2. computing the timings, reading only ------------------------------------------------------

    def compute(self, progress: Callable[[int, int], None] | None = None) -> None:
        self.flush()
        entries = self.validator.dossiers
        codes = list(entries)
        procedures = {}  # id → (time limit days, current definition id)
        ids = list({e[1] for e in entries.values() if e[1] is not None})
        documents = {}
        for start in range(0, len(ids), CHUNK):
            for pk, document_id, days in AdminProcedure.objects.filter(pk__in=ids[start:start + CHUNK]).values_list(
                    "pk", "process_document_id", "time_limit_days"):
                documents[pk] = (document_id, days)
        current = current_definitions({d for d, _days in documents.values() if d})
        for pk, (document_id, days) in documents.items():
            procedures[pk] = (days, current[document_id][0] if document_id in current else None)
        steps_cache = dict(current.values())  # definition id → its steps
        agencies = {e[0] for e in entries.values() if e[0] is not None}
        calendars = work_calendars_for(agencies)
        modes = dict.fromkeys(agencies, SupplementMode.RESTART)
        modes.update(dict(DossierSettings.objects.filter(agency_id__in=agencies).values_list(
            "agency_id", "supplement_mode")))
        zone = next(iter(calendars.values())).zone if calendars else timezone.get_default_timezone()
        parse, utc = dt.datetime.fromisoformat, dt.UTC
        compute, contributions_of_stored = timing_module.compute_stored, timing_module.contributions_of_stored
        limits = {}  # (agency, time limit days) → hours
        dumps, steps_json, deltas = json.dumps, timing_module.steps_json, self.deltas
        received_kind = EventKind.RECEIVED
        done_rows = 0
        when, make_event = self._when, _Event._make
        compute_us = timing_module.compute_stored_us
        # The staged events as (kind, UTC µs, step): a columnar read, or a row-by-row one kept in memory (``add``).
        integers = self.frame is not None or self.kept is not None
        epoch, one_us = timing_module.EPOCH_UTC, timing_module.ONE_US
        self.zone = zone
        # No dossier of these agencies stored (a first import): none of the input's is, and none is looked
        # for (one stored meanwhile is found by the switch, as any dossier another writer creates).
        any_stored = Dossier.objects.filter(agency_id__in=agencies).exists()
        index = f"CREATE INDEX {self._schema}{EVENTS}_grp ON {EVENTS} (grp, seq)"
        if self.postgres:  # built by the server while the timings are computed (read by the switch, or a read-back)
            self._copier.execute(index)
            self._copier.execute(f"ANALYZE {EVENTS} (grp, seq)")  # what the plans read (not the texts)
        else:
            with connection.cursor() as cursor:
                cursor.execute(index)
        # A first import's plain dossiers are timed and staged in columns, a block at a time (``_plain``);
        # the others, and every dossier of a later import (a few are new, most are stored), one by one below.
        plain, plain_to = frozenset(), 0
        by_columns = self.frame is not None and not any_stored
        for g0 in range(0, len(codes), DOSSIER_CHUNK):
            g1 = min(g0 + DOSSIER_CHUNK, len(codes))
            if by_columns and g0 >= plain_to:
                from eiso.dossiers.services.recording.plain import BLOCK  # (polars: imported when used)

                plain_to = min(g0 + BLOCK, len(codes))
                plain = self._plain(g0, plain_to, codes, procedures, steps_cache, calendars, modes, limits, zone)
            if self.frame is not None:
                staged, firsts, seqs_of, events_in = self._chunk_from_frame(g0, g1, skip=plain)
            elif self.kept is not None:
                staged, firsts = self.kept, self.kept_firsts
                events_in = sum(len(staged.get(grp, ())) for grp in range(g0, g1))
            else:
                staged, firsts = defaultdict(list), {}
                self._settle()
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT grp, kind, at, step, channel, applicant FROM {EVENTS} "  # noqa: S608
                                   "WHERE grp >= %s AND grp < %s ORDER BY grp, seq", [g0, g1])
                    for grp, kind, at, step, channel, applicant in cursor.fetchall():
                        if not self.postgres:
                            at = parse(at).replace(tzinfo=utc)
                        staged[grp].append((kind, at.astimezone(zone), step))
                        if kind == received_kind and grp not in firsts:
                            firsts[grp] = (channel, applicant)
                events_in = sum(len(staged.get(grp, ())) for grp in range(g0, g1))
            done_rows += events_in
            if any_stored:
                self._settle()
            stored = stored_dossiers(entries, codes[g0:g1], self.postgres) if any_stored else {}
            if not stored:
                stored_events = {}
            elif integers:  # as the staged events are: (kind, UTC µs, step)
                stored_events = stored_events_us([s["pk"] for s in stored.values()])
            else:
                stored_events = _events_of([s["pk"] for s in stored.values()], zone)
            out = []
            for grp in range(g0, g1):
                if grp in plain:  # a new dossier (a first import's) timed and staged in columns (``_plain``)
                    continue
                code = codes[grp]
                entry = entries[code]
                old_row = stored.get(code)
                if old_row is None:  # a new dossier: its events, the same one twice counted once
                    keys = staged.get(grp, ())
                    unique = dict.fromkeys(keys)
                    if len(unique) < len(keys) and self.frame is not None:
                        # The same event again further on in the file: never stored (``_load_fresh``).
                        seen = set()
                        for key, seq in zip(keys, seqs_of(grp), strict=True):
                            if key in seen:
                                self.repeats.append((grp, seq))
                            seen.add(key)
                    events = list(unique) if integers else list(map(make_event, unique))
                    self.staged_new += 1
                else:
                    events = stored_events.get(old_row["pk"], [])
                    known = set(events)  # (kind, at, step) tuples (an _Event is one), as the staged keys
                    events = list(events)
                    fresh = False
                    for key in staged.get(grp, ()):
                        if key in known:
                            continue
                        known.add(key)
                        fresh = True
                        events.append(key if integers else make_event(key))
                    if not fresh:
                        continue  # every event of an existing dossier is stored already
                    self.existing += 1
                if old_row is not None:
                    agency_id, procedure_id = old_row["agency_id"], old_row["admin_procedure_id"]
                    definition_id, days = old_row["definition_id"], old_row["admin_procedure__time_limit_days"]
                else:
                    agency_id, procedure_id = entry[0], entry[1]
                    days, definition_id = procedures[procedure_id]
                if definition_id and definition_id not in steps_cache:
                    self._settle()
                    steps_cache.update(definition_steps([definition_id]))
                    steps_cache.setdefault(definition_id, [])
                calendar = calendars[agency_id]
                limit = limits.get((agency_id, days))
                if limit is None:
                    limit = limits[(agency_id, days)] = days * calendar.hours_per_day
                as_text = integers
                if as_text and calendar.zone is not zone:  # the events in ``zone``, as the row path reads them
                    events = [make_event((kind, (epoch + us * one_us).astimezone(zone), step))
                              for kind, us, step in events]
                    as_text = False
                new = (compute_us if as_text else compute)(
                    events, steps=steps_cache.get(definition_id, []) if definition_id else [],
                    limit_hours=limit, calendar=calendar, mode=modes[agency_id])
                # What this dossier adds to the rollups; an existing one's is remembered (the switch
                # takes it back if another writer changed the dossier meanwhile), a new one's is its
                # staged timing's, found again from it then.
                contrib = None
                key = (agency_id, procedure_id)
                if old_row is not None:
                    contrib = []
                    for month, step, unit, result in contributions_of_stored(
                            old_row["finished_at"], old_row["result"], old_row["steps"], zone):
                        deltas[(*key, month, step, unit, result)] -= 1
                        contrib.append((month.isoformat(), step, unit, result, -1))
                    for month, step, unit, result in new.keys:
                        deltas[(*key, month, step, unit, result)] += 1
                        contrib.append((month.isoformat(), step, unit, result, 1))
                else:
                    for month, step, unit, result in new.keys:
                        deltas[(*key, month, step, unit, result)] += 1
                values = new[:8]
                steps = new.steps if as_text else steps_json(new.steps)  # (its JSON text)
                if as_text and old_row is not None:  # the steps as JSON text: compared parsed, when all else is equal
                    changed = any(old_row[f] != value for f, value in zip(TIMING_FIELDS, values, strict=True)
                                  if f != "steps") or old_row["steps"] != json.loads(steps)
                else:
                    changed = old_row is None or any(
                        old_row[f] != value for f, value in zip(TIMING_FIELDS, values, strict=True))
                # A new dossier's channel and applicant are its first receipt's (it has one: it is new).
                channel, applicant = firsts.get(grp, ("", ""))
                out.append((grp, code, agency_id, procedure_id, definition_id,
                            old_row["pk"] if old_row is not None else None, channel or Channel.DIRECT, applicant,
                            new.status, when(new.received_at), when(new.due_at),
                            when(new.finished_at), new.result, new.current_step, new.current_unit_id,
                            steps, int(changed),
                            len(stored_events.get(old_row["pk"], ())) if old_row is not None else 0,
                            when(old_row["updated_at"]) if old_row is not None else None,
                            "" if contrib is None else dumps(contrib)))
            if out and self.postgres:  # (stored by the server while the next chunk is computed: ``_Copier``)
                self._copier.put(DOSSIERS, DOSSIER_COLUMNS, _csv_text(out))
            elif out:
                self._insert(DOSSIERS, DOSSIER_COLUMNS, out)
            if out:
                self._counted(len(out), out[0][0], out[-1][0], sum(1 for row in out if row[5] is None))
            if progress:
                progress(done_rows, self.staged)
        if self._plain_counts:
            from eiso.dossiers.services.recording.plain import counts_add

            counts_add(self._plain_counts, deltas)
        self._settle()

    def _plain(self, g0: int, g1: int, codes: list[str], procedures: dict, steps_cache: dict, calendars: dict,
               modes: dict, limits: dict, zone) -> frozenset[int]:
        """``plain.plain_timings`` of the new dossiers ``g0``…``g1 - 1`` (a first import: all are new),
        staged as the loop of ``compute`` stages a new dossier, but in columns (no Python object per
        dossier; on PostgreSQL a COPY of CSV text written by polars); returns their numbers (grp)."""
        import polars as pl

        from eiso.dossiers.services.recording.plain import plain_timings

        entries = self.validator.dossiers
        chunk = [entries[code] for code in codes[g0:g1]]
        dossiers = pl.DataFrame({"grp": pl.int_range(g0, g1, dtype=pl.Int64, eager=True),
                                 "agency_id": [e[0] for e in chunk], "procedure_id": [e[1] for e in chunk]},
                                schema={"grp": pl.Int64, "agency_id": pl.Int64, "procedure_id": pl.Int64})
        del chunk
        kinds = {}  # (agency, procedure) → what times its dossiers: once per pair, not per dossier
        for agency_id, procedure_id in dossiers.select("agency_id", "procedure_id").unique().iter_rows():
            days, definition_id = procedures[procedure_id]
            calendar = calendars[agency_id]
            limit = limits.get((agency_id, days))
            if limit is None:
                limit = limits[(agency_id, days)] = days * calendar.hours_per_day
            kinds[(agency_id, procedure_id)] = (definition_id, calendar, limit, modes[agency_id])
        timed = plain_timings(self.frame, g0, g1, dossiers=dossiers, kinds=kinds, steps_of=steps_cache, zone=zone,
                              postgres=self.postgres, counts=self._plain_counts)
        if not timed.height:
            return frozenset()
        # The new dossier's code, and the channel (direct when none) and applicant of its first receipt.
        fg = self.firsts.get_column("grp")
        lo, hi = fg.search_sorted(g0, side="left"), fg.search_sorted(g1, side="left")
        firsts = self.firsts.slice(lo, hi - lo).select(pl.col("grp").cast(pl.Int64), "channel", "applicant")
        named = pl.DataFrame({"grp": pl.int_range(g0, g1, dtype=pl.Int64, eager=True),
                              "code": pl.Series(codes[g0:g1], dtype=pl.String)})
        rows = (timed.join(named, on="grp", how="left", maintain_order="left")
                .join(firsts, on="grp", how="left", maintain_order="left")
                .select("grp", "code", "agency_id", "admin_procedure_id", "definition_id",
                        pl.lit(None, dtype=pl.Int64).alias("dossier_id"),
                        pl.when(pl.col("channel").fill_null("") == "").then(pl.lit(str(Channel.DIRECT)))
                        .otherwise(pl.col("channel")).alias("channel"),
                        pl.col("applicant").fill_null(""), "status", "received_at", "due_at", "finished_at",
                        "result", "current_step", "current_unit_id", "steps", pl.lit(1).alias("changed"),
                        pl.lit(0).alias("stored_events"), pl.lit(None, dtype=pl.String).alias("stored_updated_at"),
                        pl.lit("").alias("contrib")))
        if self.postgres:  # (stored by the server while the block is computed on: ``_Copier``)
            buffer = io.BytesIO()
            rows.write_csv(buffer, include_header=False)
            self._copier.put(DOSSIERS, DOSSIER_COLUMNS, buffer.getvalue())
        else:
            self._insert(DOSSIERS, DOSSIER_COLUMNS, flat=_flat_rows(rows))
        self.staged_new += rows.height
        grps = rows.get_column("grp")
        self._counted(rows.height, grps.min(), grps.max(), rows.height)  # (all new: no dossier id)
        return frozenset(grps.to_list())

    def _counted(self, n: int, low: int, high: int, without_id: int) -> None:
        """``n`` rows more in the staged dossier table (numbers ``low`` to ``high``, ``without_id`` of
        them new): what the switch knows of it without reading it."""
        self.rows_staged += n
        self.rows_low = low if self.rows_low is None else min(self.rows_low, low)
        self.rows_high = high if self.rows_high is None else max(self.rows_high, high)
        self.rows_without_id += without_id

    def _chunk_from_frame(self, g0: int, g1: int, skip: frozenset[int] = frozenset()
                          ) -> tuple[dict, dict, Callable[[int], list[int]], int]:
        """The staged events of dossiers ``g0`` to ``g1 - 1`` but those of ``skip`` (staged already), from
        the columns kept by ``add_frame``: grp → [(kind, at as UTC µs since the epoch, step)] in file
        order (no datetime per event), grp → (channel, applicant) of the first receipt, a function
        giving a dossier's events' numbers in the file (seq), in that order, and the number of events
        of the dossiers ``g0`` to ``g1 - 1`` (``skip``'s too)."""
        import polars as pl

        grps = self.frame.get_column("grp")
        lo, hi = grps.search_sorted(g0, side="left"), grps.search_sorted(g1, side="left")
        part, events_in = self.frame.slice(lo, hi - lo), hi - lo
        if skip:
            part = part.filter(~pl.col("grp").is_in(list(skip)))
        rows = part.select(pl.col("kind").cast(pl.String), "at_us", "step").rows()
        staged: dict[int, list] = {}
        starts: dict[int, int] = {}
        start = 0
        for grp, length in part.get_column("grp").rle().struct.unnest().select("value", "len").iter_rows():
            staged[grp] = rows[start:start + length]
            starts[grp] = start
            start += length
        fg = self.firsts.get_column("grp")
        lo, hi = fg.search_sorted(g0, side="left"), fg.search_sorted(g1, side="left")
        firsts = self.firsts.slice(lo, hi - lo)
        if skip:
            firsts = firsts.filter(~pl.col("grp").is_in(list(skip)))
        seqs = part.get_column("seq")
        return (staged, {grp: (channel, applicant) for grp, channel, applicant in firsts.iter_rows()},
                lambda grp: seqs.slice(starts[grp], len(staged[grp])).to_list(), events_in)

    def _drop_indexes_of_empty_tables(self, cursor, tables: tuple[str, ...]) -> list[str]:
        """A first import into an empty dossier table (``INDEX_AFTER_LOAD_FROM`` dossiers or more) loads
        it without its plain secondary indexes and builds those afterwards, inside the switch: one
        sort per index instead of a B-tree insertion per row and index (the events are inserted in
        the order of their dossiers' ids: their index on it only ever appends, and stays). Unique indexes stay (they
        check the load; on PostgreSQL a unique constraint no foreign key relies on is added again after
        it, ``_unique_after_load``), and so do partial ones (few rows; PostgreSQL would spell a rebuilt one's
        condition differently). On PostgreSQL the event table (``tables[1]``) goes further: it is
        loaded without any index or key at all (``_unconstrain_empty``); the dossier table's foreign
        keys were dropped before the switch, if they could be (``unkey``), and are added back at its
        end. Returns the statements that build what was dropped here again, as it was.
        On PostgreSQL the tables are locked for the switch (readers wait for its commit; the tables
        were empty), after an advisory lock so that two such imports of different agencies take turns."""
        if self.staged_new < INDEX_AFTER_LOAD_FROM:
            return []
        if self.postgres:
            self._take_turn(cursor)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {tables[0]})")  # noqa: S608 (a model's table)
        if cursor.fetchone()[0]:
            return []
        if self.postgres:  # empty: locked, then found empty again (no other writer's dossier slips in between)
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(tables[0])} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {tables[0]})")  # noqa: S608
            if cursor.fetchone()[0]:
                return []
        statements = []
        for table in tables[:1]:
            if self.postgres:
                cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                               "AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%' "
                               "AND indexdef NOT LIKE '%% WHERE %%' AND indexname NOT IN "
                               "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
            else:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                               "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' AND sql NOT LIKE '%% WHERE %%'",
                               [table])
            for name, sql in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                statements.append(sql)
            if self.postgres:
                statements += self._unique_after_load(cursor, table)
        if self.postgres and len(tables) > 1:  # the event table: without any index or key (below)
            statements += self._unconstrain_empty(cursor, tables[1])
        return statements

    @staticmethod
    def _take_turn(cursor) -> None:
        """PostgreSQL: the advisory lock that makes two first imports take turns, until the commit."""
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [DOSSIERS])

    @staticmethod
    def _referenced(cursor, table: str) -> bool:
        """PostgreSQL: whether another table's foreign key points at ``table``."""
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = %s::regclass "
                       "AND conrelid <> confrelid)", [table])
        return bool(cursor.fetchone()[0])

    @staticmethod
    def _unique_after_load(cursor, table: str) -> list[str]:
        """PostgreSQL, a first import: ``table``'s unique constraints that no foreign key relies on
        (the dossiers' code in its agency) are dropped before the load and added again after it, as
        they were (same names and definitions): one sort instead of a B-tree insertion per row, and
        still a refusal of the same key twice. Returns the statements that add them again."""
        quote = connection.ops.quote_name
        cursor.execute("SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.conrelid = "
                       "%s::regclass AND c.contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint f "
                       "WHERE f.contype = 'f' AND f.conindid = c.conindid) ORDER BY c.conname", [table])
        unique = cursor.fetchall()
        if unique:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with key checks pending (as
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # ``_unconstrain_empty``)
            cursor.execute(f"ALTER TABLE {quote(table)} "
                           + ", ".join(f"DROP CONSTRAINT {quote(name)}" for name, _sql in unique))
        return [f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {sql}" for name, sql in unique]

    def _unconstrain_empty(self, cursor, table: str) -> list[str]:
        """PostgreSQL, a first import: the event table (``table``) is loaded without any index or key
        and they are made again after the load, as a restore does: its primary key and unique
        constraint by one sort each (the latter still refuses the same event twice, as before), its
        plain indexes likewise, and its foreign keys validated by one join each instead of a deferred
        check per inserted row. Only when the table is empty, locked (ACCESS EXCLUSIVE, until the
        commit: readers wait; it was empty), and no other table's key points at it. Returns the
        statements that make them again, as they were (same names and definitions), in order; none
        when the table does not qualify. (The dossier table's own foreign keys cannot be dropped here:
        that locks the tables they point at, agencies included, against their readers until the
        commit. ``unkey`` drops them before the switch, in a transaction of their own.)"""
        quote = connection.ops.quote_name
        if self._referenced(cursor, table):  # (checked before the lock, which would otherwise be held for nothing)
            return []
        cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608 (a model's table)
        if cursor.fetchone()[0]:
            return []
        cursor.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = "
                       "%s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname", [table])
        constraints = cursor.fetchall()  # p, u, then f: the keys the foreign keys' checks need come first
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                       "AND tablename = %s AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
        indexes = cursor.fetchall()
        if not constraints and not indexes:
            return []
        self._bare = True
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE with key checks pending (the
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # writes of the transaction around, if any)
        if constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} "
                           + ", ".join(f"DROP CONSTRAINT {quote(name)}" for name, _kind, _sql in constraints))
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        keys = [f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {sql}"
                for name, kind, sql in constraints if kind != "f"]
        foreign = [f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {sql}"
                   for name, kind, sql in constraints if kind == "f"]
        return [*keys, *(sql for _name, sql in indexes), *foreign]

    def _load(self, cursor, columns: tuple[str, ...], now) -> None:
        """The new dossiers and every staged event not stored yet, in the general case."""
        dossier, event, summary = Dossier._meta.db_table, DossierEvent._meta.db_table, self.summary
        same_code = f"FROM {dossier} d WHERE d.agency_id = {DOSSIERS}.agency_id AND d.code = {DOSSIERS}.code"
        cursor.execute(f"INSERT INTO {dossier} ({', '.join(columns)}, updated_at) "  # noqa: S608
                       f"SELECT {', '.join(columns)}, %s FROM {DOSSIERS} "
                       "WHERE dossier_id IS NULL AND conflict = 0 ORDER BY grp", [now])
        summary.dossiers_created = cursor.rowcount
        if self.postgres:
            cursor.execute(f"ANALYZE {DOSSIERS} (grp, agency_id, code, dossier_id, conflict, changed)")
            cursor.execute(f"UPDATE {DOSSIERS} AS s SET dossier_id = d.id FROM {dossier} d "  # noqa: S608
                           "WHERE s.dossier_id IS NULL AND s.conflict = 0 AND d.agency_id = s.agency_id "
                           "AND d.code = s.code")
        else:
            cursor.execute(f"UPDATE {DOSSIERS} SET dossier_id = (SELECT d.id {same_code}) "  # noqa: S608
                           "WHERE dossier_id IS NULL AND conflict = 0")
        # CROSS JOIN: SQLite reads the staged events in order and finds each one's dossier by key.
        insert = (f"INSERT INTO {event} (dossier_id, kind, at, step, note, actor, source, recorded_at) "  # noqa: S608
                  f"SELECT s.dossier_id, e.kind, e.at, e.step, e.note, e.actor, %s, %s FROM {EVENTS} e "
                  f"CROSS JOIN {DOSSIERS} s WHERE s.grp = e.grp AND s.dossier_id IS NOT NULL ")
        created = "s.stored_updated_at IS NULL AND s.conflict = 0"  # dossiers this switch created
        summary.events_created = 0
        if self.postgres:  # their events cannot be stored yet: a plain INSERT of each first occurrence,
            # without ON CONFLICT's speculative insertion per row; the other dossiers' events below
            cursor.execute(insert + f"AND {created} AND NOT EXISTS (SELECT 1 FROM {EVENTS} d "  # noqa: S608
                           "WHERE d.grp = e.grp AND d.seq < e.seq AND d.kind = e.kind AND d.at = e.at "
                           "AND d.step = e.step) ORDER BY e.grp, e.seq", [self.source, now])
            summary.events_created = cursor.rowcount
            insert += f"AND NOT ({created}) "
        cursor.execute(insert + "ORDER BY e.grp, e.seq ON CONFLICT DO NOTHING", [self.source, now])  # noqa: S608
        summary.events_created += cursor.rowcount

    def _load_fresh(self, cursor, columns: tuple[str, ...], now, unchanged: bool = False) -> bool:
        """A first import into the empty tables (PostgreSQL: locked, the event table bare; SQLite: the
        transaction holds the only write lock): when every staged dossier is new (numbered 0 to
        n - 1), they take n consecutive ids (id = first + grp; on PostgreSQL reserved from the dossier
        table's sequence), so their events are inserted with their dossier's id worked out from their
        own number, with no join and no update of the staging table; each event's first occurrence
        only, in the order of dossiers and file. False (nothing done) when it does not apply: the
        general statements then run. ``unchanged``: no conflict check changed the staged dossiers, as
        compute counted them (no scan of them)."""
        dossier, event = Dossier._meta.db_table, DossierEvent._meta.db_table
        if unchanged:
            n, low, high, new = self.rows_staged, self.rows_low, self.rows_high, self.rows_without_id
        else:
            cursor.execute(f"SELECT COUNT(*), MIN(grp), MAX(grp), COUNT(*) FILTER (WHERE dossier_id IS NULL "  # noqa: S608
                           f"AND conflict = 0) FROM {DOSSIERS}")
            n, low, high, new = cursor.fetchone()
        if not n or (low, high, new) != (0, n - 1, n):
            return False
        if self.postgres:
            cursor.execute("SELECT s.increment_by FROM pg_sequences s WHERE format('%%I.%%I', s.schemaname, "
                           "s.sequencename)::regclass = pg_get_serial_sequence(%s, 'id')::regclass", [dossier])
            increment = cursor.fetchone()
            if increment is None or increment[0] != 1:
                return False
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [dossier])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])  # the table is locked: nobody takes one meanwhile
            first = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
        else:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {dossier}) OR EXISTS (SELECT 1 FROM {event})")  # noqa: S608
            if cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [dossier])
            last = cursor.fetchone()
            first = (last[0] if last else 0) + 1  # (AUTOINCREMENT: SQLite moves its counter past them)
        cursor.execute(f"INSERT INTO {dossier} (id, {', '.join(columns)}, updated_at) "  # noqa: S608
                       f"SELECT %s + grp, {', '.join(columns)}, %s FROM {DOSSIERS} ORDER BY grp", [first, now])
        self.summary.dossiers_created = cursor.rowcount
        if self.repeats and self.postgres:  # found in columns (frames_done): removed from the staged events
            cursor.execute(f"DELETE FROM {EVENTS} WHERE (grp, seq) IN (SELECT * FROM "  # noqa: S608
                           "unnest(%s::integer[], %s::integer[]))",
                           [[g for g, _s in self.repeats], [q for _g, q in self.repeats]])
        elif self.repeats:
            cursor.executemany(f"DELETE FROM {EVENTS} WHERE grp = %s AND seq = %s", self.repeats)  # noqa: S608
        repeated = "" if self.repeats is not None else (  # staged row by row: searched for here
            f"WHERE NOT EXISTS (SELECT 1 FROM {EVENTS} d WHERE d.grp = e.grp AND d.seq < e.seq "  # noqa: S608
            "AND d.kind = e.kind AND d.at = e.at AND d.step = e.step) ")
        cursor.execute(f"INSERT INTO {event} (dossier_id, kind, at, step, note, actor, source, recorded_at) "  # noqa: S608
                       f"SELECT %s + e.grp, e.kind, e.at, e.step, e.note, e.actor, %s, %s FROM {EVENTS} e "
                       f"{repeated}ORDER BY e.grp, e.seq", [first, self.source, now])
        self.summary.events_created = cursor.rowcount
        return True

    def _contributed(self, row) -> list[tuple]:
        """(month, step, unit, result, sign) this import added to the rollups for a staged dossier
        (``contrib``, or for a new dossier its staged timing's contributions)."""
        contrib, stored_at, status, received, due, finished, result, steps = row[2], *row[4:]
        if stored_at is not None:  # an existing dossier: what compute remembered
            return [(dt.date.fromisoformat(month), step, unit, res, sign)
                    for month, step, unit, res, sign in json.loads(contrib)]
        if not self.postgres:
            received, due, finished = (None if v is None else dt.datetime.fromisoformat(v).replace(tzinfo=UTC)
                                       for v in (received, due, finished))
        timing = _timing_of({"status": status, "received_at": received, "due_at": due, "finished_at": finished,
                             "result": result, "steps": json.loads(steps) if isinstance(steps, str) else steps},
                            self.zone)
        return [(*key, 1) for key in timing_module.contributions(timing, self.zone)]

    def _when(self, value):
        """A datetime as the backend stores it (naive UTC text on SQLite, see ``_db_datetime``)."""
        if value is None or self.postgres:
            return value
        return str(value.astimezone(UTC).replace(tzinfo=None))

    # --- 3. the switch: one short transaction ----------------------------------------------------------

    def _lock_together(self, dossier: str, event: str, lock_agencies: Callable[[], None]) -> None:
        """With the dossier table's foreign keys dropped (``keys``), what the switch will lock, taken at
        its start, all together (``keys.locks_together``; a timeout raises ``keys.LocksBusy``): the turn
        of a first import, the tables the keys point at SHARE ROW EXCLUSIVE (adding them back takes it,
        at the end), the dossier table (found empty by ``unkey``) and the event table, when it can be
        loaded bare, ACCESS EXCLUSIVE (as ``_drop_indexes_of_empty_tables`` and ``_unconstrain_empty``
        lock them), then the import's agency rows. (Had another writer filled the dossier table since
        ``unkey``, it stays locked until the commit all the same: its readers wait for this switch.)"""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            bare = [event] if not self._referenced(cursor, event) else []

        def take(cursor) -> None:
            self._take_turn(cursor)
            cursor.execute(f"LOCK TABLE {', '.join(foreign_keys_tables(self.keys))} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"LOCK TABLE {', '.join(quote(t) for t in (dossier, *bare))} IN ACCESS EXCLUSIVE MODE")
            lock_agencies()

        locks_together(take)

    def unkey(self) -> None:
        """PostgreSQL, a first import into an empty dossier table (``INDEX_AFTER_LOAD_FROM`` new dossiers
        or more), just before the switch's transaction, outside any: the dossier table's foreign keys
        dropped in a short transaction of their own, if the tables they point at can be locked at once
        (``keys``); the switch adds them again, validated by one join each, instead of a check per
        row and key; ``_record_staged`` adds them back if it fails."""
        if self.postgres and not self.existing and self.staged_new >= INDEX_AFTER_LOAD_FROM:
            self._settle()
            self.keys = foreign_keys_drop(Dossier._meta.db_table)

    def switch(self, lock_agencies: Callable[[], None]) -> RecordSummary:
        """Write the staged dossiers, events, timings and rollups; call inside a transaction. It calls
        ``lock_agencies()`` first, to take the import's agencies (PostgreSQL); with the dossier table's
        foreign keys dropped, together with the switch's other locks (``_lock_together``), which may
        raise ``keys.LocksBusy`` before anything is written.

        Each statement is driven by the staging table (index probes into the shared tables, never a
        scan of them), so the switch takes time in proportion to the import, not to the database."""
        self._settle()
        dossier, event = Dossier._meta.db_table, DossierEvent._meta.db_table
        if self.keys:  # every lock the switch holds, had all together first (``keys.locks_together``)
            self._lock_together(dossier, event, lock_agencies)
        else:
            lock_agencies()
        now = timezone.now() if self.postgres else _db_datetime(timezone.now())
        summary = self.summary
        with connection.cursor() as cursor:
            if self.postgres and self.staged_new + self.existing < INDEX_AFTER_LOAD_FROM:
                # A small switch (a nightly increment) is a few loops of index probes: JIT compilation,
                # triggered by the staging tables' rough estimates, only delayed it (by 0.1-0.5 s at
                # 100,000 dossiers). A large one keeps it: 100,000 new dossiers switched in 18 s with
                # JIT, 21-23 s without.
                cursor.execute("SET LOCAL jit = off")
            # What another writer changed since the timings were computed is recomputed below, in here:
            # a stored dossier with other events or another timing (a dossier deleted meanwhile loses
            # its events), and a new dossier whose code another writer created meanwhile.
            if self.existing:  # (none staged: nothing to compare, and no scan of the staged dossiers)
                cursor.execute(f"UPDATE {DOSSIERS} SET conflict = 1, dossier_id = NULL WHERE dossier_id IS NOT NULL "  # noqa: S608
                               f"AND NOT EXISTS (SELECT 1 FROM {dossier} d WHERE d.id = {DOSSIERS}.dossier_id)")
                # Scalar subqueries: one primary-key probe per staged dossier. (A NOT EXISTS under an OR
                # was planned on PostgreSQL as a hash of the whole dossier table, and JIT-compiled.)
                distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
                cursor.execute(f"UPDATE {DOSSIERS} SET conflict = 1 WHERE dossier_id IS NOT NULL AND ("  # noqa: S608
                               f"(SELECT d.updated_at FROM {dossier} d WHERE d.id = {DOSSIERS}.dossier_id) {distinct} "
                               f"{DOSSIERS}.stored_updated_at OR (SELECT COUNT(*) FROM {event} e "
                               f"WHERE e.dossier_id = {DOSSIERS}.dossier_id) <> {DOSSIERS}.stored_events)")
            # SQLite, no dossier stored at all (the transaction holds the only write lock: none will be until
            # it ends): no new dossier's code can be taken, and with no stored one staged either, no staged
            # dossier is in conflict; three scans of the staged dossiers fewer (0.2 s at 100,000 dossiers).
            # PostgreSQL, a first import (no stored dossier staged): the dossier table found empty and locked
            # until the commit (``_drop_indexes_of_empty_tables``, taken here rather than after the checks),
            # the same holds (at 1,000,000 dossiers those scans took 1.9 s of server CPU, 3.2 s).
            vacant, rebuild = False, None
            if not self.postgres:
                cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {dossier})")  # noqa: S608 (a model's table)
                vacant = bool(cursor.fetchone()[0])
            elif not self.existing:
                rebuild = self._drop_indexes_of_empty_tables(cursor, (dossier, event))
                vacant = bool(rebuild)
            if not vacant:
                same_code = (f"FROM {dossier} d WHERE d.agency_id = {DOSSIERS}.agency_id "
                             f"AND d.code = {DOSSIERS}.code")
                cursor.execute(f"UPDATE {DOSSIERS} SET conflict = 1, dossier_id = (SELECT d.id {same_code}) "  # noqa: S608
                               f"WHERE dossier_id IS NULL AND conflict = 0 AND EXISTS (SELECT 1 {same_code})")
            unchanged = vacant and not self.existing
            conflicts = []
            if not unchanged:
                cursor.execute(f"SELECT agency_id, admin_procedure_id, contrib, dossier_id, stored_updated_at, "  # noqa: S608
                               f"status, received_at, due_at, finished_at, result, steps FROM {DOSSIERS} "
                               "WHERE conflict = 1")
                conflicts = [(row[0], row[1], row[3], self._contributed(row)) for row in cursor.fetchall()]
            for agency_id, procedure_id, _id, contrib in conflicts:  # dossiers_retime counts them again, below
                for month, step, unit, result, sign in contrib:
                    self.deltas[(agency_id, procedure_id, month, step, unit, result)] -= sign
            columns = ("agency_id", "code", "admin_procedure_id", "definition_id", "channel", "applicant", "status",
                       "received_at", "due_at", "finished_at", "result", "current_step", "current_unit_id",
                       "steps")
            if rebuild is None:
                rebuild = self._drop_indexes_of_empty_tables(cursor, (dossier, event))
            if not (rebuild and (self._bare or not self.postgres)
                    and self._load_fresh(cursor, columns, now, unchanged)):
                self._load(cursor, columns, now)
            if rebuild and self.postgres:  # the loaded rows' deferred key checks first (PostgreSQL builds no
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # index on a table with pending trigger events),
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django's check_constraints does
            with _rebuild_memory(cursor, bool(rebuild) and self.postgres):
                for sql in rebuild:  # built once from the loaded rows, not row by row
                    cursor.execute(sql)
            changed = "s.changed = 1 AND s.conflict = 0 AND s.stored_updated_at IS NOT NULL"
            # Timings of stored dossiers that changed; none staged (a first import): no statement, no scan of
            # the staged dossiers for one (nor, on SQLite, an index of them built for it).
            if self.existing:
                if self.postgres:
                    cursor.execute(f"UPDATE {dossier} AS d SET "  # noqa: S608
                                   + ", ".join(f"{f} = s.{f}" for f in TIMING_FIELDS)
                                   + f", updated_at = %s FROM {DOSSIERS} s WHERE d.id = s.dossier_id AND {changed}",
                                   [now])
                else:
                    cursor.execute(f"CREATE INDEX IF NOT EXISTS {self._schema}{DOSSIERS}_id ON {DOSSIERS} (dossier_id)")
                    # The receipt time apart, set only where it moved (rarely): SQLite rewrites the entries of
                    # every index holding a column the SET names, changed or not (three hold received_at).
                    moving = [f for f in TIMING_FIELDS if f != "received_at"]
                    fields, values = ", ".join(moving), ", ".join(f"s.{f}" for f in moving)
                    sql = (f"UPDATE {dossier} SET ({fields}) = (SELECT {values} FROM {DOSSIERS} s "  # noqa: S608
                           f"WHERE s.dossier_id = {dossier}.id), updated_at = %s WHERE id IN ("
                           f"SELECT s.dossier_id FROM {DOSSIERS} s WHERE {changed})")
                    cursor.execute(sql, [now])
                    cursor.execute(f"UPDATE {dossier} SET received_at = (SELECT s.received_at FROM {DOSSIERS} s "  # noqa: S608
                                   f"WHERE s.dossier_id = {dossier}.id) WHERE id IN (SELECT s.dossier_id "
                                   f"FROM {DOSSIERS} s WHERE {changed} AND s.received_at IS NOT (SELECT d.received_at "
                                   f"FROM {dossier} d WHERE d.id = s.dossier_id))")
            summary.dossiers_touched = self.rows_staged  # (the switch adds no staged row, nor removes one)
        rollups_apply(self.deltas)
        redo = [pk for _a, _p, pk, _c in conflicts if pk is not None]
        if redo:
            dossiers_retime(redo)
        if self.keys:  # last, under the locks had at the start (``_lock_together``)
            with connection.cursor() as cursor, _rebuild_memory(cursor):
                foreign_keys_add(cursor, dossier, self.keys)
        summary.rows = self.validator.rows
        summary.events_duplicate = summary.rows - summary.events_created
        return summary


@contextlib.contextmanager
def _rebuild_memory(cursor, enabled: bool = True):
    """PostgreSQL, a first import's rebuild (``_drop_indexes_of_empty_tables``, ``foreign_keys_add``):
    ``maintenance_work_mem`` raised to ``REBUILD_MEMORY`` for its statements (unless the server's is
    higher), then put back as it was, in the switch's transaction. PostgreSQL gives each participant
    of a parallel index build at least 32MB of it: with the server's 64MB one worker beside the
    switch's own backend (each sort spilled to temporary files), from 96MB on
    ``max_parallel_maintenance_workers`` (2); the switch's backend, which merges the workers' runs
    and writes each index alone, then sorts less itself and in memory. A foreign key's validation
    join runs with it as its ``work_mem``. Replayed on the 1,000,000-dossier bench database (8
    dossier indexes, the events' 2 keys, the foreign keys; 4 runs each, on a shared machine with a
    load of 5-8 on its 2 CPUs): the backend's CPU 12.2-13.0 s -> 9.8-10.6 s, the workers' 7.0-8.1 s
    -> 9.3-10.1 s (the same server CPU in all), 31-42 s -> 24-29 s of wall. In the bench's import
    itself with a load of 2-3, the rebuild's statements took the same wall (15.2 s at 64MB, 15.3
    and 15.8 s at 512MB) and their sorts 1-3 s more CPU in all (20.4-21.1 s -> 22.5-23.7 s,
    ``trace_sort``): with 2 CPUs one worker and the backend already keep both busy; the gain is on a
    busy machine or one with more CPUs. 256MB measured the same, 1GB no better; 512MB at most,
    shared by the build's participants, for a one-off statement. Nothing is locked differently.
    A statement that fails aborts the transaction, and the setting with it: it is put back only
    after a success."""
    if not enabled:
        yield
        return
    cursor.execute("SELECT current_setting('maintenance_work_mem'), "
                   "pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes(%s)", [REBUILD_MEMORY])
    before, lower = cursor.fetchone()
    if lower:
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [REBUILD_MEMORY])
    yield
    if lower:
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [before])


SQLITE_PARAMETERS = 999  # parameters per statement of ``_insert_values`` (SQLite's limit before 3.32)


def _flat_rows(frame) -> list:
    """The values of a polars frame's rows, one row after the other, as ``_insert_values`` binds them:
    column by column into every width-th place (no tuple per row, as zip then a flattening made them:
    600,000 rows of 7 values in 0.06 s instead of 0.25-0.30 s)."""
    width = frame.width
    flat = [None] * (frame.height * width)
    for j, series in enumerate(frame.get_columns()):
        flat[j::width] = series.to_list()
    return flat


def _insert_values(cursor, table: str, columns: tuple[str, ...], rows: Sequence[tuple] = (), *,
                   flat: list | None = None) -> None:
    """SQLite: ``rows`` (or their values one row after the other, ``flat``) into ``table`` by INSERT …
    VALUES of as many rows each as ``SQLITE_PARAMETERS`` allows, not one statement per row
    (executemany): each statement's run has its own cost (the staged events, 600,000 rows of 7
    values, in 0.45 s instead of 0.85 s)."""
    width = len(columns)
    per = max(1, SQLITE_PARAMETERS // width)
    one = "(" + ", ".join(["%s"] * width) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 (constant names)
    if flat is None:
        flat = list(itertools.chain.from_iterable(rows))
    step = per * width
    whole = len(flat) // step * step
    if whole:
        cursor.executemany(head + ", ".join([one] * per), (flat[i:i + step] for i in range(0, whole, step)))
    if whole < len(flat):
        cursor.execute(head + ", ".join([one] * ((len(flat) - whole) // width)), flat[whole:])


def statistics_refresh(summary: RecordSummary) -> None:
    """After a large import on PostgreSQL, refresh the planner's statistics of the tables it grew by
    a tenth or more (or never analysed): until autovacuum comes round, lookups by code would be
    planned as if the tables were empty (a first import of 100,000 dossiers made each lookup of
    the next import scan an agency's dossiers). ANALYZE reads a sample, blocks no reader or writer."""
    if connection.vendor != "postgresql" or not summary.events_created:
        return
    grown = {Dossier._meta.db_table: summary.dossiers_created, DossierEvent._meta.db_table: summary.events_created}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s) "
                       "AND pg_table_is_visible(oid)", [list(grown)])
        stale = [name for name, rows in cursor.fetchall() if rows < 0 or grown[name] >= 0.1 * rows]
        if stale:
            stale.append(DossierRollup._meta.db_table)
            dossiers = Dossier._meta.db_table
            if dossiers in stale and not connection.in_atomic_block:
                # VACUUM (never inside a transaction) also marks the new rows' pages all-visible,
                # so counts of open dossiers are read from their index alone (Count("status") over
                # dossier_open_due_idx) before autovacuum comes round.
                stale.remove(dossiers)
                cursor.execute(f"VACUUM (ANALYZE) {dossiers}")
            cursor.execute(f"ANALYZE {', '.join(sorted(stale))}")
