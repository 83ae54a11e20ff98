"""Writes to the TTHC catalogue and process definitions. Each function checks the actor's
permission (``actor=None``: the system, e.g. the demo loader), runs in one transaction and
leaves an audit row."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.changes import data_changed_announce
from eiso.core.errors import ValidationFailed
from eiso.core.policy import require
from eiso.core.services import model_create, model_update
from eiso.documents.choices import DocumentKind
from eiso.procedures.choices import DefinitionSource
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep

PROCEDURE_FIELDS = ["code", "name", "field", "level", "time_limit_days", "fees", "online_level",
                    "process_document", "is_active"]




def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _check_document(agency, document) -> None:
    if document is None:
        return
    if document.agency_id != agency.pk:
        raise _invalid("process_document", _("The procedure must belong to the same agency."))
    if document.kind != DocumentKind.OPERATIONAL_PROCEDURE:
        raise _invalid("process_document", _("Choose an operational procedure (quy trình nội bộ)."))


def _check_legal_basis(agency, legal_basis) -> list:
    items = list(legal_basis or [])
    if any(e.agency_id != agency.pk for e in items):
        raise _invalid("legal_basis", _("Legal documents must come from the agency's own register."))
    return items


@transaction.atomic
def admin_procedure_create(*, actor, agency, code: str, name: str, time_limit_days, field: str = "",
                           level: str = "province", fees: str = "", online_level: str = "none",
                           process_document=None, legal_basis=(), note: str = "",
                           action: str = "create") -> AdminProcedure:
    require(actor, "procedures.add_adminprocedure", agency)
    _check_document(agency, process_document)
    basis = _check_legal_basis(agency, legal_basis)
    procedure = model_create(model=AdminProcedure, actor=actor, action=action, note=note, data={
        "agency": agency, "code": (code or "").strip(), "name": (name or "").strip(), "field": (field or "").strip(),
        "level": level, "time_limit_days": time_limit_days, "fees": fees or "", "online_level": online_level,
        "process_document": process_document})
    if basis:
        procedure.legal_basis.set(basis)
    data_changed_announce(sender="procedures", agency_id=agency.pk, topic="procedures")  # the TTHC counted
    return procedure


@transaction.atomic
def admin_procedure_update(*, actor, procedure: AdminProcedure, legal_basis=None, note: str = "",
                           action: str = "update", **data) -> AdminProcedure:
    require(actor, "procedures.change_adminprocedure", procedure)
    procedure = AdminProcedure.objects.select_for_update().get(pk=procedure.pk)
    if "process_document" in data:
        _check_document(procedure.agency, data["process_document"])
    for key in ("code", "name", "field"):
        if key in data and isinstance(data[key], str):
            data[key] = data[key].strip()
    procedure, changes = model_update(obj=procedure, data=data, fields=PROCEDURE_FIELDS, actor=actor,
                                      action=action, note=note)
    if {"is_active", "process_document"} & set(changes):  # what the coverage of TTHC counts
        data_changed_announce(sender="procedures", agency_id=procedure.agency_id, topic="procedures")
    if legal_basis is not None:
        basis = _check_legal_basis(procedure.agency, legal_basis)
        before = sorted(procedure.legal_basis.values_list("number", flat=True))
        after = sorted(e.number for e in basis)
        if before != after:
            procedure.legal_basis.set(basis)
            audit_record(actor=actor, action=action, obj=procedure, note=note,
                         changes={"legal_basis": [", ".join(before), ", ".join(after)]})
    return procedure


def _hours(value, number: int) -> Decimal:
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise _invalid("steps", _("Step %(n)s: the time allowance must be a number of working hours.") % {"n": number})
    if not hours.is_finite() or hours < Decimal("0.25") or hours > Decimal(99999):
        raise _invalid("steps", _("Step %(n)s: the time allowance must be at least 0.25 working hours.")
                       % {"n": number})
    return hours.quantize(Decimal("0.01"))


def _clean_steps(document, steps) -> list[dict]:
    rows = list(steps or [])
    if not rows:
        raise _invalid("steps", _("A process needs at least one step."))
    cleaned = []
    for number, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name:
            raise _invalid("steps", _("Step %(n)s: say what is done.") % {"n": number})
        unit = row.get("unit")
        if unit is not None and unit.agency_id != document.agency_id:
            raise _invalid("steps", _("Step %(n)s: the responsible unit must belong to the agency.") % {"n": number})
        cleaned.append({
            "number": number, "name": name[:300], "unit": unit,
            "responsible": str(row.get("responsible") or "").strip()[:200],
            "allowance_hours": _hours(row.get("hours", row.get("allowance_hours")), number),
            "form_code": str(row.get("form") or row.get("form_code") or "").strip()[:60],
            "result": str(row.get("result") or "").strip()[:300],
        })
    return cleaned


def _same(definition: ProcessDefinition | None, cleaned: list[dict]) -> bool:
    if definition is None:
        return False
    current = [{"number": s.number, "name": s.name, "unit": s.unit_id, "responsible": s.responsible,
                "allowance_hours": s.allowance_hours, "form_code": s.form_code, "result": s.result}
               for s in definition.steps.all()]
    wanted = [{**row, "unit": row["unit"].pk if row["unit"] is not None else None} for row in cleaned]
    return current == wanted


@transaction.atomic
def process_definition_set(*, actor, document, steps, source: str = DefinitionSource.MANUAL,
                           note: str = "") -> tuple[ProcessDefinition, bool]:
    """Make ``steps`` the current process of the operational procedure ``document``.

    ``steps``: dicts with ``name``, ``hours`` (working hours), optional ``unit`` (a Unit of the
    agency), ``responsible``, ``form``, ``result``; numbered in the given order. When they equal
    the current process nothing is written; otherwise a new version becomes current (dossiers
    already received keep theirs). Returns ``(definition, created)``.
    """
    require(actor, "procedures.change_processdefinition", document)
    if document.kind != DocumentKind.OPERATIONAL_PROCEDURE:
        raise _invalid("document", _("Only an operational procedure has a process."))
    cleaned = _clean_steps(document, steps)
    locked = list(ProcessDefinition.objects.select_for_update().filter(document=document).order_by("-version"))
    current = next((d for d in locked if d.is_current), None)
    if _same(current, cleaned):
        return current, False
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    definition = ProcessDefinition.objects.create(
        document=document, version=(locked[0].version + 1) if locked else 1, is_current=True, source=source,
        created_by=actor if getattr(actor, "pk", None) else None, note=note[:300])
    ProcessStep.objects.bulk_create(ProcessStep(definition=definition, **row) for row in cleaned)
    data_changed_announce(sender="procedures", agency_id=document.agency_id, topic="procedures")
    audit_record(actor=actor, action="import" if source == DefinitionSource.IMPORT else "update", obj=document,
                 note=note, changes={"process": [
                     f"v{current.version}" if current else None,
                     f"v{definition.version}: " + "; ".join(f"{r['number']}. {r['name']} ({r['allowance_hours']} h)"
                                                           for r in cleaned)]})
    return definition, True


def allowance_gap(definition: ProcessDefinition | None, procedure: AdminProcedure,
                  hours_per_day: Decimal = Decimal(8)) -> Decimal | None:
    """Working hours by which the steps exceed (+) or fall short of (−) the statutory limit;
    None without a process. Shown as a warning, never refused: agencies often keep a margin."""
    if definition is None:
        return None
    total = sum((s.allowance_hours for s in definition.steps.all()), Decimal(0))
    return total - procedure.time_limit_days * hours_per_day
