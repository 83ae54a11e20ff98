"""Records (hồ sơ): record types per procedure, each unit's yearly file list (danh mục hồ sơ) with
its coded files, and the disposal of files past their retention period."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record
from eiso.core.errors import Conflict, ValidationFailed
from eiso.core.policy import require
from eiso.core.search import search_index
from eiso.core.services import model_create, model_update
from eiso.documents.choices import PROCEDURE_KINDS
from eiso.documents.models import FileList, RecordFile, RecordType
from eiso.documents.periods import is_past_retention, retention_ends

RECORD_TYPE_FIELDS = ["code", "name", "retention_years", "storage_place", "responsible_unit", "document"]
RECORD_FILE_FIELDS = [
    "code",
    "title",
    "record_type",
    "opened_on",
    "closed_on",
    "retention_years",
    "keeper",
    "location",
]
FROM_RECORD_TYPE = object()  # recordfile_create's retention default: the record type's
MIN_YEAR, MAX_YEAR = 1945, 2100




def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _strip(data: dict, *keys) -> None:
    for key in keys:
        if isinstance(data.get(key), str):
            data[key] = data[key].strip()


# --- search ---------------------------------------------------------------------------------------


def index_record_type(record_type: RecordType) -> None:
    parts = [record_type.storage_place]
    if record_type.responsible_unit_id:
        parts.append(record_type.responsible_unit.name)
    if record_type.document_id:
        parts.append(str(record_type.document))
    search_index(
        obj=record_type,
        agency_id=record_type.agency_id,
        kind="record",
        title=f"{record_type.code} {record_type.name}",
        body="\n".join(p for p in parts if p),
        url=reverse("documents:recordtype-detail", args=[record_type.pk]),
    )


def index_record_file(file: RecordFile) -> None:
    file_list = file.file_list
    parts = [str(file_list), file.keeper, file.location]
    if file.record_type_id:
        parts.append(str(file.record_type))
    search_index(
        obj=file,
        agency_id=file_list.agency_id,
        kind="record",
        title=f"{file.code} {file.title}",
        body="\n".join(p for p in parts if p),
        url=reverse("documents:filelist-detail", args=[file_list.pk]) + f"#file-{file.pk}",
    )


# --- record types ----------------------------------------------------------------------------------


def _check_record_type_links(agency_id: int, data: dict) -> None:
    unit = data.get("responsible_unit")
    if unit is not None and unit.agency_id != agency_id:
        raise _invalid("responsible_unit", _("The unit does not belong to the agency."))
    document = data.get("document")
    if document is not None:
        if document.agency_id != agency_id:
            raise _invalid("document", _("The procedure belongs to another agency."))
        if document.kind not in PROCEDURE_KINDS:
            raise _invalid("document", _("Choose a procedure."))


@transaction.atomic
def recordtype_create(
    *,
    actor,
    agency,
    code: str,
    name: str,
    retention_years: int | None = None,
    storage_place: str = "",
    responsible_unit=None,
    document=None,
) -> RecordType:
    """A kind of record a procedure keeps. ``retention_years`` None means kept permanently."""
    require(actor, "documents.add_recordtype", agency)
    data = {
        "agency": agency,
        "code": code,
        "name": name,
        "retention_years": retention_years,
        "storage_place": storage_place or "",
        "responsible_unit": responsible_unit,
        "document": document,
    }
    _strip(data, "code", "name", "storage_place")
    _check_record_type_links(agency.pk, data)
    record_type = model_create(model=RecordType, actor=actor, data=data)
    index_record_type(record_type)
    return record_type


@transaction.atomic
def recordtype_update(*, actor, record_type: RecordType, **data) -> RecordType:
    record_type = RecordType.objects.select_for_update().get(pk=record_type.pk)
    require(actor, "documents.change_recordtype", record_type)
    _strip(data, "code", "name", "storage_place")
    _check_record_type_links(record_type.agency_id, data)
    record_type, changes = model_update(obj=record_type, data=data, fields=RECORD_TYPE_FIELDS, actor=actor)
    if changes:
        index_record_type(record_type)
        if {"code", "name"} & set(changes):
            for file in record_type.files.select_related("file_list", "record_type").order_by("pk"):
                index_record_file(file)
    return record_type


# --- file lists ------------------------------------------------------------------------------------


@transaction.atomic
def filelist_create(*, actor, agency, unit, year: int) -> FileList:
    """A unit's file list for one year (one per unit and year)."""
    require(actor, "documents.add_filelist", FileList(agency=agency, unit=unit))
    if unit is None or unit.agency_id != agency.pk:
        raise _invalid("unit", _("The unit does not belong to the agency."))
    if year is None or not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise _invalid("year", _("Give a year between %(low)s and %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR})
    return model_create(model=FileList, actor=actor, data={"agency": agency, "unit": unit, "year": int(year)})


# --- record files ----------------------------------------------------------------------------------


def _check_file(file_list: FileList, data: dict) -> None:
    record_type = data.get("record_type")
    if record_type is not None and record_type.agency_id != file_list.agency_id:
        raise _invalid("record_type", _("The record type belongs to another agency."))
    opened, closed = data.get("opened_on"), data.get("closed_on")
    if opened and closed and closed < opened:
        raise _invalid("closed_on", _("A file cannot close before it opens."))


@transaction.atomic
def recordfile_create(
    *,
    actor,
    file_list: FileList,
    code: str,
    title: str,
    record_type=None,
    opened_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    retention_years=FROM_RECORD_TYPE,
    keeper: str = "",
    location: str = "",
) -> RecordFile:
    """A coded file in a file list. Its retention defaults to its record type's (None: permanent)."""
    require(actor, "documents.change_filelist", file_list)
    if retention_years is FROM_RECORD_TYPE:
        retention_years = record_type.retention_years if record_type is not None else None
    data = {
        "file_list": file_list,
        "code": code,
        "title": title,
        "record_type": record_type,
        "opened_on": opened_on,
        "closed_on": closed_on,
        "retention_years": retention_years,
        "keeper": keeper or "",
        "location": location or "",
    }
    _strip(data, "code", "title", "keeper", "location")
    _check_file(file_list, data)
    file = model_create(model=RecordFile, actor=actor, data=data)
    index_record_file(file)
    return file


@transaction.atomic
def recordfile_update(*, actor, file: RecordFile, **data) -> RecordFile:
    file = RecordFile.objects.select_for_update(of=("self",)).select_related("file_list").get(pk=file.pk)
    require(actor, "documents.change_filelist", file.file_list)
    if file.disposed_on:
        raise Conflict(
            _("This file was disposed of on %(day)s: it can no longer change.")
            % {"day": file.disposed_on.strftime("%d/%m/%Y")}
        )
    _strip(data, "code", "title", "keeper", "location")
    merged = {f: data.get(f, getattr(file, f)) for f in ("record_type", "opened_on", "closed_on")}
    _check_file(file.file_list, merged)
    file, changes = model_update(obj=file, data=data, fields=RECORD_FILE_FIELDS, actor=actor)
    if changes:
        index_record_file(file)
    return file


@transaction.atomic
def recordfile_dispose(
    *,
    actor,
    file: RecordFile,
    disposed_on: datetime.date | None = None,
    note: str,
    today: datetime.date | None = None,
) -> RecordFile:
    """Record the disposal of a file whose retention has ended (closed_on + retention years
    before the disposal day); a file kept permanently, or still open, is never disposed of."""
    today = today or timezone.localdate()
    disposed_on = disposed_on or today
    file = RecordFile.objects.select_for_update(of=("self",)).select_related("file_list").get(pk=file.pk)
    require(actor, "documents.dispose_recordfile", file)
    if file.disposed_on:
        raise Conflict(
            _("This file was already disposed of on %(day)s.") % {"day": file.disposed_on.strftime("%d/%m/%Y")}
        )
    if file.retention_years is None:
        raise Conflict(_("This file is kept permanently and is never disposed of."))
    if file.closed_on is None:
        raise Conflict(_("This file is still open: close it first."))
    if disposed_on > today:
        raise _invalid("disposed_on", _("The disposal date cannot be in the future."))
    if not is_past_retention(file.closed_on, file.retention_years, disposed_on):
        raise Conflict(
            _("This file must be kept until %(day)s.")
            % {"day": retention_ends(file.closed_on, file.retention_years).strftime("%d/%m/%Y")}
        )
    note = (note or "").strip()
    if not note:
        raise _invalid("note", _("Give the disposal record (e.g. the number of the disposal minutes)."))
    file.disposed_on, file.disposal_note = disposed_on, note[:300]
    file.save(update_fields=["disposed_on", "disposal_note"])
    audit_record(
        actor=actor,
        action="dispose",
        obj=file,
        agency=file.file_list.agency_id,
        changes={"disposed_on": [None, disposed_on.isoformat()], "disposal_note": [None, file.disposal_note]},
    )
    index_record_file(file)
    return file
