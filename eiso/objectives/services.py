"""Writes of quality objectives: draft, edit, approve, refresh the computed measurements, record a
manual one, confirm a closed period, record a missed one as a nonconformity. Atomic and audited."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.core.uploads import inspect_upload
from eiso.improvements.choices import NonconformitySource
from eiso.improvements.services import nonconformity_create
from eiso.objectives import measures
from eiso.objectives.choices import IndicatorCode, ObjectiveStatus
from eiso.objectives.formulas import met, periods
from eiso.objectives.models import Measurement, QualityObjective

OBJECTIVE_CLAUSE = "6.2"  # quality objectives and planning to achieve them
FIELDS = ["unit", "year", "title", "indicator", "comparator", "target", "unit_of_measure", "frequency",
          "admin_procedure", "owner", "plan_what", "plan_who", "plan_when", "plan_resources"]


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(str(message), errors={field: [str(message)]})


@transaction.atomic
def objective_create(*, actor, agency, **data) -> QualityObjective:
    """Draft an objective of the agency (or one of its units) for a year."""
    require(actor, "objectives.add_objective", agency)
    clean = _check(agency, data)
    return model_create(model=QualityObjective, actor=actor, data={"agency": agency, **clean})


# What an approved objective may still change: who owns it and its plan. What it measures (the
# indicator, target, period…) is what the head approved; a different objective is a new one.
PLAN_FIELDS = ["owner", "plan_what", "plan_who", "plan_when", "plan_resources"]
# A change of these makes the existing measurements meaningless: they are computed again.
MEASURED_FIELDS = ["unit", "year", "indicator", "frequency", "admin_procedure"]


def _check(agency, data: dict) -> dict:
    """The links belong to the agency, a procedure only narrows a dossier indicator; the texts are
    trimmed and a satisfaction score is counted in points. Returns the clean data."""
    for field in ("unit", "admin_procedure"):
        if data.get(field) is not None and data[field].agency_id != agency.pk:
            raise _invalid(field, _("It belongs to another agency."))
    owner = data.get("owner")
    if owner is not None and (owner.agency is None or owner.agency.pk != agency.pk):
        raise _invalid("owner", _("This person does not work in the agency."))
    if data.get("admin_procedure") is not None and data.get("indicator") not in (
            IndicatorCode.DOSSIER_ON_TIME_RATE, IndicatorCode.DOSSIER_ONLINE_RATE):
        raise _invalid("admin_procedure", _("Only dossier indicators can be narrowed to one procedure."))
    clean = {k: v for k, v in data.items() if k in FIELDS}
    for key in ("title", "plan_what", "plan_who", "plan_when", "plan_resources", "unit_of_measure"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip()
    if clean.get("indicator") == IndicatorCode.SATISFACTION_SCORE and clean.get("unit_of_measure", "%") == "%":
        clean["unit_of_measure"] = _("points")
    return clean


@transaction.atomic
def objective_update(*, actor, objective: QualityObjective, **data) -> QualityObjective:
    """Edit an objective. A draft changes freely (its measurements follow: computed again, or the
    manual ones judged against the new target); an approved one changes only its owner and plan.
    A period already confirmed keeps its figure, so what it was measured by no longer changes."""
    locked = QualityObjective.objects.select_for_update().select_related("agency").get(pk=objective.pk)
    require(actor, "objectives.change_objective", locked)
    merged = {f: data.get(f, getattr(locked, f)) for f in FIELDS}
    clean = _check(locked.agency, merged)
    changed = [f for f in FIELDS if clean.get(f) != getattr(locked, f)]
    if locked.status == ObjectiveStatus.APPROVED:
        frozen = [f for f in changed if f not in PLAN_FIELDS]
        if frozen:
            raise Conflict(_("The objective is approved: only its owner and plan can still change. Draft a new "
                             "objective to measure something else."), code="approved")
    measured = [f for f in changed if f in MEASURED_FIELDS]
    judged = [f for f in changed if f in ("comparator", "target")]
    rows = Measurement.objects.select_for_update().filter(objective=locked)
    if (measured or judged) and rows.filter(confirmed_on__isnull=False).exists():
        raise Conflict(_("A period's figure is confirmed: what the objective measures no longer changes."),
                       code="confirmed")
    locked, changes = model_update(obj=locked, data=clean, fields=FIELDS, actor=actor)
    if measured:
        rows.delete()
    elif judged:
        for row in rows:
            row.met = met(row.value, locked.comparator, locked.target)
            row.save(update_fields=["met"])
    if changes and (measured or judged) and locked.indicator != IndicatorCode.MANUAL:
        measurements_refresh(actor=actor, objective=locked)
    return locked


@transaction.atomic
def objective_approve(*, actor, objective: QualityObjective) -> QualityObjective:
    """The agency head approves the objective (it is then measured and reported)."""
    locked = QualityObjective.objects.select_for_update().get(pk=objective.pk)
    require(actor, "objectives.approve_objective", locked)
    if locked.status != ObjectiveStatus.DRAFT:
        raise Conflict(_("This objective is already approved."), code="wrong_status")
    locked.status, locked.approved_on = ObjectiveStatus.APPROVED, timezone.localdate()
    locked.approved_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["status", "approved_on", "approved_by"])
    audit_record(actor=actor, action="approve", obj=locked, changes={"status": ["draft", "approved"]})
    objective.status = locked.status
    return locked


@transaction.atomic
def measurements_refresh(*, actor, objective: QualityObjective, today: datetime.date | None = None) -> int:
    """Compute the objective's measurements for every period of its year that has started: a
    period with data gets (or updates) its row, one without data has none. Manual objectives
    are entered, not computed. Returns the number of rows written."""
    require(actor, "objectives.change_objective", objective)
    if objective.indicator == IndicatorCode.MANUAL:
        return 0
    today = today or timezone.localdate()
    written = 0
    for period in periods(objective.year, objective.frequency):
        if period.start > today:
            break
        value, numerator, denominator = measures.compute(objective.indicator, objective.agency_id, period.start,
                                                         period.end, objective.admin_procedure_id, objective.unit_id)
        current = Measurement.objects.filter(objective=objective, period_start=period.start).first()
        if current is not None and current.confirmed_on is not None:
            continue  # a confirmed figure is frozen
        if value is None:
            if current is not None:
                current.delete()
            continue
        row = {"period_end": period.end, "value": value, "numerator": numerator, "denominator": denominator,
               "met": met(value, objective.comparator, objective.target), "computed_at": timezone.now()}
        if current is None:
            Measurement.objects.create(objective=objective, period_start=period.start, **row)
            written += 1
        elif (current.value, current.numerator, current.denominator) != (value, numerator, denominator):
            for key, v in row.items():
                setattr(current, key, v)
            current.save()
            written += 1
    if written:
        audit_record(actor=actor, action="measure", obj=objective, changes={"measurements": [None, written]})
    return written


@transaction.atomic
def measurement_record(*, actor, objective: QualityObjective, period_start: datetime.date | None,
                       value: Decimal | None, evidence: str = "", evidence_file=None) -> Measurement:
    """Record the value of a manual objective for one of its periods, with its evidence: a note
    saying where it is, a file (.pdf, .docx, .xlsx, checked by content), or both. A period's value
    recorded again replaces the previous one, unless that one is confirmed."""
    require(actor, "objectives.measure_objective", objective)
    if objective.indicator != IndicatorCode.MANUAL:
        raise Conflict(_("This objective is computed from the data; it is not entered by hand."), code="computed")
    period = next((p for p in periods(objective.year, objective.frequency) if p.start == period_start), None)
    if period is None:
        raise _invalid("period_start", _("Choose one of the objective's periods."))
    if value is None:
        raise _invalid("value", _("Give the value measured."))
    evidence = (evidence or "").strip()
    if not evidence and evidence_file is None:
        raise _invalid("evidence", _("Say where the evidence is (a record, a file, a note) or attach it."))
    file_name = ""
    if evidence_file is not None:
        try:
            file_name = inspect_upload(evidence_file, allowed=("pdf", "docx", "xlsx")).original_name
        except ValidationFailed as exc:
            raise _invalid("evidence_file", exc.message) from exc
    existing = Measurement.objects.select_for_update().filter(objective=objective, period_start=period.start).first()
    if existing is not None and existing.confirmed_on is not None:
        raise Conflict(_("This period's figure is confirmed and no longer changes."), code="confirmed")
    if existing is not None:
        old_file = existing.evidence_file
        if old_file:  # the replaced value's file goes once the new one is stored
            storage, name = old_file.storage, old_file.name
            transaction.on_commit(lambda: storage.delete(name))
        existing.delete()
    measurement = model_create(model=Measurement, actor=actor, data={
        "objective": objective, "period_start": period.start, "period_end": period.end, "value": value,
        "met": met(value, objective.comparator, objective.target), "evidence": evidence,
        "evidence_file_name": file_name})
    if evidence_file is not None:
        measurement.evidence_file.save(evidence_file.name, evidence_file, save=False)
        measurement.save(update_fields=["evidence_file"])
    return measurement


def _locked_measurement(measurement: Measurement) -> Measurement:
    return Measurement.objects.select_for_update().select_related("objective", "objective__agency").get(
        pk=measurement.pk)


@transaction.atomic
def measurement_confirm(*, actor, measurement: Measurement, today: datetime.date | None = None) -> Measurement:
    """The secretary confirms the figure of a closed period: it is frozen from then on."""
    locked = _locked_measurement(measurement)
    require(actor, "objectives.change_objective", locked.objective)
    if locked.period_end >= (today or timezone.localdate()):
        raise Conflict(_("A period's figure is confirmed once the period has closed."), code="open_period")
    if locked.confirmed_on is not None:
        raise Conflict(_("This period's figure is already confirmed."), code="confirmed")
    locked.confirmed_on = today or timezone.localdate()
    locked.confirmed_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["confirmed_on", "confirmed_by"])
    audit_record(actor=actor, action="confirm", obj=locked.objective,
                 changes={"measurements": [None, f"{locked.period_start:%d/%m/%Y}–{locked.period_end:%d/%m/%Y}"]})
    return locked


@transaction.atomic
def measurement_nonconformity(*, actor, measurement: Measurement, today: datetime.date | None = None):
    """One click: a period missed once closed becomes a nonconformity (source: quality objective
    missed, clause 6.2) of the objective's agency and unit; the measurement links to it."""
    locked = _locked_measurement(measurement)
    objective = locked.objective
    require(actor, "objectives.change_objective", objective)
    if locked.nonconformity_id:
        raise Conflict(_("This missed period is already recorded as a nonconformity."), code="exists")
    if locked.met or locked.period_end >= (today or timezone.localdate()):
        raise Conflict(_("Only a period that has closed with the target missed becomes a nonconformity."),
                       code="wrong_status")
    nc = nonconformity_create(
        actor=actor, agency=objective.agency, source=NonconformitySource.OBJECTIVE, clause=OBJECTIVE_CLAUSE,
        unit=objective.unit, admin_procedure=objective.admin_procedure,
        description=_("Quality objective “%(title)s” missed from %(start)s to %(end)s: %(value)s %(unit)s against "
                      "a target of %(target)s.") % {
            "title": objective.title, "start": locked.period_start.strftime("%d/%m/%Y"),
            "end": locked.period_end.strftime("%d/%m/%Y"), "value": locked.value, "unit": objective.unit_of_measure,
            "target": f"{objective.get_comparator_display()} {objective.target}"},
        detected_on=today or timezone.localdate())
    locked.nonconformity = nc
    locked.save(update_fields=["nonconformity"])
    audit_record(actor=actor, action="objective_nonconformity", obj=objective,
                 changes={"nonconformity": [None, nc.code]})
    return nc


def measurements_refresh_for_agency(*, agency_id: int, indicators, today: datetime.date | None = None) -> int:
    """Refresh the agency's computed objectives measured by ``indicators`` (the data they count has
    changed: an import, a closure…), of this year and the last (a late import still moves last
    year's open periods); confirmed periods stay frozen. Returns the rows written."""
    today = today or timezone.localdate()
    written = 0
    for objective in QualityObjective.objects.filter(
            agency_id=agency_id, indicator__in=list(indicators), year__in=(today.year - 1, today.year)
    ).exclude(indicator=IndicatorCode.MANUAL).select_related("agency").order_by("id"):
        written += measurements_refresh(actor=None, objective=objective, today=today)
    return written


def measurements_refresh_all(*, year: int, today: datetime.date | None = None) -> int:
    """Refresh every computed objective of ``year`` (the nightly command): rows written."""
    written = 0
    for objective in QualityObjective.objects.filter(year=year).exclude(indicator=IndicatorCode.MANUAL):
        written += measurements_refresh(actor=None, objective=objective, today=today)
    return written
