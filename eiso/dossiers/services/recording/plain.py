"""The timings of a first import's plain dossiers, computed in columns (``timing_columns``).

``StagedImport.compute`` asks ``plain_timings`` for a block of new dossiers before computing them one
by one: those answered here (received, hand-overs in order, maybe an ending; nearly all of a one-stop
export) come back in the form the staging table stores, with their rollup keys already counted;
the others are computed one by one as before, with the same results (``timing_columns``' test).
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from eiso.dossiers import timing, timing_columns

BLOCK = 10_000  # new dossiers per call: enough for column work (13-16 µs a dossier), ~100 MB of frames at most


def plain_timings(frame: pl.DataFrame, g0: int, g1: int, *, dossiers: list[tuple], steps_of: dict, zone,
                  postgres: bool, deltas: Counter) -> dict[int, tuple]:
    """The staged timings of the plain dossiers among ``dossiers`` — ``(grp, agency id, procedure id,
    definition id, calendar, limit hours)`` of new dossiers ``g0``…``g1 - 1``, whose events are the
    rows of ``frame`` (``StagedImport.frame``: grp, seq, kind, at_us, step, ordered by grp then file)
    in that range — as grp → ``(status, received_at, due_at, finished_at, result, current_step,
    current_unit_id, steps)``, instants as the staging table stores them (naive UTC text on SQLite,
    aware on PostgreSQL). Their rollup keys are added to ``deltas``. Dossiers timed in another zone
    than ``zone``, by a calendar with other output, or with no steps are left out."""
    grps = frame.get_column("grp")
    lo, hi = grps.search_sorted(g0, side="left"), grps.search_sorted(g1, side="left")
    events = frame.slice(lo, hi - lo).select("grp", "kind", "at_us", "step")
    groups: dict = {}  # calendar → (it, its dossiers): calendars of equal values are timed as one
    members: dict = {}  # id(calendar) → its group's dossiers (a calendar's hash is of all its values: once each)
    for grp, agency_id, procedure_id, definition_id, calendar, limit in dossiers:
        if not definition_id or not steps_of.get(definition_id) or calendar.zone is not zone:
            continue
        try:
            limit_us = timing._us(limit)  # noqa: SLF001 (as the fast path converts it)
        except (ValueError, TypeError, ArithmeticError):
            continue
        group = members.get(id(calendar))  # (the calendars are held by ``dossiers``: their ids stay theirs)
        if group is None:
            try:
                key = (hash(calendar), calendar)
            except TypeError:  # (a calendar of unhashable values: by itself)
                key = id(calendar)
            group = members[id(calendar)] = groups.setdefault(key, (calendar, []))[1]
        group.append((grp, agency_id, procedure_id, definition_id, limit_us))
    out: dict[int, tuple] = {}
    for calendar, rows in groups.values():
        table = pl.DataFrame(rows, schema={"grp": pl.Int64, "agency_id": pl.Int64, "procedure_id": pl.Int64,
                                           "definition_id": pl.Int64, "limit_us": pl.Int64}, orient="row")
        mine = events.join(table.select("grp"), on="grp", how="semi")
        stored, keys = timing_columns.compute_stored_columns(
            mine, table, steps_of={d: steps_of[d] for d in table.get_column("definition_id").unique().to_list()},
            calendar=calendar, mode="")
        if not stored.height:
            continue
        counted = (keys.join(table.select("grp", "agency_id", "procedure_id"), on="grp")
                   .group_by("agency_id", "procedure_id", "month", "step", "unit_id", "result").len())
        *key_columns, counts = (series.to_list() for series in counted.get_columns())
        for key, n in zip(zip(*key_columns, strict=True), counts, strict=True):  # (agency, procedure, month, step,
            deltas[key] += n  # unit, result): columns zipped, not a tuple per row from polars
        instants = [pl.from_epoch(pl.col(c), time_unit="us") for c in ("received_us", "due_us", "finished_us")]
        if postgres:
            instants = [i.dt.replace_time_zone("UTC") for i in instants]
        else:  # ``_db_datetime``'s text: naive UTC (the instants here are on whole seconds)
            instants = [i.dt.strftime("%Y-%m-%d %H:%M:%S") for i in instants]
        columns = [series.to_list() for series in stored.select(
            "grp", "status", *instants, "result", "current_step", "current_unit_id", "steps").get_columns()]
        out.update(zip(columns[0], zip(*columns[1:], strict=True), strict=True))  # (not a tuple per row from polars)
    return out
