"""Test data of the feedback app: a TTHC with dossiers received (and returned) on given days."""

import datetime

from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.procedures.tests.factories import procedure_with_process


def make_dossiers(agency, *, unit=None, count=3, code="1.004227", prefix="STP-2603", received=None,
                  returned_after_days=2, document_code="QT-HT-01", name="Đăng ký khai sinh có yếu tố nước ngoài"):
    """``count`` dossiers of a new TTHC (its procedure owned by ``unit``), received on ``received``
    (default 2 March 2026) one per day and returned ``returned_after_days`` later (None: not yet)."""
    procedure, _definition = procedure_with_process(agency, unit=unit, code=code, document_code=document_code,
                                                    name=name)
    start = received or datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    rows, n = [], 0
    for i in range(count):
        at = start + datetime.timedelta(days=i)
        dossier_code = f"{prefix}-{i + 1:04d}"
        n += 1
        rows.append(EventRow(row=n, code=dossier_code, kind="received", at=at, agency_code=agency.code,
                             procedure_code=code, applicant=f"Công dân {i + 1}"))
        if returned_after_days is not None:
            n += 1
            rows.append(EventRow(row=n, code=dossier_code, kind="returned",
                                 at=at + datetime.timedelta(days=returned_after_days)))
    dossier_events_record(actor=None, source="test", rows=rows)
    return procedure, list(Dossier.objects.filter(agency=agency, code__startswith=prefix).order_by("code"))
