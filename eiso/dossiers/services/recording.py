"""Recording dossier events from one-stop systems: validate everything, then write, then retime.

Every way events come in (``eiso import dossiers``, the upload page, ``POST
/api/v1/dossiers/events``) goes through the same three stages:

1. ``EventValidator``: each ``EventRow`` is checked as it streams past (kind, time, step,
   agency and procedure on the receipt row, scope of the actor), keeping only a few numbers per
   dossier; ``finish()`` then checks what needs the whole file and the database (every dossier
   received, here or in an earlier import; nothing before its receipt; steps that exist in the
   procedure's process). Any error refuses the whole input: nothing is written.
2. ``EventWriter.write(rows)`` (chunk by chunk, inside one transaction): creates the dossiers
   first seen, stores the events not stored yet (the same event twice is one row), and remembers
   which dossiers changed.
3. ``dossiers_retime(ids)``: recomputes each changed dossier from all its events with the pure
   ``timing.compute`` and adjusts the rollups by the difference, so events may arrive in any
   order and in several files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import ValidationFailed
from eiso.core.policy import permitted
from eiso.dossiers import timing as timing_module
from eiso.dossiers.choices import Channel, DossierStatus, EventKind, SupplementMode
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup, DossierSettings
from eiso.organizations.models import Agency
from eiso.organizations.selectors import work_calendars_for
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep

CHUNK = 2000
RETIME_CHUNK = 5000  # dossiers recomputed per round (their events are read in one query)
MAX_ERRORS = 200  # errors listed before "and N more"
EVENT_KINDS = frozenset(EventKind.values)
CHANNELS = frozenset(Channel.values)


@dataclass(slots=True)
class EventRow:
    """One event as read from a file or the API; ``row`` names it in messages (line, index…)."""

    row: object
    code: str
    kind: str
    at: dt.datetime | None
    step: int = 0
    agency_code: str = ""
    procedure_code: str = ""
    channel: str = ""
    applicant: str = ""
    note: str = ""
    actor: str = ""


@dataclass
class RecordSummary:
    rows: int = 0
    dossiers_created: int = 0
    dossiers_touched: int = 0
    events_created: int = 0
    events_duplicate: int = 0


def refuse(errors: list[tuple[object, str]], more: int = 0) -> ValidationFailed:
    """One ValidationFailed listing each bad row: ``{"rows": ["Row 3: …", …]}``."""
    lines = [_("Row %(row)s: %(message)s") % {"row": row, "message": message} for row, message in errors]
    if more:
        lines.append(_("… and %(n)s more errors.") % {"n": more})
    message = _("The data was refused: nothing was imported. Correct these rows and try again.")
    return ValidationFailed(message, errors={"rows": lines})


def allowed_agencies(actor) -> dict[str, Agency] | None:
    """Code → agency for the agencies ``actor`` may import into; None: any (the system)."""
    if actor is None:
        return None
    return {a.code: a for a in permitted(actor, "dossiers.import_dossiers", Agency.objects)}


class EventValidator:
    """Checks rows as they stream past and keeps a few numbers per dossier (not the rows)."""

    def __init__(self, actor, *, agency: Agency | None = None):
        self.actor = actor
        self.only_agency = agency  # the upload page imports into one agency
        self.scope = allowed_agencies(actor)
        self._agencies: dict[str, Agency | None] = {}
        self._procedures: dict[tuple[int, str], int | None] = {}
        self.errors: list[tuple[object, str]] = []
        self.more = 0
        self.rows = 0
        # code → [agency id, procedure id, received at, receipt row, earliest other at, its row, max step, its row,
        #         dossier id (once written), created by this import] — the whole memory of an import
        self.dossiers: dict[str, list] = {}

    def error(self, row, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((row, message))
        else:
            self.more += 1

    def agency(self, code: str) -> Agency | None:
        if code not in self._agencies:
            agency = None
            if self.scope is None:
                agency = Agency.objects.filter(code=code).first()
            else:
                agency = self.scope.get(code)
            if agency is not None and self.only_agency is not None and agency.pk != self.only_agency.pk:
                agency = None
            self._agencies[code] = agency
        return self._agencies[code]

    def procedure(self, agency_id: int, code: str) -> int | None:
        key = (agency_id, code)
        if key not in self._procedures:
            self._procedures[key] = AdminProcedure.objects.filter(agency_id=agency_id, code=code).values_list(
                "pk", flat=True).first()
        return self._procedures[key]

    def check(self, r: EventRow) -> bool:
        """Check one row; False (and the reason recorded) when it is bad."""
        self.rows += 1
        ok = True
        if not r.code:
            self.error(r.row, _("the dossier code is missing."))
            return False
        if len(r.code) > 60:
            self.error(r.row, _("the dossier code is longer than 60 characters."))
            return False
        if r.kind not in EVENT_KINDS:
            self.error(r.row, _("unknown event “%(event)s”; use one of: %(kinds)s.")
                       % {"event": r.kind, "kinds": ", ".join(EventKind.values)})
            return False
        if r.at is None:
            self.error(r.row, _("the time is missing or not a date and time (YYYY-MM-DD HH:MM)."))
            ok = False
        if r.kind == EventKind.STEP_DONE and not (isinstance(r.step, int) and r.step >= 1):
            self.error(r.row, _("a step_done event needs the number of the step (1, 2, …)."))
            ok = False
        if r.channel and r.channel not in CHANNELS:
            self.error(r.row, _("unknown channel “%(channel)s”; use direct, online or postal.")
                       % {"channel": r.channel})
            ok = False
        entry = self.dossiers.get(r.code)
        if entry is None:
            entry = self.dossiers[r.code] = [None, None, None, None, None, None, 0, None, None, False]
        if r.kind == EventKind.RECEIVED:
            entry[3] = entry[3] or r.row  # a receipt row was seen (named already if it is refused)
            if not r.agency_code or not r.procedure_code:
                self.error(r.row, _("the received event needs the agency code and the procedure code."))
                return False
            agency = self.agency(r.agency_code)
            if agency is None:
                self.error(r.row, _("agency “%(code)s” is unknown or not yours to import into.")
                           % {"code": r.agency_code})
                return False
            procedure_id = self.procedure(agency.pk, r.procedure_code)
            if procedure_id is None:
                self.error(r.row, _("procedure “%(code)s” is not in the catalogue of %(agency)s.")
                           % {"code": r.procedure_code, "agency": agency.code})
                return False
            if entry[0] is not None and (entry[0], entry[1]) != (agency.pk, procedure_id):
                self.error(r.row, _("dossier %(code)s is received twice with a different agency or procedure.")
                           % {"code": r.code})
                return False
            entry[0], entry[1] = agency.pk, procedure_id
            if ok and (entry[2] is None or r.at < entry[2]):
                entry[2], entry[3] = r.at, r.row
        elif ok:
            if r.agency_code and self.agency(r.agency_code) is None:
                self.error(r.row, _("agency “%(code)s” is unknown or not yours to import into.")
                           % {"code": r.agency_code})
                return False
            if entry[4] is None or r.at < entry[4]:
                entry[4], entry[5] = r.at, r.row
            if r.kind == EventKind.STEP_DONE and r.step > entry[6]:
                entry[6], entry[7] = r.step, r.row
        return ok

    def finish(self) -> None:
        """Checks that need the whole input and the database; raises ValidationFailed if anything is wrong."""
        missing = [code for code, e in self.dossiers.items() if e[2] is None]
        stored = {}
        for start in range(0, len(missing), CHUNK):
            part = missing[start:start + CHUNK]
            qs = Dossier.objects.filter(code__in=part)
            if self.scope is not None:
                qs = qs.filter(agency_id__in=[a.pk for a in self.scope.values()])
            if self.only_agency is not None:
                qs = qs.filter(agency_id=self.only_agency.pk)
            for code, agency_id, procedure_id, received_at in qs.values_list("code", "agency_id",
                                                                             "admin_procedure_id", "received_at"):
                stored[code] = (agency_id, procedure_id, received_at)
        for code in missing:
            entry = self.dossiers[code]
            if code not in stored:
                if entry[3] is not None or entry[5] is None:  # its rows were refused, and are named already
                    continue
                self.error(entry[5], _("dossier %(code)s has no received event, here or in an "
                                                          "earlier import.") % {"code": code})
                continue
            entry[0], entry[1], entry[2] = stored[code]
        steps = self._step_counts({e[1] for e in self.dossiers.values() if e[1] is not None and e[6]})
        for code, entry in self.dossiers.items():
            if entry[2] is None:
                continue
            if entry[4] is not None and entry[4] < entry[2]:
                self.error(entry[5], _("an event of dossier %(code)s is before its receipt (%(at)s).")
                           % {"code": code, "at": timezone.localtime(entry[2]).strftime("%d/%m/%Y %H:%M")})
            if entry[6] and entry[6] > steps.get(entry[1], 0):
                self.error(entry[7], _("dossier %(code)s: step %(step)s is not in the process of its procedure "
                                       "(it has %(n)s steps).") % {"code": code, "step": entry[6],
                                                                  "n": steps.get(entry[1], 0)})
        if self.errors:
            raise refuse(self.errors, self.more)

    @staticmethod
    def _step_counts(procedure_ids) -> dict[int, int]:
        """Procedure id → number of steps of the process its dossiers are timed against."""
        counts = {}
        ids = list(procedure_ids)
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            for pk, document_id in AdminProcedure.objects.filter(pk__in=part).values_list("pk", "process_document_id"):
                counts[pk] = document_id
        definitions = current_definitions({d for d in counts.values() if d})
        return {pk: len(definitions[d][1]) if d in definitions else 0 for pk, d in counts.items()}


def current_definitions(document_ids) -> dict[int, tuple[int, list[timing_module.StepSpec]]]:
    """Document id → (current definition id, its steps) for the given operational procedures."""
    rows = ProcessDefinition.objects.filter(document_id__in=list(document_ids), is_current=True).values_list(
        "document_id", "pk")
    by_definition = {pk: document_id for document_id, pk in rows}
    steps = definition_steps(by_definition)
    return {document_id: (pk, steps.get(pk, [])) for pk, document_id in by_definition.items()}


def definition_steps(definition_ids) -> dict[int, list[timing_module.StepSpec]]:
    out: dict[int, list] = defaultdict(list)
    for definition_id, number, name, hours, unit_id in ProcessStep.objects.filter(
            definition_id__in=list(definition_ids)).order_by("definition_id", "number").values_list(
            "definition_id", "number", "name", "allowance_hours", "unit_id"):
        out[definition_id].append(timing_module.StepSpec(number=number, name=name, hours=hours, unit_id=unit_id))
    return dict(out)


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


class _Event(NamedTuple):
    """The fields ``timing.compute`` reads of an event (a light stand-in for ``timing.Event``)."""

    kind: str
    at: dt.datetime
    step: int


def _timing_of(dossier: dict, zone) -> timing_module.Timing | None:
    """The stored timing of a dossier row (for the rollup keys it currently counts in)."""
    if dossier["finished_at"] is None and not dossier["steps"]:
        return None
    return timing_module.Timing(status=dossier["status"], received_at=dossier["received_at"],
                                due_at=dossier["due_at"], finished_at=dossier["finished_at"],
                                result=dossier["result"], steps=timing_module.steps_from_json(dossier["steps"]))


def _events_of(ids: list[int], zone) -> dict[int, list[_Event]]:
    """The events of the given dossiers, times in ``zone``, with one plain query."""
    events: dict[int, list] = defaultdict(list)
    table = DossierEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT dossier_id, kind, at, step FROM {table} WHERE dossier_id = ANY(%s)",  # noqa: S608
                           [ids])
            for dossier_id, kind, at, step in cursor.fetchall():
                events[dossier_id].append(_Event(kind, at.astimezone(zone), step))
        else:
            cursor.execute(f"SELECT dossier_id, kind, at, step FROM {table} WHERE dossier_id IN "  # noqa: S608
                           f"({', '.join(['%s'] * len(ids))})", ids)
            parse, utc = dt.datetime.fromisoformat, dt.UTC
            for dossier_id, kind, at, step in cursor.fetchall():  # naive UTC (Django's converter) or text
                at = (parse(at) if isinstance(at, str) else at).replace(tzinfo=utc).astimezone(zone)
                events[dossier_id].append(_Event(kind, at, step))
    return events


TIMING_FIELDS = ("status", "due_at", "finished_at", "result", "current_step", "current_unit_id", "steps",
                 "received_at")


def _save_timings(updates: list[tuple], now: dt.datetime) -> None:
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


def dossiers_retime(dossier_ids: Iterable[int], *, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the timing of the given dossiers from their events and adjust the rollups.
    Call inside a transaction. Returns how many dossiers changed."""
    ids = sorted(set(dossier_ids))
    calendars: dict[int, object] = {}
    modes: dict[int, str] = {}
    steps_cache: dict[int, list] = {}
    deltas: Counter = Counter()
    changed = 0
    compute, contributions, to_json = timing_module.compute, timing_module.contributions, timing_module.steps_to_json
    dumps = json.dumps
    zone = None
    for start in range(0, len(ids), RETIME_CHUNK):
        part = ids[start:start + RETIME_CHUNK]
        rows = list(Dossier.objects.filter(pk__in=part).values(
            "pk", "agency_id", "admin_procedure_id", "admin_procedure__time_limit_days", "definition_id",
            *TIMING_FIELDS))
        agencies = {r["agency_id"] for r in rows} - calendars.keys()
        if agencies:
            calendars.update(work_calendars_for(agencies))
            modes.update(dict.fromkeys(agencies, SupplementMode.RESTART))
            modes.update(dict(DossierSettings.objects.filter(agency_id__in=agencies).values_list(
                "agency_id", "supplement_mode")))
        needed = {r["definition_id"] for r in rows if r["definition_id"]} - steps_cache.keys()
        if needed:
            found = definition_steps(needed)
            steps_cache.update({d: found.get(d, []) for d in needed})
        if zone is None and calendars:
            zone = next(iter(calendars.values())).zone
        events = _events_of(part, zone) if part else {}
        updates = []
        for r in rows:
            calendar = calendars[r["agency_id"]]
            zone = calendar.zone
            new = compute(
                events.get(r["pk"], ()), steps=steps_cache.get(r["definition_id"], []),
                limit_hours=r["admin_procedure__time_limit_days"] * calendar.hours_per_day, calendar=calendar,
                mode=modes[r["agency_id"]])
            old = _timing_of(r, zone)
            key = (r["agency_id"], r["admin_procedure_id"])
            for month, step, unit, result in contributions(old, zone):
                deltas[(*key, month, step, unit, result)] -= 1
            for month, step, unit, result in contributions(new, zone):
                deltas[(*key, month, step, unit, result)] += 1
            steps = to_json(new.steps)
            values = (new.status, new.due_at, new.finished_at, new.result, new.current_step, new.current_unit_id,
                      steps, new.received_at)
            if any(r[f] != value for f, value in zip(TIMING_FIELDS, values, strict=True)):
                updates.append((r["pk"], *values[:6], dumps(steps), values[7]))
        if updates:
            _save_timings(updates, timezone.now())
            changed += len(updates)
        if progress:
            progress(min(start + RETIME_CHUNK, len(ids)), len(ids))
    rollups_apply(deltas)
    return changed


def rollups_apply(deltas: Counter) -> None:
    """Add the count differences to DossierRollup (rows created as needed, zero rows kept)."""
    grouped: dict[tuple, dict] = defaultdict(lambda: {"early": 0, "on_time": 0, "late": 0})
    for (agency_id, procedure_id, month, step, unit_id, result), n in deltas.items():
        if n:
            grouped[(agency_id, procedure_id, month, step, unit_id)][result] += n
    if not grouped:
        return
    procedure_ids = {k[1] for k in grouped}
    months = {k[2] for k in grouped}
    existing = {(r.admin_procedure_id, r.month, r.step, r.unit_id): r for r in DossierRollup.objects.select_for_update()
                .filter(admin_procedure_id__in=procedure_ids, month__in=months)}
    changed, new = [], []
    for (agency_id, procedure_id, month, step, unit_id), counts in grouped.items():
        row = existing.get((procedure_id, month, step, unit_id))
        if row is None:
            new.append(DossierRollup(agency_id=agency_id, admin_procedure_id=procedure_id, month=month, step=step,
                                     unit_id=unit_id, **counts))
        else:
            row.early += counts["early"]
            row.on_time += counts["on_time"]
            row.late += counts["late"]
            changed.append(row)
    DossierRollup.objects.bulk_create(new, batch_size=500)
    DossierRollup.objects.bulk_update(changed, ["early", "on_time", "late"], batch_size=500)


def dossier_events_record(*, actor, rows: Iterable[EventRow], source: str, agency: Agency | None = None,
                          progress: Callable[[str, int, int], None] | None = None,
                          total: int | None = None, rows_again: Callable[[], Iterable[EventRow]] | None = None
                          ) -> RecordSummary:
    """Validate every row, then record them all or nothing.

    ``rows`` is read once to validate; ``rows_again`` (when given) streams the same rows a second
    time to write them, so a file is never held in memory; without it the rows are kept.
    ``progress(phase, done, total)`` is called as work goes on (phases: validate, write, retime).
    """
    validator = EventValidator(actor, agency=agency)
    kept = [] if rows_again is None else None
    good = True
    for r in rows:
        good = validator.check(r) and good
        if kept is not None:
            kept.append(r)
        if progress and validator.rows % 10000 == 0:
            progress("validate", validator.rows, total or 0)
    validator.finish()
    if not good:  # defensive: check() recorded every bad row, so finish() has raised
        raise refuse(validator.errors, validator.more)
    total_rows = validator.rows
    writer = EventWriter(validator, source=source)
    with transaction.atomic():
        # One import per agency at a time: they would create the same dossiers and rollup rows.
        list(Agency.objects.select_for_update().filter(
            pk__in={e[0] for e in validator.dossiers.values() if e[0]}).order_by("pk").values_list("pk"))
        batch = []
        for r in (kept if kept is not None else rows_again()):
            batch.append(r)
            if len(batch) >= CHUNK * 5:
                writer.write(batch)
                batch = []
                if progress:
                    progress("write", writer.summary.rows, total_rows)
        if batch:
            writer.write(batch)
        if progress:
            progress("write", writer.summary.rows, total_rows)
        touched = writer.touched_ids()
        dossiers_retime(touched, progress=(lambda d, t: progress("retime", d, t)) if progress else None)
        writer.summary.dossiers_touched = len(touched)
        if writer.summary.events_created:
            agencies = Agency.objects.filter(pk__in={e[0] for e in validator.dossiers.values() if e[0]})
            for a in agencies:
                audit_record(actor=actor, action="import", obj=a, agency=a,
                             note=_("Dossier events imported from %(source)s: %(events)s new events, "
                                    "%(dossiers)s dossiers created.") % {
                                 "source": source or "?", "events": writer.summary.events_created,
                                 "dossiers": writer.summary.dossiers_created})
    return writer.summary
