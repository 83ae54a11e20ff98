"""Import of an agency's external (legal) document register from .xlsx/.csv (or mappings).

    eiso import external-documents FILE --agency CODE

Every row is checked first: a file with any bad row is refused whole, naming each bad row and
column, and nothing is written. Entries are matched by their number, so importing the same file
again changes nothing; a row that names the document replacing it is replaced once every document
of the file exists.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from eiso.core.audit import audit_record
from eiso.core.errors import ValidationFailed
from eiso.core.policy import require
from eiso.core.tabular import (
    RowErrors,
    cell_text,
    choice_lookup,
    match_choice,
    parse_date,
    read_table,
    refuse_file,
    row_error,
    table_from_mappings,
)
from eiso.documents.choices import ExternalDocumentStatus, ExternalDocumentType
from eiso.documents.models import ExternalDocument
from eiso.documents.services.external import external_document_create, external_document_update

IMPORT_COLUMNS = {
    "number": ["số ký hiệu", "số, ký hiệu", "số hiệu", "ký hiệu", "số", "number and symbol"],
    "type": ["doc_type", "loại", "loại văn bản", "hình thức văn bản"],
    "title": ["trích yếu", "tên văn bản", "tên", "trích yếu nội dung", "tiêu đề"],
    "issuer": ["cơ quan ban hành", "nơi ban hành", "issued by"],
    "issued_on": ["ngày ban hành", "issue date"],
    "effective_on": ["ngày hiệu lực", "ngày có hiệu lực", "hiệu lực từ", "effective date"],
    "expires_on": ["ngày hết hiệu lực", "hết hiệu lực từ", "expiry date"],
    "status": ["tình trạng", "tình trạng hiệu lực", "trạng thái"],
    "replaced_by": ["thay thế bởi", "được thay thế bởi", "văn bản thay thế", "replaced by"],
    "note": ["ghi chú", "notes"],
}
IMPORT_REQUIRED = ("number", "type", "title", "issuer")
# Names agencies write in their registers, besides the codes and the labels in both languages.
TYPE_NAMES = [
    (ExternalDocumentType.LAW, ["Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"]),
    (ExternalDocumentType.DECREE, ["Nghị định", "NĐ"]),
    (ExternalDocumentType.CIRCULAR, ["Thông tư", "Thông tư liên tịch", "TT", "TTLT"]),
    (ExternalDocumentType.DECISION, ["Quyết định", "QĐ"]),
    (ExternalDocumentType.RESOLUTION, ["Nghị quyết", "NQ"]),
    (ExternalDocumentType.STANDARD, ["Tiêu chuẩn", "TCVN", "Tiêu chuẩn quốc gia", "ISO"]),
    (ExternalDocumentType.OTHER, ["Khác", "Chỉ thị", "Công văn", "Kế hoạch", "Hướng dẫn"]),
]
STATUS_NAMES = [
    (ExternalDocumentStatus.IN_FORCE, ["Còn hiệu lực", "Đang có hiệu lực", "Có hiệu lực", "Hiệu lực"]),
    (
        ExternalDocumentStatus.PARTLY_AMENDED,
        [
            "Được sửa đổi, bổ sung",
            "Sửa đổi, bổ sung một phần",
            "Hết hiệu lực một phần",
            "Được sửa đổi một phần",
            "Sửa đổi",
        ],
    ),
    (
        ExternalDocumentStatus.EXPIRED,
        ["Hết hiệu lực", "Hết hiệu lực toàn bộ", "Đã bị thay thế", "Bị thay thế"],
    ),
    (ExternalDocumentStatus.NOT_YET, ["Chưa có hiệu lực", "Chưa hiệu lực"]),
]


def _labels(choices) -> list[tuple[str, list[str]]]:
    names = []
    for language in ("vi", "en"):
        with override(language):
            names.append([(value, [str(label)]) for value, label in choices.choices])
    return [pair for group in names for pair in group]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class _Row:
    row: int
    number: str
    data: dict  # model field → value (only the columns the file has)
    replaced_by: str | None  # a number, resolved after every row exists


def _parse_rows(table, register_numbers: set[str]) -> tuple[list[_Row], RowErrors]:
    """Every row checked before anything is written: the parsed rows, and one message per bad cell."""
    types = choice_lookup(TYPE_NAMES, _labels(ExternalDocumentType))
    statuses = choice_lookup(STATUS_NAMES, _labels(ExternalDocumentStatus))
    max_length = {f: ExternalDocument._meta.get_field(f).max_length for f in ("number", "title", "issuer")}
    parsed, errors, seen = [], RowErrors(headers=table.headers), {}
    for row, values in table.rows:
        bad = []
        data = {}
        for column, field in (("number", "number"), ("title", "title"), ("issuer", "issuer")):
            text = cell_text(values.get(column))
            if not text:
                bad.append((column, _("required")))
            elif len(text) > max_length[field]:
                bad.append((column, _("too long (at most %(n)s characters)") % {"n": max_length[field]}))
            data[field] = text
        type_text = cell_text(values.get("type"))
        data["doc_type"] = match_choice(types, type_text)
        if not type_text:
            bad.append(("type", _("required")))
        elif data["doc_type"] is None:
            bad.append(("type", _("unknown type “%(value)s”") % {"value": type_text}))
        for column in ("issued_on", "effective_on", "expires_on"):
            if column in table.columns:
                try:
                    data[column] = parse_date(values.get(column))
                except (ValueError, TypeError, OverflowError):
                    bad.append((column, _("invalid date")))
        if data.get("effective_on") and data.get("expires_on") and data["expires_on"] < data["effective_on"]:
            bad.append(("expires_on", _("before the effective date")))
        if "status" in table.columns:
            status_text = cell_text(values.get("status"))
            if status_text:
                data["status"] = match_choice(statuses, status_text)
                if data["status"] is None:
                    bad.append(("status", _("unknown status “%(value)s”") % {"value": status_text}))
        if "note" in table.columns:
            data["note"] = cell_text(values.get("note"))
        replaced_by = None
        if "replaced_by" in table.columns:
            replaced_by = cell_text(values.get("replaced_by")) or None
            if replaced_by and replaced_by == data["number"]:
                bad.append(("replaced_by", _("a document cannot replace itself")))
            elif replaced_by and data.get("status") not in (None, ExternalDocumentStatus.EXPIRED):
                bad.append(("status", _("a replaced document is no longer in force")))
        number = data["number"]
        if number and number in seen:
            bad.append(
                (
                    "number",
                    _("%(number)s is already in row %(row)s") % {"number": number, "row": seen[number]},
                )
            )
        elif number:
            seen[number] = row
        for column, message in bad:
            errors.cell(row, column, message)
        if not bad:
            parsed.append(_Row(row=row, number=number, data=data, replaced_by=replaced_by))
    for item in parsed:
        if item.replaced_by and item.replaced_by not in seen and item.replaced_by not in register_numbers:
            errors.cell(
                item.row,
                "replaced_by",
                _("no document numbered %(number)s in the file or the register") % {"number": item.replaced_by},
            )
    return parsed, errors


@contextmanager
def _naming_the_row(row: int, column: str | None = None):
    """A refusal while writing a row (a rule only the database knows) names the row and column."""
    try:
        yield
    except ValidationFailed as exc:
        field = column or next(iter(exc.errors), "")
        field = {"doc_type": "type", "__all__": "expires_on"}.get(field, field)
        raise refuse_file(row_error(row, str(exc.message), field))


def _open_table(rows_or_file, filename: str):
    if hasattr(rows_or_file, "read"):
        return read_table(rows_or_file, filename, aliases=IMPORT_COLUMNS, required=IMPORT_REQUIRED)
    return table_from_mappings(rows_or_file, aliases=IMPORT_COLUMNS, required=IMPORT_REQUIRED)


@transaction.atomic
def external_documents_import(*, actor, agency, rows_or_file, filename: str = "") -> ImportResult:
    """Import the register from an .xlsx/.csv file (or a list of mappings), matching entries by
    number. Every row is validated first; one bad row refuses the whole file, with a message per
    bad row and column, and nothing is written. Importing the same file again changes nothing."""
    require(actor, "documents.add_externaldocument", agency)
    table = _open_table(rows_or_file, filename)
    existing = {d.number: d for d in ExternalDocument.objects.filter(agency=agency).select_related("replaced_by")}
    rows, errors = _parse_rows(table, set(existing))
    if errors:
        raise errors.refusal()
    if not rows:
        raise refuse_file(_("The file has no rows to import."))
    created = updated = unchanged = 0
    for item in rows:
        data = dict(item.data)
        if item.replaced_by:  # the status moves with the replacement, in the second pass
            data.pop("status", None)
        document = existing.get(item.number)
        if document is None:
            data.pop("number")
            with _naming_the_row(item.row):
                existing[item.number] = external_document_create(actor=actor, agency=agency, number=item.number, **data)
            created += 1
            continue
        data = {k: v for k, v in data.items() if getattr(document, k) != v}
        target = existing.get(item.replaced_by) if item.replaced_by else None
        replacing = item.replaced_by and (
            target is None
            or target.pk != document.replaced_by_id
            or document.status != (item.data.get("status") or ExternalDocumentStatus.EXPIRED)
        )
        if data:
            with _naming_the_row(item.row):
                existing[item.number] = external_document_update(actor=actor, document=document, **data)
        if data or replacing:
            updated += 1
        else:
            unchanged += 1
    for item in rows:  # replacements, once every document of the file exists
        if item.replaced_by is None:
            continue
        document, replacement = existing[item.number], existing[item.replaced_by]
        data = {
            "replaced_by": replacement,
            "status": item.data.get("status") or ExternalDocumentStatus.EXPIRED,
        }
        if document.replaced_by_id == replacement.pk and document.status == data["status"]:
            continue
        with _naming_the_row(item.row, "replaced_by"):
            existing[item.number] = external_document_update(actor=actor, document=document, **data)
    audit_record(
        actor=actor,
        action="import",
        obj=agency,
        agency=agency.pk,
        changes={"external_documents": [None, {"created": created, "updated": updated, "unchanged": unchanged}]},
        note=filename or "",
    )
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
