"""Checking events before anything is written: ``EventValidator`` checks each row as it streams
past (kind, time, step, agency and procedure on the receipt row, the actor's scope), keeping only a
few numbers per dossier; ``finish()`` then checks what needs the whole input and the database (every
dossier received, here or in an earlier import; nothing before its receipt; steps that exist in the
procedure's process). Every fault is named by its row in one ``RowErrors``; any fault refuses the
whole input.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.errors import ValidationFailed
from eiso.core.policy import permitted
from eiso.core.tabular import RowErrors
from eiso.dossiers.choices import Channel, EventKind
from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording.definitions import current_definitions
from eiso.dossiers.services.recording.rows import CHUNK, EventRow
from eiso.dossiers.timing import EPOCH_UTC, ONE_US, instant_us
from eiso.organizations.models import Agency
from eiso.procedures.models import AdminProcedure

EVENT_KINDS = frozenset(EventKind.values)
CHANNELS = frozenset(Channel.values)


def allowed_agencies(actor) -> dict[str, Agency] | None:
    """Code → agency for the agencies ``actor`` may import into; None: any (the system)."""
    if actor is None:
        return None
    return {a.code: a for a in permitted(actor, "dossiers.import_dossiers", Agency.objects)}


class EventValidator:
    """Checks rows as they stream past and keeps a few numbers per dossier (not the rows)."""

    def __init__(self, actor, *, agency: Agency | None = None, errors: RowErrors | None = None):
        self.actor = actor
        self.only_agency = agency  # the upload page imports into one agency
        self.scope = allowed_agencies(actor)
        self._agencies: dict[str, Agency | None] = {}
        self._procedures: dict[int, dict[str, int]] = {}  # agency id → code → TTHC id
        self.errors = RowErrors() if errors is None else errors  # a reader may add its own (a line not JSON)
        self.rows = 0
        # code → [agency id, procedure id, received at, receipt row, earliest other at, its row, max step, its row,
        #         dossier id (once written), created by this import, its number in the input (0, 1, …)]
        # — the whole memory of an import
        self.dossiers: dict[str, list] = {}
        self.times_us = False  # the times kept as UTC µs since the epoch (a columnar read's), not datetimes

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
        """The id of the agency's TTHC of this code; the agency's whole catalogue is read in one
        query the first time it is asked for (codes are unique within an agency)."""
        catalogue = self._procedures.get(agency_id)
        if catalogue is None:
            catalogue = self._procedures[agency_id] = dict(
                AdminProcedure.objects.filter(agency_id=agency_id).order_by().values_list("code", "pk"))
        return catalogue.get(code)

    def check(self, r: EventRow) -> bool:
        """Check one row; False (and the reason recorded) when it is bad."""
        self.rows += 1
        ok = True
        if not r.code:
            self.errors.add(r.row, _("the dossier code is missing."))
            return False
        if len(r.code) > 60:
            self.errors.add(r.row, _("the dossier code is longer than 60 characters."))
            return False
        if r.kind not in EVENT_KINDS:
            self.errors.add(r.row, _("unknown event “%(event)s”; use one of: %(kinds)s.")
                            % {"event": r.kind, "kinds": ", ".join(EventKind.values)})
            return False
        if r.at is None:
            self.errors.add(r.row, _("the time is missing or not a date and time (YYYY-MM-DD HH:MM)."))
            ok = False
        if r.kind == EventKind.STEP_DONE and not (isinstance(r.step, int) and r.step >= 1):
            self.errors.add(r.row, _("a step_done event needs the number of the step (1, 2, …)."))
            ok = False
        if r.channel and r.channel not in CHANNELS:
            self.errors.add(r.row, _("unknown channel “%(channel)s”; use direct, online or postal.")
                            % {"channel": r.channel})
            ok = False
        entry = self.dossiers.get(r.code)
        if entry is None:
            entry = self.dossiers[r.code] = [None, None, None, None, None, None, 0, None, None, False,
                                             len(self.dossiers)]
        if r.kind == EventKind.RECEIVED:
            entry[3] = entry[3] or r.row  # a receipt row was seen (named already if it is refused)
            if not r.agency_code or not r.procedure_code:
                self.errors.add(r.row, _("the received event needs the agency code and the procedure code."))
                return False
            agency = self.agency(r.agency_code)
            if agency is None:
                self.errors.add(r.row, _("agency “%(code)s” is unknown or not yours to import into.")
                                % {"code": r.agency_code})
                return False
            procedure_id = self.procedure(agency.pk, r.procedure_code)
            if procedure_id is None:
                self.errors.add(r.row, _("procedure “%(code)s” is not in the catalogue of %(agency)s.")
                                % {"code": r.procedure_code, "agency": agency.code})
                return False
            if entry[0] is not None and (entry[0], entry[1]) != (agency.pk, procedure_id):
                self.errors.add(r.row, _("dossier %(code)s is received twice with a different agency or procedure.")
                                % {"code": r.code})
                return False
            entry[0], entry[1] = agency.pk, procedure_id
            if ok and (entry[2] is None or r.at < entry[2]):
                entry[2], entry[3] = r.at, r.row
        elif ok:
            if r.agency_code and self.agency(r.agency_code) is None:
                self.errors.add(r.row, _("agency “%(code)s” is unknown or not yours to import into.")
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
            qs = Dossier.objects.filter(code__in=part).order_by()  # (no sort by the model's ordering)
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
                self.errors.add(entry[5], _("dossier %(code)s has no received event, here or in an "
                                            "earlier import.") % {"code": code})
                continue
            entry[0], entry[1], entry[2] = stored[code]
            if self.times_us:
                entry[2] = instant_us(entry[2])
        steps = self._step_counts({e[1] for e in self.dossiers.values() if e[1] is not None and e[6]})
        for code, entry in self.dossiers.items():
            if entry[2] is None:
                continue
            if entry[4] is not None and entry[4] < entry[2]:
                received = EPOCH_UTC + entry[2] * ONE_US if self.times_us else entry[2]
                self.errors.add(entry[5], _("an event of dossier %(code)s is before its receipt (%(at)s).")
                                % {"code": code, "at": timezone.localtime(received).strftime("%d/%m/%Y %H:%M")})
            if entry[6] and entry[6] > steps.get(entry[1], 0):
                self.errors.add(entry[7], _("dossier %(code)s: step %(step)s is not in the process of its procedure "
                                            "(it has %(n)s steps).") % {"code": code, "step": entry[6],
                                                                        "n": steps.get(entry[1], 0)})
        if self.errors:
            raise self.refusal()

    def refusal(self) -> ValidationFailed:
        """The whole input refused, each bad row named under ``errors["rows"]``."""
        return self.errors.refusal(
            _("The data was refused: nothing was imported. Correct these rows and try again."), key="rows")

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
