"""Recording dossier events from one-stop systems: validate everything, then write, then retime.

Every way events come in (``eiso import dossiers``, the upload page, ``POST
/api/v1/dossiers/events``) goes through ``dossier_events_record``, in three phases, one module each
(``rows`` holds what they read, ``EventRow``):

1. ``validation.EventValidator``: each row is checked as it streams past, keeping only a few
   numbers per dossier; ``finish()`` then checks what needs the whole input and the database. Any
   error refuses the whole input, naming each bad row: nothing is written.
2. Small inputs (an API call): ``writing.EventWriter.write(rows)`` (inside one transaction) creates
   the dossiers first seen, stores the events not stored yet (the same event twice is one row), and
   remembers which dossiers changed; ``retiming.dossiers_retime(ids)`` recomputes each changed
   dossier from all its events with the pure ``timing.compute`` and adjusts the rollups by the
   difference, so events may arrive in any order and in several files.
3. Large inputs (a file): ``staging.StagedImport`` copies the rows into temporary tables as they are
   checked, computes the same timings and differences from them without writing anything shared,
   and writes it all in one short final transaction: writers beside a long import wait a moment,
   they do not fail on SQLite's write lock.
4. Large CSV files (``dossier_events_record_csv``, from ``importing.record_file``) are read and
   checked in columns, block by block (``columnar``, polars), and staged the same way; anything
   not plainly good hands the file to the row-by-row path above, which names every bad row.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core import priority
from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.tabular import RowErrors
from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording.keys import (
    LocksBusy,
    foreign_keys_recover,
    foreign_keys_release,
    foreign_keys_restore,
)
from eiso.dossiers.services.recording.retiming import dossiers_retime
from eiso.dossiers.services.recording.rows import CHUNK, EventRow, RecordSummary
from eiso.dossiers.services.recording.staging import STAGE_FROM_ROWS, StagedImport, statistics_refresh
from eiso.dossiers.services.recording.validation import EventValidator, allowed_agencies
from eiso.dossiers.services.recording.writing import EventWriter
from eiso.organizations.models import Agency

__all__ = ["EventRow", "RecordSummary", "allowed_agencies", "dossier_events_record", "dossier_events_record_csv",
           "dossiers_retime"]


_frozen = [0, False]  # imports running in this process; whether the first one froze the objects
_frozen_lock = threading.Lock()


def _older_objects_frozen(engine):
    """Run ``engine`` with the objects that existed before it out of the garbage collector's way
    (``gc.freeze``; ``gc.unfreeze`` once the last running import ends): a full collection during an
    import then walks the import's own objects, not the ~100,000 of Django and the apps (one such
    walk was a tenth of a nightly increment's 10,000 events). Nothing is kept from collection
    longer than the import; a process that froze its objects itself (a server after start-up) is
    left as it is."""

    @functools.wraps(engine)
    def run(*args, **kwargs):
        with _frozen_lock:
            if not _frozen[0]:
                _frozen[1] = not gc.get_freeze_count()
                if _frozen[1]:
                    gc.freeze()
            _frozen[0] += 1
        try:
            return engine(*args, **kwargs)
        finally:
            with _frozen_lock:
                _frozen[0] -= 1
                if not _frozen[0] and _frozen[1]:
                    gc.unfreeze()
                    _frozen[1] = False

    return run


@_older_objects_frozen
def dossier_events_record(*, actor, rows: Iterable[EventRow], source: str, agency: Agency | None = None,
                          progress: Callable[[str, int, int], None] | None = None,
                          total: int | None = None, rows_again: Callable[[], Iterable[EventRow]] | None = None,
                          errors: RowErrors | None = None) -> RecordSummary:
    """Validate every row, then record them all or nothing.

    ``rows`` is read once. A small input (fewer than ``STAGE_FROM_ROWS`` rows: an API call) is kept
    and written in one transaction; a larger one is staged as it is read and written in one short
    switch (``staging``), so that other writers wait a moment, not the whole import, and a file is
    never held in memory. ``rows_again`` is accepted for callers of the former two-pass engine and
    no longer read.
    ``progress(phase, done, total)`` is called as work goes on (phases: validate, write, retime).
    ``errors``: where the reader of ``rows`` names what it could not make a row of (a line that is
    not JSON), beside the engine's own; any of them refuses the whole input.
    """
    foreign_keys_recover(Dossier)  # (PostgreSQL: left missing by an import that died in its switch)
    validator = EventValidator(actor, agency=agency, errors=errors)
    kept: list[EventRow] = []
    staged: StagedImport | None = None

    def check_and_stage() -> None:  # the long part, at the background priority (core.priority)
        nonlocal kept, staged
        good = True
        for r in rows:
            ok = validator.check(r)
            good = ok and good
            if staged is not None:
                if good:  # once a row is refused nothing will be written: only the check goes on
                    staged.add(r)
            elif not good:
                kept = []  # nothing will be written
            else:
                kept.append(r)
                if len(kept) >= STAGE_FROM_ROWS:
                    staged = StagedImport(validator, source=source)
                    for k in kept:
                        staged.add(k)
                    kept = []
            if progress and validator.rows % 10000 == 0:
                progress("validate", validator.rows, total or 0)
        validator.finish()
        if not good:  # defensive: check() recorded every bad row, so finish() has raised
            raise validator.refusal()

    try:
        priority.lowered(check_and_stage)
        if staged is not None:
            return _record_staged(staged, actor=actor, source=source, progress=progress)
    finally:
        if staged is not None:
            staged.drop()
    total_rows = validator.rows
    writer = EventWriter(validator, source=source)
    with transaction.atomic():
        _lock_agencies(validator)
        batch = []
        for r in kept:
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
        _audit_import(actor, validator, writer.summary, source)
    return writer.summary


@_older_objects_frozen
def dossier_events_record_csv(*, actor, stream, aliases, required, source: str, agency: Agency | None = None,
                              progress: Callable[[str, int, int], None] | None = None,
                              total: int | None = None) -> RecordSummary:
    """A large CSV file read and checked in columns (``columnar``), then staged and written as
    ``dossier_events_record`` does. Raises ``columnar.Fallback`` before anything is written when
    the file is small or anything in it is not plainly good: the caller then reads it row by row,
    which names every bad row with the usual messages."""
    from eiso.core.errors import ValidationFailed
    from eiso.dossiers.services.recording.columnar import Fallback, checked_events

    foreign_keys_recover(Dossier)  # (PostgreSQL: left missing by an import that died in its switch)
    validator = EventValidator(actor, agency=agency)
    staged = StagedImport(validator, source=source)
    try:
        def check_and_stage() -> None:  # the long part, at the background priority (core.priority)
            checked_events(stream, validator, aliases, required, sink=staged.add_frame)  # block by block
            if validator.rows < STAGE_FROM_ROWS:
                raise Fallback("small input")
            if progress:  # every row is checked: reported as the row engine reports it, every 10,000 rows
                for done in range(10000, validator.rows + 1, 10000):
                    progress("validate", done, total or 0)
            try:
                validator.finish()
            except ValidationFailed as exc:
                raise Fallback("refused") from exc
            staged.frames_done()

        priority.lowered(check_and_stage)
        return _record_staged(staged, actor=actor, source=source, progress=progress)
    finally:
        staged.drop()


def _lock_agencies(validator: EventValidator) -> None:
    """One import per agency at a time: they would create the same dossiers and rollup rows.
    FOR NO KEY UPDATE: two imports of an agency still wait for each other, but the inserts that only
    point at the agency (audit events, comments…) take a key-share lock, which it does not block."""
    list(Agency.objects.select_for_update(no_key=True).filter(
        pk__in={e[0] for e in validator.dossiers.values() if e[0]}).order_by("pk").values_list("pk"))


def _audit_import(actor, validator: EventValidator, summary: RecordSummary, source: str) -> None:
    if summary.events_created:
        for a in Agency.objects.filter(pk__in={e[0] for e in validator.dossiers.values() if e[0]}):
            data_changed_announce(sender="dossiers", agency_id=a.pk, topic="dossiers")
            audit_record(actor=actor, action="import", obj=a, agency=a,
                         note=_("Dossier events imported from %(source)s: %(events)s new events, "
                                "%(dossiers)s dossiers created.") % {
                             "source": source or "?", "events": summary.events_created,
                             "dossiers": summary.dossiers_created})


def _switch(staged: StagedImport, *, actor, source: str) -> RecordSummary:
    """The switch's transaction. With the dossier table's foreign keys dropped (``unkey``), a switch that
    fails adds them back (its rows are gone: at once) before its error goes on; either way they are
    ``staged``'s no more."""
    try:
        with transaction.atomic():
            summary = staged.switch(lambda: _lock_agencies(staged.validator))
            _audit_import(actor, staged.validator, summary, source)
    except BaseException:
        if staged.keys:
            foreign_keys_restore(Dossier._meta.db_table, staged.keys)
        raise
    finally:
        if staged.keys:
            foreign_keys_release()
            staged.keys = []
    return summary


def _record_staged(staged: StagedImport, *, actor, source: str,
                   progress: Callable[[str, int, int], None] | None) -> RecordSummary:
    """A large input: staged and computed outside any transaction of the shared tables (at the
    background priority, ``core.priority``), then written in one short switch (``staging``), at the
    caller's own: other writers wait for it, so it must not wait for the CPU behind them."""
    priority.lowered(staged.compute, progress=(lambda d, t: progress("write", d, t)) if progress else None)
    if progress:  # the last phase: the switch (dossiers touched, as the direct path reports its retiming)
        progress("retime", 0, len(staged.validator.dossiers))
    staged.unkey()  # PostgreSQL, a first large import: the dossier table's foreign keys dropped (``keys``)
    try:
        summary = _switch(staged, actor=actor, source=source)
    except LocksBusy:  # its locks not had together in time, nothing written, the keys back: rows checked one by one
        summary = _switch(staged, actor=actor, source=source)
    statistics_refresh(summary)
    if progress:
        progress("retime", summary.dossiers_touched, summary.dossiers_touched)
    return summary
