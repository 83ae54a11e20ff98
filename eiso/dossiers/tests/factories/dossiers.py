"""A handful of dossiers of agency A (and one of agency B) at fixed dates, for the list, the
dossier page, the apology letter and the printed forms.

The procedure ``1.004227`` takes 3 working days in three steps (4 h at the one-stop desk, 16 h in
the unit, 4 h back at the desk). ``NOW`` is Friday 6 March 2026, 10:00 (Vietnam time).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from eiso.dossiers.models import Dossier
from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.procedures.tests.factories import procedure_with_process

Z = ZoneInfo("Asia/Ho_Chi_Minh")


def t(*args):
    return dt.datetime(*args, tzinfo=Z)


NOW = t(2026, 3, 6, 10)


def _received(code, at, *, applicant="", procedure="1.004227", agency="STP"):
    return EventRow(row=code, code=code, kind="received", at=at, agency_code=agency, procedure_code=procedure,
                    applicant=applicant, channel="direct")


def _event(code, kind, at, step=0):
    return EventRow(row=code, code=code, kind=kind, at=at, step=step)


def dossiers_of_agency_a(agency_a, unit_a, one_stop_a) -> dict[str, Dossier]:
    """``late`` (returned after Tết, late), ``early`` (returned a day early), ``overdue`` (open, due
    Wed 4/3 17:00), ``due_soon`` (open, due Mon 9/3 09:00), ``later`` (open, due next week),
    ``waiting`` (supplement requested: its clock is stopped)."""
    tthc, _definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    rows = [
        _received("STP-260213-0001", t(2026, 2, 13, 10), applicant="Nguyễn Văn An"),
        _event("STP-260213-0001", "step_done", t(2026, 2, 13, 14), 1),
        _event("STP-260213-0001", "step_done", t(2026, 2, 24, 9), 2),
        _event("STP-260213-0001", "step_done", t(2026, 2, 25, 11), 3),
        _event("STP-260213-0001", "returned", t(2026, 2, 25, 11)),
        _received("STP-260302-0002", t(2026, 3, 2, 8), applicant="Trần Thị Bình"),
        _event("STP-260302-0002", "step_done", t(2026, 3, 2, 9), 1),
        _event("STP-260302-0002", "step_done", t(2026, 3, 3, 10), 2),
        _event("STP-260302-0002", "step_done", t(2026, 3, 3, 15), 3),
        _event("STP-260302-0002", "returned", t(2026, 3, 3, 15)),
        _received("STP-260302-0003", t(2026, 3, 2, 8), applicant="Lê Văn Cường"),
        _event("STP-260302-0003", "step_done", t(2026, 3, 2, 11), 1),
        _received("STP-260304-0004", t(2026, 3, 4, 9), applicant="Phạm Thị Dung"),
        _received("STP-260305-0005", t(2026, 3, 5, 14), applicant="Hoàng Văn Em"),
        _received("STP-260302-0006", t(2026, 3, 2, 8), applicant="Đỗ Thị Giang"),
        _event("STP-260302-0006", "supplement_requested", t(2026, 3, 2, 10)),
    ]
    dossier_events_record(actor=None, rows=rows, source="test")
    names = {"STP-260213-0001": "late", "STP-260302-0002": "early", "STP-260302-0003": "overdue",
             "STP-260304-0004": "due_soon", "STP-260305-0005": "later", "STP-260302-0006": "waiting"}
    found = {names[d.code]: d for d in Dossier.objects.filter(code__in=names)}
    found["tthc"] = tthc
    return found


def dossier_of_agency_b(agency_b, unit_b) -> Dossier:
    procedure_with_process(agency_b, unit=unit_b, code="1.009999", name="Cấp giấy phép xây dựng",
                           document_code="QT-XD-01")
    dossier_events_record(actor=None, source="test", rows=[
        _received("SXD-260302-0001", t(2026, 3, 2, 8), applicant="Người nộp của Sở B", procedure="1.009999",
                  agency="SXD")])
    return Dossier.objects.get(code="SXD-260302-0001")
