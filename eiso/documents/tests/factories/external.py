"""Small builders for the external register and records tests (plain rows, no service calls,
so a test of a service sets up exactly what it needs)."""

import datetime
import itertools

from eiso.documents.choices import DocumentKind, ExternalDocumentStatus, ExternalDocumentType
from eiso.documents.models import Document, ExternalDocument, FileList, RecordFile, RecordType

_n = itertools.count(1)


def procedure(
    agency, code=None, title="Quy trình cấp phiếu lý lịch tư pháp", unit=None, kind=DocumentKind.OPERATIONAL_PROCEDURE
) -> Document:
    return Document.objects.create(
        agency=agency, code=code or f"QT-{next(_n):02d}", title=title, kind=kind, owner_unit=unit
    )


def external(
    agency,
    number=None,
    *,
    doc_type=ExternalDocumentType.DECREE,
    title="Về thực hiện cơ chế một cửa",
    issuer="Chính phủ",
    effective_on=datetime.date(2018, 6, 21),
    status=ExternalDocumentStatus.IN_FORCE,
    **extra,
) -> ExternalDocument:
    return ExternalDocument.objects.create(
        agency=agency,
        number=number or f"{next(_n)}/2018/NĐ-CP",
        doc_type=doc_type,
        title=title,
        issuer=issuer,
        effective_on=effective_on,
        status=status,
        **extra,
    )


def record_type(agency, code=None, name="Sổ theo dõi hồ sơ", retention_years=5, **extra) -> RecordType:
    return RecordType.objects.create(
        agency=agency, code=code or f"HS-{next(_n):02d}", name=name, retention_years=retention_years, **extra
    )


def file_list(agency, unit, year=2020) -> FileList:
    return FileList.objects.create(agency=agency, unit=unit, year=year)


def record_file(the_list, code=None, title="Hồ sơ cấp phiếu lý lịch tư pháp năm 2020", **extra) -> RecordFile:
    return RecordFile.objects.create(file_list=the_list, code=code or f"{next(_n):02d}.HC", title=title, **extra)
