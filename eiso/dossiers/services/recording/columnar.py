"""CSV files read and checked in columns: the fast path of a large import.

A one-stop export of a million dossiers is six million rows; reading, converting and checking them
one Python object at a time was most of an import's time. Here the file is parsed by polars' CSV
reader (Rust, multi-threaded) into columns, each value is normalised the way ``rows`` reads it
(times, event and channel names, step numbers, stripped text) with column expressions, and every
check of ``EventValidator.check`` is made on whole columns. The few numbers per dossier the
validator keeps are built by one group-by, and ``EventValidator.finish`` then runs as usual.

This path only ever *accepts* a file. As soon as anything is not plainly right (a bad value, an
unknown agency, a row another check would name, a layout this reader does not handle the way the
row reader does), it gives up with ``Fallback`` before anything is written, and the caller reads
the file again with the row-by-row engine, which refuses it naming every bad row with the usual
messages: a refused file gets exactly the messages it always got.

polars (a PyPI wheel for Linux x86_64 and Python 3.13, no system library) is the dependency: its CSV
reader is a C-speed, columnar parser, and its expressions do the conversions and group-bys without
a Python object per row.
"""

from __future__ import annotations

import csv

import polars as pl
from django.conf import settings

from eiso.core import tabular
from eiso.dossiers.choices import Channel, EventKind
from eiso.dossiers.services.recording.rows import Fallback, channel_code, event_kind, parse_at
from eiso.dossiers.services.recording.validation import EventValidator

EVENT_KINDS = frozenset(EventKind.values)
CHANNELS = frozenset(Channel.values)
_ISO = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$"  # the usual layout, with or without seconds
_EPOCH_US = "at_us"


BLOCK_BYTES = 4 * 1024 * 1024  # the file is read in blocks of about this size (~65,000 events): peak memory
_ROW = 2  # the row number kept for a dossier's checks (any refusal sends the file to the row reader, which
# names the rows itself): one shared int instead of three per dossier (28 bytes each, at 1,000,000 dossiers)


def _header(stream, aliases, required) -> tuple[str, int, dict[int, str]]:
    """The separator (as the row reader chooses it), the number of cells of the header and its
    mapping position → column; the stream is left at the first data line."""
    stream.seek(0)
    first = stream.readline()
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Fallback("not UTF-8") from exc
    if '"' in line or not line.strip():
        raise Fallback("header")  # (quoted or blank headings: the row reader)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    separator = max(counts, key=counts.get) if any(counts.values()) else ","
    cells = next(csv.reader([line], delimiter=separator))
    mapping = tabular._header_map(cells, aliases)  # noqa: SLF001 (the same mapping as the row reader)
    if any(c not in mapping.values() for c in required):
        raise Fallback("missing column")
    return separator, len(cells), mapping


def _blocks(stream, size: int):
    """The rest of the file in blocks of whole records: each cut at a line end outside quotes."""
    carry = b""
    while True:
        data = stream.read(size)
        if not data:
            if carry.strip():
                yield carry
            return
        buffer = carry + data
        cut = buffer.rfind(b"\n")
        quoted = b'"' in buffer  # (most files quote nothing: no count of the whole block, 0.13 s at 378 MB)
        while quoted and cut >= 0 and buffer.count(b'"', 0, cut) % 2:  # inside a quoted cell: an earlier line end
            cut = buffer.rfind(b"\n", 0, cut)
        if cut < 0:
            carry = buffer
            continue
        yield buffer[:cut + 1]
        carry = buffer[cut + 1:]


def read_blocks(stream, aliases, required, size: int | None = None):
    """The file's rows as text columns named by ``aliases`` (the header mapped as ``tabular`` maps
    it), blank rows dropped, one frame per block; Fallback when polars cannot read a block as the
    row reader would."""
    separator, width, mapping = _header(stream, aliases, required)
    schema = {f"c{i}": pl.String for i in range(width)}
    names = list(schema)
    blank = pl.concat_str([pl.col(c).fill_null("") for c in names]).str.strip_chars() == ""
    first = pl.col(names[0]).fill_null("").str.strip_chars() == ""  # (a row with a first cell is not blank)
    for block in _blocks(stream, size or BLOCK_BYTES):
        try:
            frame = pl.read_csv(block, has_header=False, schema=schema, separator=separator, quote_char='"',
                                encoding="utf8")
        except (pl.exceptions.PolarsError, OSError) as exc:  # what polars refuses, the row reader names
            raise Fallback(str(exc)) from exc
        if frame.select(first.any()).item():
            frame = frame.filter(~blank)
        yield frame.select([pl.col(names[pos]).alias(column) for pos, column in mapping.items()])


def _text(name: str) -> pl.Expr:
    return pl.col(name).fill_null("").str.strip_chars()


def _mapped(frame: pl.DataFrame, column: str, function) -> pl.Series:
    """A column through ``function`` applied once per distinct value (event and channel names)."""
    if column not in frame.columns:
        return pl.Series(column, [str(function(""))] * frame.height, dtype=pl.String)
    values = frame.get_column(column)
    table = {value: str(function(value)) for value in values.unique().to_list()}  # (a choice: its value)
    keys = list(table)
    return values.replace_strict(keys, [table[k] for k in keys], return_dtype=pl.String)


def _times(frame: pl.DataFrame) -> pl.Series:
    """UTC microseconds since the epoch of the ``at`` column, read as ``rows.parse_at`` reads it:
    the usual ``YYYY-MM-DD HH:MM[:SS]`` (local) in columns, anything else value by value."""
    zone = settings.TIME_ZONE
    text = frame.get_column("at").fill_null("").str.strip_chars()
    usual = text.str.contains(_ISO)
    local = text.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False)
    seconds = usual & (text.str.len_bytes() == 19)
    if seconds.any():  # (parsed only when some have them: a file's times are mostly of one layout)
        local = pl.select(pl.when(seconds).then(text.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S",
                                                                  strict=False)).otherwise(local)).to_series()
    local = pl.select(pl.when(usual).then(local)).to_series()
    utc = local.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    micros = utc.dt.epoch("us")
    odd = micros.is_null() & frame.get_column("at").is_not_null()
    if odd.any():  # another layout (dd/mm/yyyy, an offset): the row reader's own parser, value by value
        from eiso.dossiers.timing import instant_us

        def one(value):
            at = parse_at(value)
            return None if at is None else instant_us(at)

        parsed = frame.get_column("at").filter(odd).map_elements(one, return_dtype=pl.Int64, skip_nulls=True)
        micros = micros.scatter(odd.arg_true(), parsed)
    return micros


def _steps(frame: pl.DataFrame) -> pl.Series:
    """``rows.step_number`` on a column: 0 when blank, the number (a trailing .0 allowed), else null;
    worked out once per distinct value (a file holds a handful), then mapped onto the column."""
    if "step" not in frame.columns:
        return pl.Series("step", [0] * frame.height, dtype=pl.Int64)
    values = frame.get_column("step").fill_null("")
    distinct = values.unique()
    text = distinct.str.strip_chars()
    numbers = pl.select(
        pl.when(text == "").then(pl.lit(0, dtype=pl.Int64))
        .when(text.str.contains(r"^[0-9]{1,9}(\.0)?$"))
        .then(text.str.strip_suffix(".0").cast(pl.Int64, strict=False))
        .otherwise(None)).to_series()
    return values.replace_strict(distinct, numbers, return_dtype=pl.Int64)


def checked_events(stream, validator: EventValidator, aliases, required, sink=None) -> pl.DataFrame | None:
    """The file's events in columns (grp, seq, kind, at_us, step, note, actor, channel, applicant),
    block by block to ``sink`` (or all of them returned), every row checked as ``validator.check``
    checks it and ``validator.dossiers`` filled as it fills it; Fallback when any row is not plainly
    good (the row engine then names it)."""
    kept = []
    seq = 0
    for frame in read_blocks(stream, aliases, required):
        events = _checked_block(frame, validator, seq)
        seq += frame.height
        del frame
        if sink is None:
            kept.append(events)
        else:
            sink(events)
    validator.rows = seq
    if sink is None:
        return pl.concat(kept) if kept else None
    return None


def _checked_block(frame: pl.DataFrame, validator: EventValidator, offset: int) -> pl.DataFrame:
    """One block checked, its dossiers merged into ``validator.dossiers`` (numbered in the order the
    file first names them); its events with their dossier's number (grp) and file order (seq)."""
    n = frame.height
    columns = set(frame.columns)

    def text(name):
        return _text(name) if name in columns else pl.lit("")

    events = frame.select(
        pl.int_range(offset, offset + n, dtype=pl.Int64).alias("seq"),
        text("dossier_code").alias("code"),
        text("agency_code").alias("agency_code"),
        text("procedure_code").alias("procedure_code"),
        text("note").str.slice(0, 500).alias("note"),
        text("actor").str.slice(0, 200).alias("actor"),
        text("applicant").str.slice(0, 200).alias("applicant"),
    ).with_columns(
        _mapped(frame, "event", event_kind).alias("kind"),
        _mapped(frame, "channel", channel_code).alias("channel"),
        _times(frame).alias(_EPOCH_US),
        _steps(frame).alias("step"),
    )
    received = pl.col("kind") == EventKind.RECEIVED
    step_done = pl.col("kind") == EventKind.STEP_DONE
    bad = events.select(
        ((pl.col("code") == "") | (pl.col("code").str.len_chars() > 60)
         | ~pl.col("kind").is_in(sorted(EVENT_KINDS))
         | pl.col(_EPOCH_US).is_null()
         | (step_done & (pl.col("step").is_null() | (pl.col("step") < 1)))
         | ((pl.col("channel") != "") & ~pl.col("channel").is_in(sorted(CHANNELS)))
         | (received & ((pl.col("agency_code") == "") | (pl.col("procedure_code") == "")))).any()).item()
    if bad:
        raise Fallback("a row is refused")
    # Agencies and procedures: looked up once per distinct code, as the validator caches them; each
    # (agency, procedure) of a receipt numbered, its ids kept once (the validator's own objects).
    agency_ids = {}
    for code in events.filter(pl.col("agency_code") != "").get_column("agency_code").unique().to_list():
        agency = validator.agency(code)
        if agency is None:
            raise Fallback("unknown agency")
        agency_ids[code] = agency.pk
    pairs, pair_codes = [], []
    for agency_code, procedure_code in events.filter(received).select("agency_code", "procedure_code").unique(
            ).iter_rows():
        procedure_id = validator.procedure(agency_ids[agency_code], procedure_code)
        if procedure_id is None:
            raise Fallback("unknown procedure")
        pairs.append((agency_ids[agency_code], procedure_id))
        pair_codes.append((agency_code, procedure_code))
    procedures = pl.DataFrame(pair_codes, schema={"agency_code": pl.String, "procedure_code": pl.String},
                              orient="row").with_row_index("pair")
    events = events.with_columns(pl.when(step_done).then(pl.col("step")).otherwise(0).alias("step"))
    # Per dossier of the block, in the order the file first names it: its receipts' (agency, procedure)
    # (how many different), earliest receipt, earliest other event, highest step; integers only.
    receipts = (events.filter(received).join(procedures, on=["agency_code", "procedure_code"], how="left")
                .group_by("code").agg(pl.col("pair").n_unique().alias("pairs"), pl.col("pair").first(),
                                      pl.col(_EPOCH_US).min().alias("received_us")))
    if receipts.height and receipts.get_column("pairs").max() > 1:
        raise Fallback("a dossier received twice differently")
    dossiers = (events.with_row_index("row").group_by("code", maintain_order=True).agg(
        pl.col("row"),  # (where its events are: their grp is set from them, no join on the code)
        pl.col(_EPOCH_US).filter(~received).min().alias("other_us"),
        pl.col("step").filter(step_done).max().alias("max_step"))
        .join(receipts.select("code", "pair", "received_us"), on="code", how="left", maintain_order="left"))
    # Merged into ``validator.dossiers`` as ``check`` keeps them (numbered on from the earlier blocks'):
    # the earliest receipt and other event (as UTC µs: ``times_us``), the highest step, a row number
    # (``_ROW``: any fault sends the file to the row reader, which names the rows itself). A dossier
    # first named here (most are) gets its entry whole.
    validator.times_us = True
    entries = validator.dossiers
    get, count, grps = entries.get, len(entries), []
    add = grps.append
    for code, other, max_step, pair, received_at in zip(
            *(dossiers.get_column(c).to_list() for c in ("code", "other_us", "max_step", "pair", "received_us")),
            strict=True):
        entry = get(code)
        if entry is None:
            agency_id, procedure_id = (None, None) if pair is None else pairs[pair]
            entries[code] = [agency_id, procedure_id, received_at, None if received_at is None else _ROW,
                             other, None if other is None else _ROW, max_step or 0, _ROW if max_step else None,
                             None, False, count]
            add(count)
            count += 1
            continue
        add(entry[10])
        if pair is not None:
            agency_id, procedure_id = pairs[pair]
            if entry[0] is not None and (entry[0] != agency_id or entry[1] != procedure_id):
                raise Fallback("a dossier received twice differently")
            entry[0], entry[1] = agency_id, procedure_id
            if entry[2] is None or received_at < entry[2]:
                entry[2], entry[3] = received_at, _ROW
        if other is not None and (entry[4] is None or other < entry[4]):
            entry[4], entry[5] = other, _ROW
        if max_step and max_step > entry[6]:
            entry[6], entry[7] = max_step, _ROW
    rows = dossiers.get_column("row")
    grp = pl.zeros(n, dtype=pl.Int64, eager=True).scatter(
        rows.explode(), pl.select(pl.Series(grps, dtype=pl.Int64).repeat_by(rows.list.len()).explode()).to_series())
    return events.select(grp.alias("grp"), (pl.col("seq") + 1).alias("seq"), "kind", _EPOCH_US, "step", "note",
                         "actor", "channel", "applicant")


def stored_times(micros: pl.Expr, postgres: bool) -> pl.Expr:
    """UTC microseconds as the staging table stores them: naive UTC text on SQLite (Django's format,
    ``str(datetime)``), an ISO instant with its offset for PostgreSQL's COPY (written by the format
    itself, not appended to each text)."""
    at = pl.from_epoch(micros, "us")
    offset = "+00:00" if postgres else ""
    whole = at.dt.strftime("%Y-%m-%d %H:%M:%S" + offset)
    return pl.when(micros % 1_000_000 == 0).then(whole).otherwise(at.dt.strftime("%Y-%m-%d %H:%M:%S%.6f" + offset))
