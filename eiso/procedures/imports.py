"""Import of an agency's TTHC catalogue and the processes of their operational procedures.

    eiso import procedures FILE [--agency CODE]      (.json, .csv, .xlsx)

JSON: ``{"agency": "STP", "procedures": [{"code", "name", "field", "time_limit_days", "level",
"online_level", "fees", "document", "steps": [{"name", "unit", "hours", "form", "result",
"responsible"}]}]}``. CSV/XLSX: one row per step with the columns ``agency_code, procedure_code,
procedure_name, field, time_limit_days, step, step_name, unit_code, allowance_hours, form_code``
(and optionally ``level, online_level, fees, document_code, result, responsible``); Vietnamese
headings are accepted too. A row without a step name lists a TTHC without its process.

The whole file is parsed and checked first; any bad row or field refuses the whole file with a
message naming each, and nothing is written. Then TTHC are created or updated (matched by code),
and where steps are given the operational procedure (the TTHC's own, the one named in
``document``, or ``QT-<code>``) is found or created, put in force as issue 1 on the import date if
nothing of it is in force or in the works, and its process set. Importing the same file again
changes nothing.
"""

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_record
from eiso.core.errors import Forbidden
from eiso.core.tabular import RowErrors, cell_text, choice_lookup, file_format, match_choice, read_table, refuse_file
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document
from eiso.documents.services.revisions import document_create, revision_issue_imported
from eiso.organizations.models import Agency, Unit
from eiso.procedures.choices import DefinitionSource, OnlineLevel, ProcedureLevel
from eiso.procedures.models import AdminProcedure
from eiso.procedures.services import admin_procedure_create, admin_procedure_update, process_definition_set

FORMATS = ("json", "csv", "xlsx")
FORMATS_MESSAGE = gettext_lazy("Upload a .json, .csv or .xlsx file (%(name)s is none of them).")
MAX_STEPS = 100

COLUMNS = {
    "agency_code": ["agency", "mã cơ quan", "cơ quan", "đơn vị"],
    "procedure_code": ["code", "mã thủ tục", "mã tthc", "mã số", "mã thủ tục hành chính"],
    "procedure_name": ["name", "tên thủ tục", "tên tthc", "tên thủ tục hành chính"],
    "field": ["lĩnh vực"],
    "time_limit_days": ["thời hạn giải quyết", "thời hạn", "số ngày", "thời hạn (ngày làm việc)",
                        "time limit"],
    "level": ["cấp thực hiện", "cấp"],
    "online_level": ["dịch vụ công trực tuyến", "mức độ trực tuyến", "dvc trực tuyến"],
    "fees": ["phí, lệ phí", "phí lệ phí", "lệ phí", "phí"],
    "document_code": ["document", "mã quy trình", "quy trình", "quy trình nội bộ"],
    "step": ["bước", "số bước", "step number", "stt"],
    "step_name": ["tên bước", "nội dung công việc", "nội dung", "công việc", "trình tự"],
    "unit_code": ["unit", "mã đơn vị", "đơn vị thực hiện", "bộ phận", "mã phòng", "đơn vị chủ trì"],
    "responsible": ["trách nhiệm", "người thực hiện", "chức danh"],
    "allowance_hours": ["hours", "thời gian", "số giờ", "thời gian (giờ)", "thời gian thực hiện (giờ)",
                        "giờ làm việc"],
    "form_code": ["form", "biểu mẫu", "mã biểu mẫu", "bm"],
    "result": ["kết quả"],
}
REQUIRED = ("procedure_code", "procedure_name", "time_limit_days")

LEVEL_NAMES = [
    (ProcedureLevel.CENTRAL, ["Trung ương", "Cấp trung ương", "Cấp bộ"]),
    (ProcedureLevel.PROVINCE, ["Tỉnh", "Cấp tỉnh"]),
    (ProcedureLevel.COMMUNE, ["Xã", "Cấp xã", "Phường", "Cấp xã, phường"]),
]
ONLINE_NAMES = [
    (OnlineLevel.FULL, ["Toàn trình", "Trực tuyến toàn trình", "Mức độ 4", "4"]),
    (OnlineLevel.PARTIAL, ["Một phần", "Trực tuyến một phần", "Mức độ 3", "3"]),
    (OnlineLevel.NONE, ["Không", "Không trực tuyến", "Trực tiếp", "Mức độ 2", "2"]),
]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    processes: int  # processes that got a new version
    documents: int  # operational procedures created


@dataclass
class _Step:
    row: int
    number: int | None
    name: str
    unit_code: str
    hours: Decimal
    form: str
    result: str
    responsible: str


@dataclass
class _Procedure:
    row: int
    code: str
    data: dict  # AdminProcedure fields given in the file
    document_code: str = ""
    steps: list[_Step] = field(default_factory=list)


# --- reading the file into rows ----------------------------------------------------------------------


def _json_rows(file) -> tuple[str, list[dict]]:
    """The file's agency code and one mapping per step (or per TTHC without steps), numbered as
    ``procedures[i]`` / ``procedures[i].steps[j]`` for the messages."""
    raw = file.read()
    try:
        document = json.loads(raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise refuse_file(_("The file is not valid JSON: %(error)s") % {"error": exc})
    if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
        raise refuse_file(_('The JSON file must be an object with a "procedures" list.'))
    agency = cell_text(document.get("agency"))
    rows = []
    for i, item in enumerate(document["procedures"]):
        where = f"procedures[{i}]"
        if not isinstance(item, dict):
            rows.append((where, None))
            continue
        base = {
            "agency_code": item.get("agency", agency), "procedure_code": item.get("code"),
            "procedure_name": item.get("name"), "field": item.get("field"),
            "time_limit_days": item.get("time_limit_days"), "level": item.get("level"),
            "online_level": item.get("online_level"), "fees": item.get("fees"),
            "document_code": item.get("document"),
        }
        steps = item.get("steps")
        if steps is None or steps == []:
            rows.append((where, base))
            continue
        if not isinstance(steps, list):
            rows.append((where, {**base, "_bad_steps": True}))
            continue
        for j, step in enumerate(steps):
            if not isinstance(step, dict):
                rows.append((f"{where}.steps[{j}]", {**base, "_bad_steps": True}))
                continue
            rows.append((f"{where}.steps[{j}]", {
                **base, "step": j + 1, "step_name": step.get("name"), "unit_code": step.get("unit"),
                "allowance_hours": step.get("hours"), "form_code": step.get("form"),
                "result": step.get("result"), "responsible": step.get("responsible"),
            }))
    return agency, rows


def _tabular_rows(file, filename: str) -> tuple[Iterable[tuple[object, dict]], dict]:
    """The rows and the headings the file gives its columns."""
    table = read_table(file, filename, aliases=COLUMNS, required=REQUIRED)
    return table.rows, table.headers


# --- checking ----------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _text(values: Mapping, column: str, limit: int) -> tuple[str, bool]:
    text = cell_text(values.get(column))
    return text, len(text) <= limit


def _parse(rows, agency: Agency, headers: dict | None = None) -> tuple[list[_Procedure], RowErrors]:
    levels = choice_lookup(LEVEL_NAMES, [(c, [str(label)]) for c, label in ProcedureLevel.choices])
    online = choice_lookup(ONLINE_NAMES, [(c, [str(label)]) for c, label in OnlineLevel.choices])
    max_length = {f: AdminProcedure._meta.get_field(f).max_length for f in ("code", "name", "field", "fees")}
    units = {u.code.casefold(): u.code for u in Unit.objects.filter(agency=agency)}
    errors = RowErrors(headers=headers)
    procedures: dict[str, _Procedure] = {}
    for row, values in rows:
        if values is None:
            errors.cell(row, "procedures", _("each procedure must be an object"))
            continue
        if values.get("_bad_steps"):
            errors.cell(row, "steps", _("steps must be a list of objects"))
        agency_code = cell_text(values.get("agency_code"))
        if agency_code and agency_code.casefold() != agency.code.casefold():
            errors.cell(row, "agency_code", _("%(code)s is not the agency being imported (%(agency)s)")
                       % {"code": agency_code, "agency": agency.code})
        code, code_ok = _text(values, "procedure_code", max_length["code"])
        if not code:
            errors.cell(row, "procedure_code", _("required"))
            continue
        if not code_ok:
            errors.cell(row, "procedure_code", _("too long (at most %(n)s characters)") % {"n": max_length["code"]})
            continue
        data, bad = {}, False
        for column, name in (("procedure_name", "name"), ("field", "field"), ("fees", "fees")):
            text, ok = _text(values, column, max_length[name])
            if not ok:
                errors.cell(row, column, _("too long (at most %(n)s characters)") % {"n": max_length[name]})
                bad = True
            elif text:
                data[name] = text
        if "name" not in data and not bad:
            errors.cell(row, "procedure_name", _("required"))
        days_text = cell_text(values.get("time_limit_days"))
        days = _decimal(values.get("time_limit_days"))
        if not days_text:
            errors.cell(row, "time_limit_days", _("required"))
        elif days is None or days < Decimal("0.5") or days > Decimal(9999) or days != days.quantize(Decimal("0.1")):
            errors.cell(row, "time_limit_days", _("“%(value)s” is not a number of working days (at least 0.5)")
                       % {"value": days_text})
        else:
            data["time_limit_days"] = days.quantize(Decimal("0.1"))
        for column, lookup in (("level", levels), ("online_level", online)):
            text = cell_text(values.get(column))
            if text:
                choice = match_choice(lookup, text)
                if choice is None:
                    errors.cell(row, column, _("unknown value “%(value)s”") % {"value": text})
                else:
                    data[column] = choice
        document_code = cell_text(values.get("document_code"))
        if len(document_code) > Document._meta.get_field("code").max_length:
            errors.cell(row, "document_code", _("too long"))
        procedure = procedures.get(code)
        if procedure is None:
            procedure = procedures[code] = _Procedure(row=row, code=code, data=data, document_code=document_code)
        else:
            for key, value in data.items():
                if procedure.data.setdefault(key, value) != value:
                    errors.cell(row, {"name": "procedure_name"}.get(key, key),
                               _("differs from row %(row)s of the same procedure") % {"row": procedure.row})
            if document_code and procedure.document_code and document_code != procedure.document_code:
                errors.cell(row, "document_code", _("differs from row %(row)s of the same procedure")
                           % {"row": procedure.row})
            procedure.document_code = procedure.document_code or document_code
        step_name = cell_text(values.get("step_name"))
        if not step_name:
            if any(cell_text(values.get(c)) for c in ("unit_code", "allowance_hours", "form_code")):
                errors.cell(row, "step_name", _("required when the row gives a step"))
            continue
        step = _parse_step(row, values, step_name, units, errors)
        if step is not None:
            procedure.steps.append(step)
    for procedure in procedures.values():
        _check_steps(procedure, errors)
    _check_documents(list(procedures.values()), agency, errors)
    return list(procedures.values()), errors


def _parse_step(row, values, name: str, units: dict, errors: RowErrors) -> _Step | None:
    bad = False
    number = None
    number_text = cell_text(values.get("step"))
    if number_text:
        parsed = _decimal(values.get("step"))
        if parsed is None or parsed != parsed.to_integral_value() or not 1 <= parsed <= MAX_STEPS:
            errors.cell(row, "step", _("“%(value)s” is not a step number") % {"value": number_text})
            bad = True
        else:
            number = int(parsed)
    if len(name) > 300:
        errors.cell(row, "step_name", _("too long (at most %(n)s characters)") % {"n": 300})
        bad = True
    unit_code = cell_text(values.get("unit_code"))
    if unit_code and unit_code.casefold() not in units:
        errors.cell(row, "unit_code", _("no unit with the code %(code)s in the agency") % {"code": unit_code})
        bad = True
    hours_text = cell_text(values.get("allowance_hours"))
    hours = _decimal(values.get("allowance_hours"))
    if not hours_text:
        errors.cell(row, "allowance_hours", _("required"))
        bad = True
    elif hours is None or hours < Decimal("0.25") or hours > Decimal(99999):
        errors.cell(row, "allowance_hours", _("“%(value)s” is not a number of working hours (at least 0.25)")
                   % {"value": hours_text})
        bad = True
    texts = {}
    for column, limit in (("form_code", 60), ("result", 300), ("responsible", 200)):
        texts[column], ok = _text(values, column, limit)
        if not ok:
            errors.cell(row, column, _("too long (at most %(n)s characters)") % {"n": limit})
            bad = True
    if bad:
        return None
    return _Step(row=row, number=number, name=name, unit_code=units.get(unit_code.casefold(), ""),
                 hours=hours.quantize(Decimal("0.01")), form=texts["form_code"], result=texts["result"],
                 responsible=texts["responsible"])


def _check_steps(procedure: _Procedure, errors: RowErrors) -> None:
    if not procedure.steps:
        return
    numbers = [s.number for s in procedure.steps]
    if any(n is not None for n in numbers):
        seen = {}
        for step in procedure.steps:
            if step.number is None:
                errors.cell(step.row, "step", _("required when other rows of the procedure number their steps"))
            elif step.number in seen:
                errors.cell(step.row, "step", _("step %(n)s is already in row %(row)s")
                           % {"n": step.number, "row": seen[step.number]})
            else:
                seen[step.number] = step.row
        procedure.steps.sort(key=lambda s: s.number or 0)
    if len(procedure.steps) > MAX_STEPS:
        errors.cell(procedure.row, "step", _("more than %(n)s steps") % {"n": MAX_STEPS})


def _steps_key(procedure: _Procedure) -> list:
    return [(s.name, s.unit_code, s.hours, s.form, s.result, s.responsible) for s in procedure.steps]


def _check_documents(procedures: list[_Procedure], agency: Agency, errors: RowErrors) -> None:
    """The operational procedure each TTHC's steps go to must be one, and get one set of steps."""
    existing = {p.code: p for p in AdminProcedure.objects.filter(agency=agency).select_related("process_document")}
    documents = {d.code: d for d in Document.objects.filter(agency=agency)}
    owners: dict[str, _Procedure] = {}
    for procedure in procedures:
        if not procedure.steps:
            if procedure.document_code and procedure.document_code not in documents \
                    and procedure.document_code not in owners:
                errors.cell(procedure.row, "document_code",
                           _("no operational procedure %(code)s in the agency or in the file with its steps")
                           % {"code": procedure.document_code})
            continue
        current = existing.get(procedure.code)
        code = procedure.document_code or (
            current.process_document.code if current and current.process_document else f"QT-{procedure.code}")
        procedure.document_code = code
        document = documents.get(code)
        if document is not None and document.kind != DocumentKind.OPERATIONAL_PROCEDURE:
            errors.cell(procedure.row, "document_code",
                       _("%(code)s is a document of another kind, not an operational procedure") % {"code": code})
        first = owners.get(code)
        if first is None:
            owners[code] = procedure
        elif _steps_key(first) != _steps_key(procedure):
            errors.cell(procedure.row, "steps", _("%(code)s covers the procedure of row %(row)s too, with other "
                                                 "steps") % {"code": code, "row": first.row})


# --- writing -----------------------------------------------------------------------------------------


IMPORTED_SUMMARY = "Ban hành theo danh mục TTHC được nhập"  # agency data, in its language (not UI text)


def _write(actor, agency: Agency, procedures: list[_Procedure], today: datetime.date, note: str) -> ImportResult:
    existing = {p.code: p for p in AdminProcedure.objects.filter(agency=agency).select_related("process_document")}
    documents = {d.code: d for d in Document.objects.filter(agency=agency)}
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    created = updated = unchanged = processes = new_documents = 0
    done_documents = set()
    for item in sorted(procedures, key=lambda p: not p.steps):  # documents first, then those citing them
        procedure = existing.get(item.code)
        is_new, changed = procedure is None, False
        if procedure is None:
            procedure = admin_procedure_create(actor=actor, agency=agency, code=item.code, note=note,
                                               action="import", **item.data)
            created += 1
            changed = True
        else:
            procedure, changed = _update(actor, procedure, item.data, note)
        document = documents.get(item.document_code) if item.document_code else None
        if item.steps:
            if document is None:
                title = f"Quy trình giải quyết TTHC {procedure.name}"  # data, in the agency's language
                document = document_create(actor=actor, agency=agency, code=item.document_code, title=title[:500],
                                           kind=DocumentKind.OPERATIONAL_PROCEDURE)
                documents[document.code] = document
                new_documents += 1
            if document.pk not in done_documents:
                done_documents.add(document.pk)
                if revision_issue_imported(actor=actor, document=document, on=today, summary=IMPORTED_SUMMARY,
                                           note=note):
                    changed = True
                _definition, made = process_definition_set(
                    actor=actor, document=document, source=DefinitionSource.IMPORT, note=note, steps=[
                        {"name": s.name, "unit": units.get(s.unit_code), "hours": s.hours, "form": s.form,
                         "result": s.result, "responsible": s.responsible} for s in item.steps])
                processes += made
                changed = changed or made
        if document is not None and procedure.process_document_id != document.pk:
            procedure, linked = _update(actor, procedure, {"process_document": document}, note)
            changed = changed or linked
        if not is_new:
            updated += changed
            unchanged += not changed
        existing[item.code] = procedure
    return ImportResult(created=created, updated=updated, unchanged=unchanged, processes=processes,
                        documents=new_documents)


def _update(actor, procedure, data, note) -> tuple[AdminProcedure, bool]:
    """Update only what the file changes; ``(procedure, changed)``."""
    data = {k: v for k, v in data.items() if getattr(procedure, k) != v}
    if not data:
        return procedure, False
    return admin_procedure_update(actor=actor, procedure=procedure, note=note, action="import", **data), True


@transaction.atomic
def admin_procedures_import(*, actor, file, filename: str, agency: Agency | None = None,
                            today: datetime.date | None = None) -> ImportResult:
    """Import the TTHC catalogue (and processes) of ``agency`` (or of the agency the file names)
    from a .json/.csv/.xlsx ``file`` (binary). Refused whole, with each bad row named, on any error."""
    kind = file_format(filename, FORMATS, FORMATS_MESSAGE)
    headers = None
    if kind == "json":
        file_agency, rows = _json_rows(file)
    else:
        table_rows, headers = _tabular_rows(file, filename)
        file_agency, rows = "", list(table_rows)
        codes = {cell_text(v.get("agency_code")) for _row, v in rows if v.get("agency_code") not in (None, "")}
        file_agency = next(iter(codes)) if len(codes) == 1 else ""
    if agency is None:
        if not file_agency:
            raise refuse_file(_("Say which agency the file is for (--agency CODE, or an agency code in the file)."))
        agency = Agency.objects.filter(code__iexact=file_agency).first()
        if agency is None:
            raise refuse_file(_("No agency with the code %(code)s.") % {"code": file_agency})
    elif file_agency and file_agency.casefold() != agency.code.casefold() and kind == "json":
        raise refuse_file(_("The file is for the agency %(code)s, not %(agency)s.")
                      % {"code": file_agency, "agency": agency.code})
    if actor is not None and not actor.has_perm("procedures.import_adminprocedure", agency):
        raise Forbidden()
    procedures, errors = _parse(rows, agency, headers)
    if errors:
        raise errors.refusal()
    if not procedures:
        raise refuse_file(_("The file has no procedures to import."))
    result = _write(actor, agency, procedures, today or timezone.localdate(), note=filename or "")
    if result.created or result.updated:
        audit_record(actor=actor, action="import", obj=agency, agency=agency.pk, note=filename or "", changes={
            "admin_procedures": [None, {"created": result.created, "updated": result.updated,
                                        "unchanged": result.unchanged, "processes": result.processes}]})
    return result


def summary(name: str, result: ImportResult) -> str:
    return _("%(name)s imported: %(created)s procedures added, %(updated)s updated, %(unchanged)s unchanged; "
             "%(processes)s processes set, %(documents)s operational procedures created.") % {
        "name": name, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
        "processes": result.processes, "documents": result.documents}
