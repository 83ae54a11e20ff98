"""``timing.compute_stored_us`` of many dossiers at once, in columns (polars), for the common shape.

A first import of a one-stop export is mostly dossiers of one shape: received, then the hand-over of
each step in the process's order, maybe supplement rounds (supplement requested, then at once the
complete dossier received) while a step is under way, maybe an ending (returned, withdrawn…) last.
Replayed one by one, each costs tens of µs of interpreter work (``timing._replay``); here the same replay is
written as column expressions over every event and step of thousands of dossiers: positions looked
up in the calendar's table (a join), due instants made from positions (``Positions.due``'s
arithmetic), results classified, ISO texts written by polars, the stored steps' JSON text assembled
per dossier.

``compute_stored_columns`` answers only the dossiers it is sure of and leaves the others (another
shape, the same event twice, a time outside the table or not on a whole second, a due instant past
the table, steps it cannot write as ``timing`` does) to the caller, who computes them one by one: its
answers are ``compute_stored_us``'s exactly (tested on generated dossiers). Pure: no ORM, no clock.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from eiso.core.workcalendar import WorkCalendar
from eiso.dossiers import timing
from eiso.dossiers.choices import EVENT_ORDER, EventKind, Result, SupplementMode
from eiso.dossiers.timing import ENDING

_DAY = 86_400_000_000
_EPOCH_DAY_US = dt.date(1970, 1, 1).toordinal() * _DAY  # local µs since day 1 → since the epoch
_R_RECEIVED, _R_STEP_DONE = EVENT_ORDER[EventKind.RECEIVED], EVENT_ORDER[EventKind.STEP_DONE]
_R_RETURNED = EVENT_ORDER[EventKind.RETURNED]
_R_SUPPLEMENT_REQUESTED = EVENT_ORDER[EventKind.SUPPLEMENT_REQUESTED]
_R_SUPPLEMENT_RECEIVED = EVENT_ORDER[EventKind.SUPPLEMENT_RECEIVED]
_ENDING_STATUS = {EVENT_ORDER[kind]: str(status) for kind, status in ENDING.items()}
_RANKS = {str(kind): rank for kind, rank in EVENT_ORDER.items()}

STORED_COLUMNS = ("grp", "status", "received_us", "due_us", "finished_us", "result", "current_step",
                  "current_unit_id", "steps")
KEY_COLUMNS = ("grp", "month", "step", "unit_id", "result")


def _classify(key: pl.Expr, o: pl.Expr, due_key: pl.Expr, due_o: pl.Expr) -> pl.Expr:
    """``timing.classify`` on local keys and ordinals: late after the due instant, early on an earlier date."""
    return (pl.when(key > due_key).then(pl.lit(str(Result.LATE)))
            .when(o < due_o).then(pl.lit(str(Result.EARLY))).otherwise(pl.lit(str(Result.ON_TIME))))


def _within(spans, day_us: int, clock: pl.Expr) -> pl.Expr:
    """``workcalendar._within``: working time of a working day before ``clock``."""
    expr = None
    for start, end, before, _after in spans:
        step = pl.when(clock <= start).then(pl.lit(before)) if expr is None else expr.when(clock <= start).then(
            pl.lit(before))
        expr = step.when(clock < end).then(clock - start + before)
    return expr.otherwise(pl.lit(day_us))


def _clock(spans, r: pl.Expr, end: pl.Expr) -> pl.Expr:
    """``workcalendar._clock``: the time of day at which ``r`` of a day's working time has elapsed."""
    expr = None
    for start, _end, before, after in spans:
        cond = (r < after) | (end & (r == after))
        expr = pl.when(cond).then(r + (start - before)) if expr is None else expr.when(cond).then(
            r + (start - before))
    return expr.otherwise(None)


def _texts(local: pl.Expr, offset: str) -> pl.Expr:
    """``isoformat()`` of local instants (µs since day 1) on whole seconds, in the zone of ``offset``."""
    return (local - _EPOCH_DAY_US).cast(pl.Datetime("us")).dt.strftime("%Y-%m-%dT%H:%M:%S") + pl.lit(offset)


def compute_stored_columns(events: pl.DataFrame, dossiers: pl.DataFrame, *, steps_of: dict,
                           calendar: WorkCalendar, mode: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The stored timing of the dossiers of ``dossiers`` (columns ``grp``, ``definition_id``, ``limit_us``,
    and ``restart``, each dossier's supplement mode, when they differ) from their ``events`` (``grp``,
    ``kind``, ``at_us`` UTC µs, ``step``; in file order per dossier), all timed by ``calendar`` in ``mode``
    (the dossiers without a ``restart`` column), with ``steps_of`` definition id → its ``StepSpec`` list.

    A supplement round (requested, then received next) while step j is under way stops the clock: in
    ``restart`` mode the dossier is due at the last round's receipt + the limit and step j at its own
    last round's receipt + its allowance; in ``pause`` mode both move by the working time waited in
    their rounds (``timing._replay``'s resume). A round open at the end, a round with no step under way,
    or one with anything between its two events is left to the caller.

    Returns ``(stored, keys)``: one row per answered dossier, ``STORED_COLUMNS`` (instants as UTC µs,
    ``steps`` the JSON text ``compute_stored_us`` gives), and its rollup keys, ``KEY_COLUMNS`` (month as a
    date), in ``Stored.keys``' order. A dossier missing from ``stored`` is the caller's to compute."""
    if "restart" not in dossiers.columns:
        dossiers = dossiers.with_columns(restart=pl.lit(mode == SupplementMode.RESTART))
    empty = (pl.DataFrame(schema={"grp": pl.Int64}), pl.DataFrame(schema={"grp": pl.Int64}))
    if not events.height or not dossiers.height:
        return empty
    low, high = events.select(pl.col("at_us").min().alias("low"), pl.col("at_us").max().alias("high")).row(0)
    epoch, zone = dt.datetime(1970, 1, 1, tzinfo=dt.UTC), calendar.zone
    try:  # a table covering the events' years, as the fast path makes it (due instants past it: one by one)
        kit = calendar.positions(*((epoch + dt.timedelta(microseconds=us)).astimezone(zone).year for us in (low, high)))
    except (ValueError, OverflowError):
        return empty
    if not kit.uniform or kit.out_zone is not None or not kit.n or kit.offset_us % 1_000_000:
        return empty
    day, spans, offset = kit.day_us, kit._spans, kit._offset  # noqa: SLF001 (the table's own pieces)
    shift = kit.offset_us + _EPOCH_DAY_US

    # The steps of each definition, as the fast path reads them (``timing._steps_of``).
    rows = []
    for definition_id, steps in steps_of.items():
        if not steps:
            continue
        try:
            _copy, step_us, index, count, prefixes = timing._steps_of(steps)  # noqa: SLF001
        except (ValueError, TypeError, ArithmeticError):
            continue  # hours that are no number: one by one, as the fast path leaves them
        if prefixes is None or len(index) != count:  # texts json writes, or a step number twice
            continue
        for j, s in enumerate(steps):
            rows.append((definition_id, j, s.number, s.unit_id, step_us[j], prefixes[j], count))
    if not rows:
        return empty
    steps_frame = pl.DataFrame(rows, schema={"definition_id": pl.Int64, "j": pl.Int64, "number": pl.Int64,
                                             "unit_id": pl.Int64, "step_us": pl.Int64, "prefix": pl.String,
                                             "count": pl.Int64}, orient="row")
    wk, day_ordinals = pl.Series(kit.wk, dtype=pl.Int64), pl.Series(kit.days, dtype=pl.Int64)
    ranks = pl.DataFrame({"kind": list(_RANKS), "rank": list(_RANKS.values())},
                         schema={"kind": pl.String, "rank": pl.Int64})
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    grp = pl.col("grp")

    # Each dossier's events in the replay's order (an unknown kind, 99, or two events alike at the same
    # instant, already spoil the shape: no further key needed), numbered within the dossier (idx of m).
    ev = (events.select(grp.cast(pl.Int64), pl.col("kind").cast(pl.String), pl.col("at_us").cast(pl.Int64),
                        pl.col("step").cast(pl.Int64))
          .join(ranks, on="kind", how="left", maintain_order="left")
          .with_columns(pl.col("rank").fill_null(99), key=pl.col("at_us") + shift)
          .with_columns(o=pl.col("key") // _DAY, clock=pl.col("key") % _DAY)
          .sort("grp", "key", "rank", "step", maintain_order=True))
    starts, ends = grp.shift(1).ne_missing(grp), grp.shift(-1).ne_missing(grp)
    rank = pl.col("rank")
    supplement = rank.is_in([_R_SUPPLEMENT_REQUESTED, _R_SUPPLEMENT_RECEIVED])
    done, kept = (rank == _R_STEP_DONE).cast(pl.Int64), (~supplement).cast(pl.Int64)
    ev = ev.with_columns(first=pl.when(starts).then(row).forward_fill(),
                         last_row=pl.when(ends).then(row).backward_fill(),
                         dup=~starts & (pl.col("kind") == pl.col("kind").shift(1))
                         & (pl.col("at_us") == pl.col("at_us").shift(1)) & (pl.col("step") == pl.col("step").shift(1)),
                         # A supplement round: requested, the complete dossier received next.
                         paired=(rank == _R_SUPPLEMENT_REQUESTED) & ~ends & (rank.shift(-1) == _R_SUPPLEMENT_RECEIVED)
                         | (rank == _R_SUPPLEMENT_RECEIVED) & ~starts & (rank.shift(1) == _R_SUPPLEMENT_REQUESTED),
                         # Counted in the frame before each event: hand-overs, and other events than supplement ones.
                         done_before=done.cum_sum() - done, kept_before=kept.cum_sum() - kept)
    k = ev.get_column("o") - kit.base
    # Within its dossier: h, the hand-overs before the event (step h is under way), and idx_s, its number
    # among the events but the supplement ones, of m_s (the rest is timed as a dossier without rounds).
    first_of, last_of = pl.col("first"), pl.col("last_row")
    ev = ev.with_columns(idx=row - first_of, m=last_of - first_of + 1,
                         h=pl.col("done_before") - pl.col("done_before").gather(first_of),
                         idx_s=pl.col("kept_before") - pl.col("kept_before").gather(first_of),
                         m_s=pl.col("kept_before").gather(last_of) + kept.gather(last_of)
                         - pl.col("kept_before").gather(first_of),
                         w=pl.when((k >= 0) & (k < kit.n)).then(wk.gather(k.clip(0, kit.n - 1))))
    ev = (ev.join(dossiers.select(grp.cast(pl.Int64), pl.col("definition_id").cast(pl.Int64)),
                  on="grp", how="inner", maintain_order="left")  # (the rows' order is relied on below)
          .join(steps_frame.select("definition_id", "count").unique(), on="definition_id", how="left",
                maintain_order="left"))
    # The step each hand-over must be, in order: item idx_s (≥ 1) is the hand-over of step idx_s - 1.
    ev = ev.join(steps_frame.select("definition_id", pl.col("j").alias("jj"), pl.col("number").alias("expected")),
                 left_on=["definition_id", pl.col("idx_s") - 1], right_on=["definition_id", "jj"], how="left",
                 maintain_order="left")
    ending = pl.col("rank").is_in(list(_ENDING_STATUS))
    last = (pl.col("idx") == pl.col("m") - 1) & (pl.col("idx") >= 1)
    good = (((pl.col("idx") == 0) & (pl.col("rank") == _R_RECEIVED))
            | ((pl.col("idx_s") >= 1) & (pl.col("rank") == _R_STEP_DONE) & (pl.col("step") == pl.col("expected")))
            | (last & ending)
            # A round's two events, after the receipt, while a step is under way.
            | (supplement & pl.col("paired") & (pl.col("idx") >= 1) & (pl.col("h") < pl.col("count"))))
    good = (good & pl.col("w").is_not_null() & (pl.col("clock") % 1_000_000 == 0) & ~pl.col("dup")
            & pl.col("count").is_not_null()).fill_null(False)
    ev = ev.join(ev.filter(~good).select("grp").unique(), on="grp", how="anti", maintain_order="left")
    if not ev.height:
        return empty
    ev = ev.with_columns(position=pl.when(pl.col("w") < 0).then((-pl.col("w") - 1) * day)
                         .otherwise(pl.col("w") * day + _within(spans, day, pl.col("clock"))))
    # The supplement rounds (requested at req_p, received at recv_p: positions), per dossier and per step
    # under way (j): the last one's receipt (restart), the working time waited in all and in the last (pause).
    rounds = (ev.with_columns(recv_p=pl.col("position").shift(-1)).filter(rank == _R_SUPPLEMENT_REQUESTED)
              .select("grp", "h", waited=pl.col("recv_p") - pl.col("position"), recv_p="recv_p"))
    rounds_agg = [pl.col("recv_p").last().alias("last_recv_p"), pl.col("waited").sum().alias("waited"),
                  pl.col("waited").last().alias("last_waited")]
    dossier_rounds = rounds.group_by("grp", maintain_order=True).agg(rounds_agg)
    step_rounds = rounds.group_by("grp", "h", maintain_order=True).agg(rounds_agg).rename({"h": "j"})
    del rounds
    ev = ev.filter(~supplement).with_columns(row=row, idx="idx_s", m="m_s", text=_texts(pl.col("key"), offset))

    def due(p: pl.Expr, end: pl.Expr, name: str) -> list[pl.Expr]:
        i, r = p // day, p % day
        at_end = end & (r == 0)
        return [pl.when(at_end).then(i - 1).otherwise(i).alias(f"{name}_i"),
                pl.when(at_end).then(pl.lit(day)).otherwise(r).alias(f"{name}_r"), end.alias(f"{name}_end")]

    def due_made(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        """The due instant of ``name``_i/_r/_end: its local key, ordinal, text; null ordinal past the table."""
        i = frame.get_column(f"{name}_i")
        inside = (i >= 0) & (i < len(day_ordinals))
        frame = frame.with_columns(pl.when(inside).then(day_ordinals.gather(i.clip(0, len(day_ordinals) - 1)))
                                   .alias(f"{name}_o"))
        clock = _clock(spans, pl.col(f"{name}_r"), pl.col(f"{name}_end"))
        frame = frame.with_columns(clock.alias(f"{name}_clock"))
        key = pl.col(f"{name}_o") * _DAY + pl.col(f"{name}_clock")
        return frame.with_columns(key.alias(f"{name}_key")).with_columns(
            _texts(pl.col(f"{name}_key"), offset).alias(f"{name}_text"))

    def resumed(start: pl.Expr, allowance: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        """The position and end flag of a due instant ``allowance`` after ``start``, moved by the rounds
        (``last_recv_p``, ``waited``, ``last_waited``; null without) as ``timing._replay`` resumes."""
        recv, restart = pl.col("last_recv_p"), pl.col("restart")
        p = (pl.when(recv.is_null()).then(start + allowance).when(restart).then(recv + allowance)
             .otherwise(start + allowance + pl.col("waited")))
        return p, pl.when(recv.is_null() | restart).then(allowance > 0).otherwise(pl.col("last_waited") > 0)

    firsts = ev.filter(pl.col("idx") == 0).select("grp", "m", "count", "definition_id", r_row="row",
                                                  r_key="key", r_p="position", r_us="at_us")
    ends = ev.filter(last & ending).select("grp", e_rank="rank", e_key="key", e_o="o", e_us="at_us")
    d = (firsts.join(dossiers.select(pl.col("grp").cast(pl.Int64), pl.col("limit_us").cast(pl.Int64), "restart"),
                     on="grp")
         .join(ends, on="grp", how="left").join(dossier_rounds, on="grp", how="left")
         .with_columns(k=pl.col("m") - 1 - pl.col("e_rank").is_not_null().cast(pl.Int64)))
    d = due_made(d.with_columns(due(*resumed(pl.col("r_p"), pl.col("limit_us")), "dd")), "dd")
    returned = pl.col("e_rank") == _R_RETURNED
    d = d.with_columns(
        result=pl.when(returned).then(_classify(pl.col("e_key"), pl.col("e_o"), pl.col("dd_key"), pl.col("dd_o")))
        .otherwise(pl.lit("")),
        # The last step, open when the dossier is returned, is handed over with the result.
        last_by_return=(returned & (pl.col("k") == pl.col("count") - 1)).fill_null(False))

    # One row per dossier and step: started at item j (the receipt for the first), finished at item j + 1.
    s = (d.select("grp", "definition_id", "k", "m", "count", "last_by_return", "r_row", "restart")
         .join(steps_frame, on="definition_id")
         .join(step_rounds, on=["grp", "j"], how="left")
         .with_columns(start_idx=pl.when(pl.col("j") <= pl.col("k")).then(pl.col("j")),
                       fin_idx=pl.when(pl.col("j") < pl.col("k")).then(pl.col("j") + 1)
                       .when(pl.col("last_by_return") & (pl.col("j") == pl.col("count") - 1))
                       .then(pl.col("m") - 1)))
    starts_at, finishes_at = s.get_column("r_row") + s.get_column("start_idx"), s.get_column("r_row") + s.get_column(
        "fin_idx")
    s = s.with_columns(*(ev.get_column(c).gather(starts_at).alias(f"s_{a}") for c, a in (
                           ("key", "key"), ("o", "o"), ("position", "p"), ("text", "text"))),
                       *(ev.get_column(c).gather(finishes_at).alias(f"f_{a}") for c, a in (
                           ("key", "key"), ("o", "o"), ("text", "text"))))
    del ev, starts_at, finishes_at  # (memory: what follows reads the dossiers and their steps only)
    s = due_made(s.with_columns(due(*resumed(pl.col("s_p"), pl.col("step_us")), "sd")), "sd")
    s = s.with_columns(
        step_result=pl.when(pl.col("f_key").is_not_null())
        .then(_classify(pl.col("f_key"), pl.col("f_o"), pl.col("sd_key"), pl.col("sd_o"))).otherwise(pl.lit("")))
    # A due instant past the table, or not on a whole second: the caller's (the fast path grows the table).
    bad = pl.concat([
        d.filter(pl.col("dd_o").is_null() | pl.col("dd_clock").is_null() | (pl.col("dd_clock") % 1_000_000 != 0)
                 | (pl.col("dd_i") < 0)).select("grp"),
        s.filter(pl.col("s_p").is_not_null() & (pl.col("sd_o").is_null() | pl.col("sd_clock").is_null()
                                                 | (pl.col("sd_clock") % 1_000_000 != 0) | (pl.col("sd_i") < 0)))
        .select("grp")]).unique()
    d = d.join(bad, on="grp", how="anti").select("grp", "k", "count", "e_rank", "e_o", "e_us", "r_us", "dd_key",
                                                  "result")
    s = s.join(bad, on="grp", how="anti").sort("grp", "j").select(
        "grp", "j", "k", "count", "number", "unit_id", "prefix", "s_p", "s_text", "sd_text", "f_key", "f_o", "f_text",
        "step_result")

    def quoted(text: str) -> pl.Expr:
        return (pl.lit('"') + pl.col(text) + pl.lit('"')).fill_null(pl.lit("null"))

    result_json = pl.col("step_result").replace_strict(
        {r: timing._RESULT_JSON[r] for r in ("", *Result.values)}, return_dtype=pl.String)  # noqa: SLF001
    parts = s.select("grp", part=pl.col("prefix") + quoted("s_text") + pl.lit(', "due_at": ')
                     + pl.when(pl.col("s_p").is_not_null()).then(quoted("sd_text")).otherwise(pl.lit("null"))
                     + pl.lit(', "finished_at": ') + quoted("f_text") + pl.lit(', "result": ') + result_json
                     + pl.lit("}"))
    # A dossier's steps are rows j = 0 … count - 1 one after the other: its text is the parts gathered
    # side by side from its first row (no group-by of the texts), the missing ones null and skipped.
    part = parts.get_column("part")
    heads = s.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "grp", "j", "count").filter(
        pl.col("j") == 0)
    first_rows, last = heads.get_column("row"), max(part.len() - 1, 0)
    pieces = [pl.when(pl.col("count") > j).then(pl.lit(part.gather((first_rows + j).clip(0, last))))
              for j in range(heads.get_column("count").max() or 0)]
    texts = heads.select("grp", steps=pl.lit("[") + pl.concat_str(pieces, separator=", ", ignore_nulls=True)
                         + pl.lit("]")) if pieces else heads.select("grp", steps=pl.lit("", dtype=pl.String))
    del part, heads, first_rows, pieces
    current = (s.filter((pl.col("j") == pl.col("k")) & pl.col("j").is_not_null())
               .select("grp", current_step="number", current_unit_id="unit_id"))
    status = (pl.when(pl.col("e_rank").is_not_null())
              .then(pl.col("e_rank").replace_strict(_ENDING_STATUS, default=None, return_dtype=pl.String))
              .when(pl.col("k") < pl.col("count")).then(pl.lit(str(timing._IN_PROGRESS)))  # noqa: SLF001
              .otherwise(pl.lit(str(timing._PROCESSED))))  # noqa: SLF001
    stored = (d.join(texts, on="grp").join(current, on="grp", how="left")
              .with_columns(status=status,
                            current_step=pl.when(pl.col("e_rank").is_null()).then(pl.col("current_step")),
                            current_unit_id=pl.when(pl.col("e_rank").is_null()).then(pl.col("current_unit_id")),
                            due_us=pl.col("dd_key") - shift, finished_us=pl.col("e_us"), received_us=pl.col("r_us"))
              .select(STORED_COLUMNS).sort("grp"))

    def month(o: str) -> pl.Expr:
        return (pl.col(o) * _DAY - _EPOCH_DAY_US).cast(pl.Datetime("us")).dt.date().dt.month_start().alias("month")

    keys = pl.concat([
        d.filter(pl.col("result") != "").select("grp", month("e_o"), step=pl.lit(0, dtype=pl.Int64),
                                                unit_id=pl.lit(None, dtype=pl.Int64), result="result",
                                                order=pl.lit(-1, dtype=pl.Int64)),
        s.filter(pl.col("f_key").is_not_null()).select("grp", month("f_o"), step="number", unit_id="unit_id",
                                                       result="step_result", order="j"),
    ]).sort("grp", "order").select(KEY_COLUMNS)
    return stored, keys
