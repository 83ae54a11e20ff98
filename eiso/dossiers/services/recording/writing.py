"""Writing validated events: ``EventWriter`` creates the dossiers first seen and stores the events not
stored yet, chunk by chunk inside the import's transaction; ``save_timings`` stores recomputed
timings. Plain SQL, no model instances: ``COPY`` into a temporary table on PostgreSQL,
``executemany`` on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from eiso.dossiers.choices import Channel, DossierStatus, EventKind
from eiso.dossiers.models import Dossier, DossierEvent
from eiso.dossiers.services.recording.definitions import current_definitions
from eiso.dossiers.services.recording.rows import CHUNK, EventRow, RecordSummary
from eiso.dossiers.services.recording.validation import EventValidator
from eiso.procedures.models import AdminProcedure


class EventWriter:
    """Writes validated rows chunk by chunk; call inside one transaction.

    Plain SQL, no model instances: new dossiers by multi-row ``INSERT … RETURNING``, events by
    ``INSERT … ON CONFLICT DO NOTHING`` (through a temporary table filled by ``COPY`` on
    PostgreSQL, ``executemany`` on SQLite), so the same event twice is one row whichever chunk
    or import it comes in. Only dossiers that existed before this import have their stored
    events read (to know whether anything is new for them); dossiers created here are retimed
    anyway."""

    def __init__(self, validator: EventValidator, *, source: str = ""):
        self.validator = validator
        self.source = source[:200]
        self.touched: set[int] = set()  # dossiers of earlier imports that got new events
        self.summary = RecordSummary()
        self._definitions: dict[int, tuple[int | None, int | None]] = {}  # procedure → (definition, doc)
        self._postgres = connection.vendor == "postgresql"
        self._temp_ready = False

    def touched_ids(self) -> list[int]:
        """The dossiers to retime: those created here and those of earlier imports with new events."""
        return [e[8] for e in self.validator.dossiers.values() if e[9]] + list(self.touched)

    def _definition_of(self, procedure_id: int) -> int | None:
        if procedure_id not in self._definitions:
            document_id = AdminProcedure.objects.filter(pk=procedure_id).values_list(
                "process_document_id", flat=True).first()
            current = current_definitions([document_id]) if document_id else {}
            self._definitions[procedure_id] = current[document_id][0] if document_id in current else None
        return self._definitions[procedure_id]

    def write(self, rows: list[EventRow]) -> None:
        entries = self.validator.dossiers
        codes = {r.code for r in rows if entries[r.code][8] is None}
        if codes:
            by_agency = defaultdict(list)
            for code in codes:
                by_agency[entries[code][0]].append(code)
            for agency_id, agency_codes in by_agency.items():
                for start in range(0, len(agency_codes), CHUNK):
                    for code, pk in Dossier.objects.filter(
                            agency_id=agency_id, code__in=agency_codes[start:start + CHUNK]).values_list("code", "pk"):
                        entries[code][8] = pk
            first_rows = {}
            for r in rows:
                if entries[r.code][8] is None and (r.code not in first_rows or r.kind == EventKind.RECEIVED):
                    first_rows[r.code] = r
            if first_rows:
                self._create_dossiers(first_rows)
        wanted, earlier = {}, set()
        step_done = EventKind.STEP_DONE
        for r in rows:
            entry = entries[r.code]
            key = (entry[8], r.kind, r.at, r.step if r.kind == step_done else 0)
            if key not in wanted:
                wanted[key] = r
                if not entry[9]:
                    earlier.add(entry[8])
        earlier = list(earlier)  # dossiers of earlier imports: read what they have
        existing = set()
        for start in range(0, len(earlier), CHUNK):
            existing.update(DossierEvent.objects.filter(dossier_id__in=earlier[start:start + CHUNK]).values_list(
                "dossier_id", "kind", "at", "step"))
        fresh = [(k, r) for k, r in wanted.items() if k not in existing]
        inserted = self._insert_events(fresh)
        self.summary.events_created += inserted
        self.summary.events_duplicate += len(rows) - inserted
        self.summary.rows += len(rows)
        self.touched.update(k[0] for k, r in fresh if not entries[r.code][9])

    def _create_dossiers(self, first_rows: dict[str, EventRow]) -> None:
        v = self.validator
        now = _db_datetime(timezone.now())
        values = []
        for code, r in first_rows.items():
            agency_id, procedure_id, received_at = v.dossiers[code][:3]
            received = _db_datetime(received_at)
            values.append((agency_id, code, procedure_id, self._definition_of(procedure_id),
                           r.channel or Channel.DIRECT, r.applicant[:200], DossierStatus.NEW, received, received,
                           "", now))
        columns = ("agency_id", "code", "admin_procedure_id", "definition_id", "channel", "applicant", "status",
                   "received_at", "due_at", "result", "updated_at")
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ", '[]')"
        with connection.cursor() as cursor:
            if self._postgres:  # COPY into a temporary table, then one INSERT … SELECT … RETURNING
                cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS eiso_dossier_in (agency_id bigint, "
                               "code varchar(60), admin_procedure_id bigint, definition_id bigint, "
                               "channel varchar(10), applicant varchar(200), status varchar(24), "
                               "received_at timestamptz, due_at timestamptz, result varchar(10), "
                               "updated_at timestamptz)")
                cursor.execute("TRUNCATE eiso_dossier_in")
                with cursor.cursor.copy(f"COPY eiso_dossier_in ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
                cursor.execute(f"INSERT INTO {Dossier._meta.db_table} ({', '.join(columns)}, steps) "  # noqa: S608
                               f"SELECT {', '.join(columns)}, '[]'::jsonb FROM eiso_dossier_in RETURNING id, code")
                for pk, code in cursor.fetchall():
                    entry = v.dossiers[code]
                    entry[8], entry[9] = pk, True
                values = ()
            for start in range(0, len(values), 500):
                part = values[start:start + 500]
                cursor.execute(f"INSERT INTO {Dossier._meta.db_table} ({', '.join(columns)}, steps) VALUES "  # noqa: S608
                               f"{', '.join([row_sql] * len(part))} RETURNING id, code",
                               [x for row in part for x in row])
                for pk, code in cursor.fetchall():
                    entry = v.dossiers[code]
                    entry[8], entry[9] = pk, True
        self.summary.dossiers_created += len(first_rows)

    def _insert_events(self, fresh: list[tuple[tuple, EventRow]]) -> int:
        """Insert the events (duplicates of stored ones are skipped); returns how many were new."""
        if not fresh:
            return 0
        table = DossierEvent._meta.db_table
        columns = "dossier_id, kind, at, step, note, actor, source, recorded_at"
        now = timezone.now()
        source = self.source
        with connection.cursor() as cursor:
            if self._postgres:
                if not self._temp_ready:
                    cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS eiso_event_in (dossier_id bigint, "
                                   "kind varchar(24), at timestamptz, step smallint, note varchar(500), "
                                   "actor varchar(200), source varchar(200), recorded_at timestamptz)")
                    self._temp_ready = True
                cursor.execute("TRUNCATE eiso_event_in")
                with cursor.cursor.copy(f"COPY eiso_event_in ({columns}) FROM STDIN") as copy:
                    for (dossier_id, kind, at, step), r in fresh:
                        copy.write_row((dossier_id, kind, at, step, r.note[:500], r.actor[:200], source, now))
                cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM eiso_event_in "  # noqa: S608
                               "ON CONFLICT DO NOTHING")
                return cursor.rowcount
            now = _db_datetime(now)
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
                [(dossier_id, kind, _db_datetime(at), step, r.note[:500], r.actor[:200], source, now)
                 for (dossier_id, kind, at, step), r in fresh])
            return cursor.rowcount


def _db_datetime(value: dt.datetime):
    """An aware datetime as the backend stores it: itself on PostgreSQL, naive UTC text on SQLite."""
    if connection.vendor == "postgresql":
        return value
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


TIMING_FIELDS = ("status", "due_at", "finished_at", "result", "current_step", "current_unit_id", "steps",
                 "received_at")


def save_timings(updates: list[tuple], now: dt.datetime) -> None:
    """Store the new timings: ``(id, *TIMING_FIELDS values)`` rows; UPDATE … FROM a COPY-filled
    temporary table on PostgreSQL, executemany on SQLite (bulk_update's CASE WHEN is far slower)."""
    table = Dossier._meta.db_table
    assignments = ", ".join(f"{f} = %s" for f in TIMING_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE TEMPORARY TABLE IF NOT EXISTS eiso_timing_in (id bigint, status varchar(24), "
                           "due_at timestamptz, finished_at timestamptz, result varchar(10), current_step smallint, "
                           "current_unit_id bigint, steps jsonb, received_at timestamptz)")
            cursor.execute("TRUNCATE eiso_timing_in")
            with cursor.cursor.copy("COPY eiso_timing_in (id, " + ", ".join(TIMING_FIELDS) + ") FROM STDIN") as copy:
                for row in updates:
                    copy.write_row(row)
            cursor.execute(f"UPDATE {table} AS d SET " + ", ".join(f"{f} = t.{f}" for f in TIMING_FIELDS)  # noqa: S608
                           + ", updated_at = %s FROM eiso_timing_in AS t WHERE d.id = t.id", [now])
        else:
            now = _db_datetime(now)
            cursor.executemany(f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
                               [(status, _db_datetime(due) if due else None,
                                 _db_datetime(finished) if finished else None, result, step, unit, steps,
                                 _db_datetime(received), now, pk)
                                for pk, status, due, finished, result, step, unit, steps, received in updates])
