"""What a staged import reads of the dossiers stored already (``staging.StagedImport.compute``): the
stored dossiers of the input's codes with their timing, and their events, with plain queries (no
model instances, no ORM conversions).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from datetime import UTC
from decimal import Decimal

from django.db import connection

from eiso.dossiers.models import Dossier, DossierEvent
from eiso.dossiers.services.recording.rows import CHUNK
from eiso.dossiers.services.recording.writing import TIMING_FIELDS
from eiso.dossiers.timing import instant_us
from eiso.procedures.models import AdminProcedure


def aware(value, postgres: bool):
    """A stored datetime as the ORM gives it: aware (UTC) on SQLite, as read on PostgreSQL."""
    if value is None or postgres:
        return value
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def stored_dossiers(entries: dict[str, list], codes: list[str], postgres: bool) -> dict[str, dict]:
    """The dossiers of these codes stored already (in the agency the input names, ``entries[code][0]``),
    with their timing: the values the ORM's ``values()`` gives (aware datetimes, ``steps`` parsed, the
    time limit a Decimal of the field's places), read with one plain query per agency and chunk (the
    ORM's conversions were most of an increment's reading). Found by their codes alone (the code
    index), the agency compared here: with the agency in the condition too, PostgreSQL combined
    the code index with a scan of the agency's whole range of another index (BitmapAnd), a read
    that grows with the agency's stored dossiers, not with the input."""
    by_agency = defaultdict(list)
    for code in codes:
        by_agency[entries[code][0]].append(code)
    out = {}
    names = ("pk", "code", "agency_id", "admin_procedure_id", "admin_procedure__time_limit_days",
             "definition_id", "updated_at", *TIMING_FIELDS)
    dossier, procedure = Dossier._meta.db_table, AdminProcedure._meta.db_table
    select = (f"SELECT d.id, d.code, d.agency_id, d.admin_procedure_id, p.time_limit_days, d.definition_id, "  # noqa: S608
              f"d.updated_at, {', '.join(f'd.{f}' for f in TIMING_FIELDS)} FROM {dossier} d "
              f"JOIN {procedure} p ON p.id = d.admin_procedure_id WHERE d.code ")
    loads = json.loads
    places = Decimal(1).scaleb(-AdminProcedure._meta.get_field("time_limit_days").decimal_places)
    with connection.cursor() as cursor:
        for agency_id, agency_codes in by_agency.items():
            if agency_id is None:
                continue
            for start in range(0, len(agency_codes), CHUNK):
                part = agency_codes[start:start + CHUNK]
                if postgres:
                    cursor.execute(select + "= ANY(%s)", [part])
                else:
                    cursor.execute(select + f"IN ({', '.join(['%s'] * len(part))})", part)
                for (pk, code, agency, procedure_id, days, definition_id, updated_at, status, due_at, finished_at,
                     result, current_step, current_unit_id, steps, received_at) in cursor.fetchall():
                    if agency != agency_id:  # the same code in another agency: another dossier
                        continue
                    if not isinstance(days, Decimal):
                        days = Decimal(str(days)).quantize(places)
                    out[code] = dict(zip(names, (
                        pk, code, agency, procedure_id, days, definition_id, aware(updated_at, postgres), status,
                        aware(due_at, postgres), aware(finished_at, postgres), result, current_step,
                        current_unit_id, loads(steps) if isinstance(steps, str) else steps,
                        aware(received_at, postgres)), strict=True))
    return out


def stored_event_rows(ids: list[int]) -> list[tuple]:
    """``(dossier_id, kind, at, step)`` of the events of the given dossiers, with one plain query (no
    model instances): ``at`` as the database gives it, which ``stored_instant`` reads. The one reader
    of stored events for ``stored_events_us`` and ``retiming._events_of``."""
    if not ids:
        return []
    table = DossierEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT dossier_id, kind, at, step FROM {table} WHERE dossier_id = ANY(%s)",  # noqa: S608
                           [ids])
        else:
            cursor.execute(f"SELECT dossier_id, kind, at, step FROM {table} WHERE dossier_id IN "  # noqa: S608
                           f"({', '.join(['%s'] * len(ids))})", ids)
        return cursor.fetchall()


def stored_instant(at) -> dt.datetime:
    """An event's instant as ``stored_event_rows`` gives it (aware on PostgreSQL; naive UTC, or its
    text, on SQLite) as an aware datetime."""
    value = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


_US_OF_STORED: dict = {}  # stored value of an event's instant → µs since the epoch (emptied past 100,000)


def stored_events_us(ids: list[int]) -> dict[int, list[tuple[str, int, int]]]:
    """The events of the given dossiers as ``(kind, UTC µs since the epoch, step)`` tuples (what
    ``timing.compute_stored_us`` reads: no datetime per event). The same stored instants recur across
    dossiers: each is converted once (memoised)."""
    events: dict[int, list] = defaultdict(list)
    memo = _US_OF_STORED
    if len(memo) >= 100_000:
        memo.clear()
    for dossier_id, kind, at, step in stored_event_rows(ids):
        us = memo.get(at)
        if us is None:
            us = memo[at] = instant_us(stored_instant(at))
        events[dossier_id].append((kind, us, step))
    return events
