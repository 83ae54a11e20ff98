"""Import of citizen satisfaction evaluations exported from the one-stop system.

    eiso import satisfaction FILE --agency CODE        (.csv, .xlsx)

Two shapes are read, with English or Vietnamese headings: one row per score
(``dossier_code, indicator, score``; indicator 1–9, score 0, 1 or 2), or one row per dossier with
a column per indicator (``dossier_code, indicator_1 … indicator_9``). An optional
``evaluated_on`` column dates the evaluation; otherwise it is the day the dossier's result was
returned (or, unfinished, the day it was received).

Every row is checked first; any bad row refuses the whole file with a message naming each
(unknown dossier, indicator not 1–9, score not 0/1/2, a score given twice differently) and
nothing is written. Then each dossier's evaluation is created or its given scores updated:
importing the same file again changes nothing.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.policy import require
from eiso.core.tabular import RowErrors, Table, cell_text, parse_date, read_table, refuse_file, table_from_mappings
from eiso.dossiers.models import Dossier
from eiso.feedback.choices import INDICATORS, SCORES
from eiso.feedback.models import SatisfactionEvaluation

WIDE = {f"indicator_{i}": [f"chỉ số {i}", f"tiêu chí {i}", f"chi so {i}", f"score_{i}", f"i{i}", f"cs{i}",
                           f"chỉ tiêu {i}"] for i in INDICATORS}
COLUMNS = {
    "dossier_code": ["mã hồ sơ", "số hồ sơ", "mã số hồ sơ", "dossier", "code", "ma ho so"],
    "indicator": ["chỉ số", "tiêu chí", "chỉ tiêu", "mã chỉ số"],
    "score": ["điểm", "điểm đánh giá", "mức đánh giá"],
    "evaluated_on": ["ngày đánh giá", "ngày", "date", "evaluated"],
    **WIDE,
}
REQUIRED = ("dossier_code",)
CHUNK = 2000


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def dossiers(self) -> int:
        return self.created + self.updated + self.unchanged


def summary(name: str, result: ImportResult) -> str:
    return _("%(name)s: %(dossiers)s dossiers evaluated (%(created)s new, %(updated)s updated, "
             "%(unchanged)s unchanged).") % {"name": name, "dossiers": result.dossiers, "created": result.created,
                                             "updated": result.updated, "unchanged": result.unchanged}


def _integer(value) -> int | None:
    text = cell_text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@dataclass
class _Given:
    row: int
    scores: dict  # indicator → score
    evaluated_on: datetime.date | None


def _rows(table: Table, errors: RowErrors) -> dict[str, _Given]:
    """Each dossier code's scores, merged over its rows; faults go to ``errors``."""
    long = "indicator" in table.columns or "score" in table.columns
    wide = [i for i in INDICATORS if f"indicator_{i}" in table.columns]
    if long and not {"indicator", "score"} <= table.columns:
        raise refuse_file(_("The first row must name the columns; missing: %(columns)s.")
                          % {"columns": "indicator, score"})
    if not long and not wide:
        raise refuse_file(_("Name the columns indicator and score, or indicator_1 … indicator_9."))
    given: dict[str, _Given] = {}
    for number, row in table.rows:
        code = cell_text(row.get("dossier_code"))
        if not code:
            errors.cell(number, "dossier_code", _("required"))
            continue
        day = None
        if cell_text(row.get("evaluated_on")):
            try:
                day = parse_date(row.get("evaluated_on"))
            except ValueError:
                errors.cell(number, "evaluated_on", _("not a date (dd/mm/yyyy)"))
                continue
        scores = {}
        if long:
            indicator = _integer(row.get("indicator"))
            if indicator not in INDICATORS:
                errors.cell(number, "indicator", _("must be a number from 1 to 9"))
                continue
            score = _integer(row.get("score"))
            if score not in SCORES:
                errors.cell(number, "score", _("must be 0, 1 or 2"))
                continue
            scores[indicator] = score
        else:
            bad = False
            for i in wide:
                text = cell_text(row.get(f"indicator_{i}"))
                if not text:
                    continue
                score = _integer(text)
                if score not in SCORES:
                    errors.cell(number, f"indicator_{i}", _("must be 0, 1 or 2"))
                    bad = True
                else:
                    scores[i] = score
            if bad:
                continue
            if not scores:
                errors.add(number, _("no indicator is scored"))
                continue
        entry = given.setdefault(code, _Given(row=number, scores={}, evaluated_on=day))
        for i, score in scores.items():
            if entry.scores.get(i, score) != score:
                errors.add(number, _("indicator %(n)s of dossier %(code)s is given twice with different scores")
                           % {"n": i, "code": code})
            entry.scores[i] = score
        if day is not None:
            if entry.evaluated_on not in (None, day):
                errors.cell(number, "evaluated_on", _("dossier %(code)s is given two dates") % {"code": code})
            entry.evaluated_on = day
    return given


def _dossiers(agency, codes: list[str]) -> dict[str, Dossier]:
    found = {}
    for start in range(0, len(codes), CHUNK):
        rows = (Dossier.objects.filter(agency=agency, code__in=codes[start:start + CHUNK])
                .select_related("admin_procedure__process_document")
                .only("pk", "code", "received_at", "finished_at", "admin_procedure_id",
                      "admin_procedure__process_document__owner_unit_id"))
        found.update({d.code: d for d in rows})
    return found


def _local_day(instant: datetime.datetime) -> datetime.date:
    return timezone.localtime(instant).date()


def satisfaction_import_table(*, actor, agency, table: Table) -> ImportResult:
    """Check every row of ``table``, then write the evaluations (see the module's docstring)."""
    require(actor, "feedback.import_satisfaction", agency)
    errors = RowErrors()
    given = _rows(table, errors)
    dossiers = _dossiers(agency, list(given))
    for code, entry in given.items():
        if code not in dossiers:
            errors.cell(entry.row, "dossier_code", _("no dossier %(code)s in this agency") % {"code": code})
    if errors:
        raise errors.refusal()
    if not given:
        raise refuse_file(_("The file has no rows."))
    return _write(actor, agency, given, dossiers)


@transaction.atomic
def _write(actor, agency, given: Mapping[str, _Given], dossiers: Mapping[str, Dossier]) -> ImportResult:
    existing = {}
    ids = [d.pk for d in dossiers.values()]
    for start in range(0, len(ids), CHUNK):
        existing.update({e.dossier_id: e for e in SatisfactionEvaluation.objects.select_for_update()
                         .filter(dossier_id__in=ids[start:start + CHUNK])})
    new, changed, unchanged = [], [], 0
    for code, entry in given.items():
        dossier = dossiers[code]
        day = entry.evaluated_on or _local_day(dossier.finished_at or dossier.received_at)
        document = dossier.admin_procedure.process_document
        evaluation = existing.get(dossier.pk)
        if evaluation is None:
            evaluation = SatisfactionEvaluation(
                agency=agency, dossier=dossier, admin_procedure_id=dossier.admin_procedure_id,
                unit_id=document.owner_unit_id if document else None, evaluated_on=day)
            for i, score in entry.scores.items():
                setattr(evaluation, f"score_{i}", score)
            new.append(evaluation)
            continue
        before = (evaluation.scores(), evaluation.evaluated_on)
        for i, score in entry.scores.items():
            setattr(evaluation, f"score_{i}", score)
        if entry.evaluated_on:
            evaluation.evaluated_on = entry.evaluated_on
        if (evaluation.scores(), evaluation.evaluated_on) == before:
            unchanged += 1
        else:
            changed.append(evaluation)
    SatisfactionEvaluation.objects.bulk_create(new, batch_size=1000)
    SatisfactionEvaluation.objects.bulk_update(
        changed, [f"score_{i}" for i in INDICATORS] + ["evaluated_on"], batch_size=1000)
    result = ImportResult(created=len(new), updated=len(changed), unchanged=unchanged)
    if new or changed:
        data_changed_announce(sender="feedback", agency_id=agency.pk, topic="satisfaction")
        audit_record(actor=actor, action="import", obj=agency, agency=agency, changes={
            "satisfaction_evaluations": [None, {"created": result.created, "updated": result.updated,
                                                "unchanged": result.unchanged}]})
    return result


def satisfaction_import(*, actor, agency, file, filename: str) -> ImportResult:
    """Import an uploaded .csv or .xlsx file (see the module's docstring)."""
    table = read_table(file, filename, aliases=COLUMNS, required=REQUIRED)
    return satisfaction_import_table(actor=actor, agency=agency, table=table)


def satisfaction_import_rows(*, actor, agency, rows: Iterable[Mapping]) -> ImportResult:
    """The same from mappings (the API's JSON rows), numbered from 2 as under a header row."""
    rows = list(rows)
    if not rows:
        raise refuse_file(_("The file has no rows."))
    table = table_from_mappings(rows, aliases=COLUMNS, required=REQUIRED)
    return satisfaction_import_table(actor=actor, agency=agency, table=table)
