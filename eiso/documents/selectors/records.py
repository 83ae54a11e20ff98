"""Scoped reads of record types, file lists, record files and the files due for disposal.

Every query starts from the app's scope policy; ``*_get_for_user`` raise NotFound outside it.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from eiso.core.selectors import by_agency, get_or_404
from eiso.core.text import fold, is_id
from eiso.documents.choices import PROCEDURE_KINDS
from eiso.documents.models import Document, FileList, RecordFile, RecordType
from eiso.documents.periods import retention_cutoff
from eiso.documents.permissions import policy

# --- record types ----------------------------------------------------------------------------------


def record_types_for_user(user, *, q: str = "", agency: str = "", unit: str = "", document: str = ""):
    qs = policy.filter(user, "view_recordtype", RecordType.objects).select_related(
        "agency", "responsible_unit", "document")
    if q:
        folded = fold(q.strip())
        matches = [pk for pk, code, name in qs.values_list("pk", "code", "name") if folded in fold(f"{code} {name}")]
        qs = qs.filter(pk__in=matches)
    if unit and is_id(unit):
        qs = qs.filter(responsible_unit_id=int(unit))
    if document and is_id(document):
        qs = qs.filter(document_id=int(document))
    qs = by_agency(qs, agency)
    return qs.annotate(file_count=Count("files")).order_by("agency__name", "code")


def record_type_get_for_user(user, pk) -> RecordType:
    return get_or_404(record_types_for_user(user), pk)


def procedure_documents_for_user(user, agencies):
    """The procedures of ``agencies`` (within the user's scope) a record type, a nonconformity or a
    risk may belong to: a form's choices."""
    return (
        policy.filter(user, "view_document", Document.objects).filter(kind__in=PROCEDURE_KINDS)
        .filter(agency__in=agencies)
        .select_related("agency")
        .order_by("agency__name", "code")
    )


# --- file lists ------------------------------------------------------------------------------------


def file_lists_for_user(user, *, agency: str = "", unit: str = "", year: str = "", q: str = ""):
    qs = policy.filter(user, "view_filelist", FileList.objects).select_related("agency", "unit", "approved_by")
    if unit and is_id(unit):
        qs = qs.filter(unit_id=int(unit))
    if year and is_id(year):
        qs = qs.filter(year=int(year))
    if q:
        qs = qs.filter(Q(unit__name__icontains=q.strip()) | Q(unit__code__icontains=q.strip()))
    qs = by_agency(qs, agency)
    return qs.annotate(
        file_count=Count("files"), disposed_count=Count("files", filter=Q(files__disposed_on__isnull=False))
    ).order_by("agency__name", "-year", "unit__name")


def file_list_get_for_user(user, pk) -> FileList:
    return get_or_404(file_lists_for_user(user), pk)


def file_list_years(user) -> list[int]:
    return list(
        policy.filter(user, "view_filelist", FileList.objects).order_by("-year")
        .values_list("year", flat=True).distinct()
    )


def files_of(file_list: FileList):
    """The coded files of a list, by code."""
    return file_list.files.select_related("record_type").order_by("code")


# --- record files ----------------------------------------------------------------------------------


def record_files_for_user(user):
    # Always ordered explicitly: RecordFile's default ordering (through file_list) makes Django
    # raise "Infinite loop caused by ordering".
    return (
        policy.filter(user, "view_filelist", RecordFile.objects)
        .select_related("file_list", "file_list__agency", "file_list__unit", "record_type")
        .order_by("file_list_id", "code")
    )


def record_file_get_for_user(user, pk) -> RecordFile:
    return get_or_404(record_files_for_user(user), pk)


def records_past_retention(user, today: datetime.date | None = None, *, agency: str = "", unit: str = "", q: str = ""):
    """Files not yet disposed of whose retention has ended (closed_on + retention years < today);
    files kept permanently or still open never appear."""
    today = today or timezone.localdate()
    qs = record_files_for_user(user).filter(
        disposed_on__isnull=True, closed_on__isnull=False, retention_years__isnull=False
    )
    qs = by_agency(qs, agency, "file_list__agency")
    if unit and is_id(unit):
        qs = qs.filter(file_list__unit_id=int(unit))
    if q:
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(title__icontains=q.strip()))
    years = sorted(set(qs.order_by().values_list("retention_years", flat=True)))  # no Meta ordering: it loops
    condition = Q(pk__in=[])
    for n in years:
        condition |= Q(retention_years=n, closed_on__lt=retention_cutoff(today, n))
    return qs.filter(condition).order_by("file_list__agency__name", "closed_on", "code")
