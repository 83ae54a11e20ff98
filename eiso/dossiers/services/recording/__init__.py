"""Recording dossier events from one-stop systems: validate everything, then write, then retime.

Every way events come in (``eiso import dossiers``, the upload page, ``POST
/api/v1/dossiers/events``) goes through ``dossier_events_record``, in three phases, one module each
(``rows`` holds what they read, ``EventRow``):

1. ``validation.EventValidator``: each row is checked as it streams past, keeping only a few
   numbers per dossier; ``finish()`` then checks what needs the whole input and the database. Any
   error refuses the whole input, naming each bad row: nothing is written.
2. ``writing.EventWriter.write(rows)`` (chunk by chunk, inside one transaction): creates the dossiers
   first seen, stores the events not stored yet (the same event twice is one row), and remembers
   which dossiers changed.
3. ``retiming.dossiers_retime(ids)``: recomputes each changed dossier from all its events with the
   pure ``timing.compute`` and adjusts the rollups by the difference, so events may arrive in any
   order and in several files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.tabular import RowErrors
from eiso.dossiers.services.recording.retiming import dossiers_retime
from eiso.dossiers.services.recording.rows import CHUNK, EventRow, RecordSummary
from eiso.dossiers.services.recording.validation import EventValidator, allowed_agencies
from eiso.dossiers.services.recording.writing import EventWriter
from eiso.organizations.models import Agency

__all__ = ["EventRow", "RecordSummary", "allowed_agencies", "dossier_events_record", "dossiers_retime"]


def dossier_events_record(*, actor, rows: Iterable[EventRow], source: str, agency: Agency | None = None,
                          progress: Callable[[str, int, int], None] | None = None,
                          total: int | None = None, rows_again: Callable[[], Iterable[EventRow]] | None = None,
                          errors: RowErrors | None = None) -> RecordSummary:
    """Validate every row, then record them all or nothing.

    ``rows`` is read once to validate; ``rows_again`` (when given) streams the same rows a second
    time to write them, so a file is never held in memory; without it the rows are kept.
    ``progress(phase, done, total)`` is called as work goes on (phases: validate, write, retime).
    ``errors``: where the reader of ``rows`` names what it could not make a row of (a line that is
    not JSON), beside the engine's own; any of them refuses the whole input.
    """
    validator = EventValidator(actor, agency=agency, errors=errors)
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
        raise validator.refusal()
    total_rows = validator.rows
    writer = EventWriter(validator, source=source)
    with transaction.atomic():
        # One import per agency at a time: they would create the same dossiers and rollup rows.
        # FOR NO KEY UPDATE: two imports of an agency still wait for each other, but the inserts that only
        # point at the agency (audit events, comments…) take a key-share lock, which it does not block.
        list(Agency.objects.select_for_update(no_key=True).filter(
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
                data_changed_announce(sender="dossiers", agency_id=a.pk, topic="dossiers")
                audit_record(actor=actor, action="import", obj=a, agency=a,
                             note=_("Dossier events imported from %(source)s: %(events)s new events, "
                                    "%(dossiers)s dossiers created.") % {
                                 "source": source or "?", "events": writer.summary.events_created,
                                 "dossiers": writer.summary.dossiers_created})
    return writer.summary
