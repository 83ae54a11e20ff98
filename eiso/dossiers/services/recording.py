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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import ValidationFailed
from eiso.dossiers import timing as timing_module
from eiso.dossiers.choices import Channel, EventKind, SupplementMode
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup, DossierSettings
from eiso.organizations.models import Agency
from eiso.organizations.selectors import work_calendars_for
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep

CHUNK = 2000
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
    candidates = Agency.objects.all() if actor.is_superuser else Agency.objects.filter(
        province_id=getattr(actor.agency, "province_id", None))
    return {a.code: a for a in candidates if actor.has_perm("dossiers.import_dossiers", a)}


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
        # code → [agency id, procedure id, received at, receipt row, earliest other at, its row, max step, its row]
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
            entry = self.dossiers[r.code] = [None, None, None, None, None, None, 0, None]
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
    """Writes validated rows chunk by chunk; call inside one transaction."""

    def __init__(self, validator: EventValidator, *, source: str = ""):
        self.validator = validator
        self.source = source[:200]
        self.ids: dict[str, int] = {}  # code → dossier id, for the codes seen so far
        self.touched: set[int] = set()
        self.summary = RecordSummary()
        self._definitions: dict[int, tuple[int | None, int | None]] = {}  # procedure → (definition, doc)

    def _definition_of(self, procedure_id: int) -> int | None:
        if procedure_id not in self._definitions:
            document_id = AdminProcedure.objects.filter(pk=procedure_id).values_list(
                "process_document_id", flat=True).first()
            current = current_definitions([document_id]) if document_id else {}
            self._definitions[procedure_id] = current[document_id][0] if document_id in current else None
        return self._definitions[procedure_id]

    def write(self, rows: list[EventRow]) -> None:
        v = self.validator
        codes = {r.code for r in rows} - self.ids.keys()
        if codes:
            by_agency = defaultdict(list)
            for code in codes:
                by_agency[v.dossiers[code][0]].append(code)
            for agency_id, agency_codes in by_agency.items():
                for code, pk in Dossier.objects.filter(agency_id=agency_id, code__in=agency_codes).values_list(
                        "code", "pk"):
                    self.ids[code] = pk
            first_rows = {}
            for r in rows:
                if r.code not in self.ids and (r.code not in first_rows or r.kind == EventKind.RECEIVED):
                    first_rows[r.code] = r
            new = []
            for code, r in first_rows.items():
                agency_id, procedure_id, received_at = v.dossiers[code][:3]
                new.append(Dossier(agency_id=agency_id, code=code, admin_procedure_id=procedure_id,
                                   definition_id=self._definition_of(procedure_id), received_at=received_at,
                                   channel=r.channel or Channel.DIRECT, applicant=r.applicant[:200],
                                   due_at=received_at))
            created = Dossier.objects.bulk_create(new, batch_size=500)
            for d in created:
                if d.pk is None:  # a backend that cannot return ids: read them back
                    d.pk = Dossier.objects.filter(agency_id=d.agency_id, code=d.code).values_list(
                        "pk", flat=True).get()
                self.ids[d.code] = d.pk
            self.summary.dossiers_created += len(created)
        wanted = {}
        for r in rows:
            key = (self.ids[r.code], r.kind, r.at, r.step if r.kind == EventKind.STEP_DONE else 0)
            if key in wanted:
                self.summary.events_duplicate += 1
                continue
            wanted[key] = r
        dossier_ids = {k[0] for k in wanted}
        existing = set()
        ids = list(dossier_ids)
        for start in range(0, len(ids), CHUNK):
            existing.update(DossierEvent.objects.filter(dossier_id__in=ids[start:start + CHUNK]).values_list(
                "dossier_id", "kind", "at", "step"))
        now = timezone.now()
        fresh = [DossierEvent(dossier_id=k[0], kind=k[1], at=k[2], step=k[3], note=r.note[:500],
                              actor=r.actor[:200], source=self.source, recorded_at=now)
                 for k, r in wanted.items() if k not in existing]
        self.summary.events_duplicate += len(wanted) - len(fresh)
        DossierEvent.objects.bulk_create(fresh, batch_size=1000)
        self.summary.events_created += len(fresh)
        self.summary.rows += len(rows)
        self.touched.update(k[0] for k, _r in wanted.items() if k not in existing)


def _timing_of(dossier: dict, zone) -> timing_module.Timing | None:
    """The stored timing of a dossier row (for the rollup keys it currently counts in)."""
    if dossier["finished_at"] is None and not dossier["steps"]:
        return None
    return timing_module.Timing(status=dossier["status"], received_at=dossier["received_at"],
                                due_at=dossier["due_at"], finished_at=dossier["finished_at"],
                                result=dossier["result"], steps=timing_module.steps_from_json(dossier["steps"]))


def dossiers_retime(dossier_ids: Iterable[int], *, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the timing of the given dossiers from their events and adjust the rollups.
    Call inside a transaction. Returns how many dossiers changed."""
    ids = sorted(set(dossier_ids))
    calendars: dict[int, object] = {}
    modes: dict[int, str] = {}
    steps_cache: dict[int, list] = {}
    deltas: Counter = Counter()
    changed = 0
    fields = ["status", "due_at", "finished_at", "result", "current_step", "current_unit_id", "steps",
              "received_at", "updated_at"]
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        rows = list(Dossier.objects.filter(pk__in=part).values(
            "pk", "agency_id", "admin_procedure_id", "admin_procedure__time_limit_days", "definition_id",
            *[f for f in fields if f != "current_unit_id"], "current_unit_id"))
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
        events = defaultdict(list)
        for dossier_id, kind, at, step in DossierEvent.objects.filter(dossier_id__in=part).values_list(
                "dossier_id", "kind", "at", "step"):
            events[dossier_id].append(timing_module.Event(kind=kind, at=at, step=step))
        updates = []
        now = timezone.now()
        for r in rows:
            calendar = calendars[r["agency_id"]]
            zone = calendar.zone
            hours_per_day = calendar.hours_per_day
            new = timing_module.compute(
                events[r["pk"]], steps=steps_cache.get(r["definition_id"], []),
                limit_hours=r["admin_procedure__time_limit_days"] * hours_per_day, calendar=calendar,
                mode=modes[r["agency_id"]])
            old = _timing_of(r, zone)
            key = (r["agency_id"], r["admin_procedure_id"])
            for month, step, unit, result in timing_module.contributions(old, zone):
                deltas[(*key, month, step, unit, result)] -= 1
            for month, step, unit, result in timing_module.contributions(new, zone):
                deltas[(*key, month, step, unit, result)] += 1
            values = {"status": new.status, "due_at": new.due_at, "finished_at": new.finished_at,
                      "result": new.result, "current_step": new.current_step, "current_unit_id": new.current_unit_id,
                      "steps": timing_module.steps_to_json(new.steps), "received_at": new.received_at}
            if any(r[f] != values[f] for f in values):
                updates.append(Dossier(pk=r["pk"], updated_at=now, **values))
        if updates:
            Dossier.objects.bulk_update(updates, fields, batch_size=500)
            changed += len(updates)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
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
        dossiers_retime(writer.touched, progress=(lambda d, t: progress("retime", d, t)) if progress else None)
        writer.summary.dossiers_touched = len(writer.touched)
        if writer.summary.events_created:
            agencies = Agency.objects.filter(pk__in={e[0] for e in validator.dossiers.values() if e[0]})
            for a in agencies:
                audit_record(actor=actor, action="import", obj=a, agency=a,
                             note=_("Dossier events imported from %(source)s: %(events)s new events, "
                                    "%(dossiers)s dossiers created.") % {
                                 "source": source or "?", "events": writer.summary.events_created,
                                 "dossiers": writer.summary.dossiers_created})
    return writer.summary
