"""Scoped reads of record types, file lists, record files and the files due for disposal.

Every query starts from ``visible_agencies(user)``; ``*_get_for_user`` raise NotFound outside it.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from eiso.core.errors import NotFound
from eiso.core.text import fold
from eiso.documents.choices import PROCEDURE_KINDS
from eiso.documents.models import Document, FileList, RecordFile, RecordType
from eiso.documents.periods import retention_cutoff
from eiso.organizations.selectors import visible_agencies


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, queryset.model.DoesNotExist):
        raise NotFound()


def _is_id(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) < 19


def _by_agency(qs, agency, field="agency"):
    if not agency:
        return qs
    if _is_id(agency):
        return qs.filter(**{f"{field}_id": int(agency)})
    return qs.filter(**{f"{field}__code": agency})


def _visible(user):
    return visible_agencies(user).values("pk")


# --- record types ----------------------------------------------------------------------------------


def record_types_for_user(user, *, q: str = "", agency: str = "", unit: str = "", document: str = ""):
    qs = RecordType.objects.filter(agency__in=_visible(user)).select_related("agency", "responsible_unit", "document")
    if q:
        folded = fold(q.strip())
        matches = [pk for pk, code, name in qs.values_list("pk", "code", "name") if folded in fold(f"{code} {name}")]
        qs = qs.filter(pk__in=matches)
    if unit and _is_id(unit):
        qs = qs.filter(responsible_unit_id=int(unit))
    if document and _is_id(document):
        qs = qs.filter(document_id=int(document))
    qs = _by_agency(qs, agency)
    return qs.annotate(file_count=Count("files")).order_by("agency__name", "code")


def record_type_get_for_user(user, pk) -> RecordType:
    return _get(record_types_for_user(user), pk)


def procedure_documents_for_user(user, agencies):
    """The procedures of ``agencies`` (within the user's scope) a record type, a nonconformity or a
    risk may belong to: a form's choices."""
    return (
        Document.objects.filter(agency__in=_visible(user), kind__in=PROCEDURE_KINDS)
        .filter(agency__in=agencies)
        .select_related("agency")
        .order_by("agency__name", "code")
    )


# --- file lists ------------------------------------------------------------------------------------


def file_lists_for_user(user, *, agency: str = "", unit: str = "", year: str = "", q: str = ""):
    qs = FileList.objects.filter(agency__in=_visible(user)).select_related("agency", "unit", "approved_by")
    if unit and _is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if year and _is_id(year):
        qs = qs.filter(year=int(year))
    if q:
        qs = qs.filter(Q(unit__name__icontains=q.strip()) | Q(unit__code__icontains=q.strip()))
    qs = _by_agency(qs, agency)
    return qs.annotate(
        file_count=Count("files"), disposed_count=Count("files", filter=Q(files__disposed_on__isnull=False))
    ).order_by("agency__name", "-year", "unit__name")


def file_list_get_for_user(user, pk) -> FileList:
    return _get(file_lists_for_user(user), pk)


def file_list_years(user) -> list[int]:
    return list(
        FileList.objects.filter(agency__in=_visible(user)).order_by("-year").values_list("year", flat=True).distinct()
    )


def files_of(file_list: FileList):
    """The coded files of a list, by code."""
    return file_list.files.select_related("record_type").order_by("code")


# --- record files ----------------------------------------------------------------------------------


def record_files_for_user(user):
    # Always ordered explicitly: RecordFile's default ordering (through file_list) makes Django
    # raise "Infinite loop caused by ordering".
    return (
        RecordFile.objects.filter(file_list__agency__in=_visible(user))
        .select_related("file_list", "file_list__agency", "file_list__unit", "record_type")
        .order_by("file_list_id", "code")
    )


def record_file_get_for_user(user, pk) -> RecordFile:
    return _get(record_files_for_user(user), pk)


def records_past_retention(user, today: datetime.date | None = None, *, agency: str = "", unit: str = "", q: str = ""):
    """Files not yet disposed of whose retention has ended (closed_on + retention years < today);
    files kept permanently or still open never appear."""
    today = today or timezone.localdate()
    qs = record_files_for_user(user).filter(
        disposed_on__isnull=True, closed_on__isnull=False, retention_years__isnull=False
    )
    qs = _by_agency(qs, agency, "file_list__agency")
    if unit and _is_id(unit):
        qs = qs.filter(file_list__unit_id=int(unit))
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(title__icontains=q.strip()))
    years = sorted(set(qs.order_by().values_list("retention_years", flat=True)))  # no Meta ordering: it loops
    condition = Q(pk__in=[])
    for n in years:
        condition |= Q(retention_years=n, closed_on__lt=retention_cutoff(today, n))
    return qs.filter(condition).order_by("file_list__agency__name", "closed_on", "code")
