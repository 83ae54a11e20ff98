"""The timings of a first import's plain dossiers, computed in columns (``timing_columns``).

``StagedImport.compute`` asks ``plain_timings`` for a block of new dossiers before computing them one
by one: those answered here (received, hand-overs in order, maybe supplement rounds and an ending;
nearly all of a one-stop export) come back in the form the staging table stores, with their rollup
keys already counted; the others are computed one by one as before, with the same results
(``timing_columns``' test).
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from eiso.dossiers import timing, timing_columns
from eiso.dossiers.choices import SupplementMode
from eiso.dossiers.services.recording.columnar import stored_times

PLAIN_COLUMNS = ("grp", "agency_id", "admin_procedure_id", "definition_id", "status", "received_at", "due_at",
                 "finished_at", "result", "current_step", "current_unit_id", "steps")
COUNTED = ("agency_id", "procedure_id", "month", "step", "unit_id", "result")  # a rollup delta's key
BLOCK = 10_000  # new dossiers per call: enough for column work (13-16 µs a dossier), ~100 MB of frames at most
COUNTS_KEPT = 8  # counted blocks' frames kept before they are summed into one (``counts_append``)


def plain_timings(frame: pl.DataFrame, g0: int, g1: int, *, dossiers: pl.DataFrame, kinds: dict, steps_of: dict,
                  zone, postgres: bool, counts: list) -> pl.DataFrame:
    """The staged timings of the plain dossiers among ``dossiers`` — new dossiers ``g0``…``g1 - 1``,
    columns ``grp``, ``agency_id``, ``procedure_id``, each pair of which ``kinds`` maps to its
    ``(definition id, calendar, limit hours, supplement mode)`` — whose events are the rows of ``frame``
    (``StagedImport.frame``: grp, seq, kind, at_us, step, ordered by grp then file) in that range, as
    one row per answered dossier, ordered by grp: ``PLAIN_COLUMNS``, instants as the staging table is
    given them (``columnar.stored_times``: naive UTC text on SQLite, an ISO instant with its offset for
    PostgreSQL's COPY). Their rollup keys, counted, are appended to ``counts`` (``counts_add`` adds them
    up). Dossiers timed in another zone than ``zone``, by a calendar with other output, or with no steps
    are left out."""
    grps = frame.get_column("grp")
    lo, hi = grps.search_sorted(g0, side="left"), grps.search_sorted(g1, side="left")
    events = frame.slice(lo, hi - lo).select("grp", "kind", "at_us", "step")
    groups: dict = {}  # calendar → (it, its kinds of dossier): calendars of equal values are timed as one
    members: dict = {}  # id(calendar) → its group's kinds (a calendar's hash is of all its values: once each)
    # Worked out once per agency and procedure (a few hundred), not per dossier.
    for (agency_id, procedure_id), (definition_id, calendar, limit, mode) in kinds.items():
        if not definition_id or not steps_of.get(definition_id) or calendar.zone is not zone:
            continue
        try:
            limit_us = timing._us(limit)  # noqa: SLF001 (as the fast path converts it)
        except (ValueError, TypeError, ArithmeticError):
            continue
        group = members.get(id(calendar))  # (the calendars are held by ``kinds``: their ids stay theirs)
        if group is None:
            try:
                key = (hash(calendar), calendar)
            except TypeError:  # (a calendar of unhashable values: by itself)
                key = id(calendar)
            group = members[id(calendar)] = groups.setdefault(key, (calendar, []))[1]
        group.append((agency_id, procedure_id, definition_id, limit_us, mode == SupplementMode.RESTART))
    dossiers = dossiers.select(pl.col("grp", "agency_id", "procedure_id").cast(pl.Int64))
    out: list[pl.DataFrame] = []
    for calendar, rows in groups.values():
        table = dossiers.join(pl.DataFrame(rows, schema={"agency_id": pl.Int64, "procedure_id": pl.Int64,
                                                         "definition_id": pl.Int64, "limit_us": pl.Int64,
                                                         "restart": pl.Boolean}, orient="row"),
                              on=["agency_id", "procedure_id"], how="inner", maintain_order="left")
        if not table.height:
            continue
        mine = events.join(table.select("grp"), on="grp", how="semi")
        stored, keys = timing_columns.compute_stored_columns(
            mine, table, steps_of={d: steps_of[d] for d in table.get_column("definition_id").unique().to_list()},
            calendar=calendar, mode="")  # (each dossier's mode is in its row: restart)
        if not stored.height:
            continue
        counts_append(counts, keys.join(table.select("grp", "agency_id", "procedure_id"), on="grp")
                      .group_by(*COUNTED).len())
        instants = [stored_times(pl.col(f"{c}_us"), postgres).alias(f"{c}_at") for c in ("received", "due", "finished")]
        out.append(stored.join(table.select("grp", "agency_id", pl.col("procedure_id").alias("admin_procedure_id"),
                                             "definition_id"), on="grp")
                   .select(*PLAIN_COLUMNS[:4], "status", *instants, *PLAIN_COLUMNS[8:]))
    if not out:
        return pl.DataFrame(schema={"grp": pl.Int64})
    return pl.concat(out).sort("grp")


def _summed(counts: list[pl.DataFrame]) -> pl.DataFrame:
    """``counts`` (frames of ``COUNTED`` and ``len``) as one, a row per key, its ``len`` summed."""
    return pl.concat(counts).group_by(*COUNTED).agg(pl.col("len").sum())


def counts_append(counts: list[pl.DataFrame], counted: pl.DataFrame) -> None:
    """``counted`` (a block's rollup keys, counted) appended to ``counts``, the list summed into one frame
    whenever it holds ``COUNTS_KEPT`` frames: a frame per key of the import so far, not a row per key of
    every block until ``counts_add`` (at 1,000,000 dossiers, 100 blocks' 2.4 million rows, 110 MB, of
    55,000 keys, whose group_by at the end of ``compute`` was the import's peak of memory: +330 MB)."""
    counts.append(counted)
    if len(counts) >= COUNTS_KEPT:
        counts[:] = [_summed(counts)]


def counts_add(counts: list[pl.DataFrame], deltas: Counter) -> None:
    """The rollup keys counted by ``plain_timings`` (block by block) added to ``deltas``, once per key of
    the whole import, not once per key of each block (about 150,000 of them for 100,000 dossiers)."""
    if not counts:
        return
    counted = _summed(counts)
    counts.clear()
    *key_columns, numbers = (series.to_list() for series in counted.get_columns())
    for key, n in zip(zip(*key_columns, strict=True), numbers, strict=True):  # (agency, procedure, month, step,
        deltas[key] += n  # unit, result): columns zipped, not a tuple per row from polars
