"""Dossiers with known results for the statistics tests, recorded through the public service.

Procedure P1 (1.004227, 3 steps of 4 h + 16 h + 4 h, limit 3 days) of agency A, received Monday
2 March 2026 08:00 (due Wednesday 4 March 17:00) unless said otherwise:

====  =================  ========  ========  ========  =========
code  finished           step 1    step 2    step 3    dossier
====  =================  ========  ========  ========  =========
D1    Tue 3/3 11:00      on time   early     on time   early
D2    Thu 5/3 10:00      on time   late      on time   late
D3    Wed 4/3 15:00      on time   on time   on time   on time
D4    Tue 7/4 11:00 (*)  late      early     on time   early
====  =================  ========  ========  ========  =========

(*) received Monday 6 April 2026 08:00.

Procedure P2 (1.000002, same process shape) of agency A: D5, late in March (steps 1 and 2 late).
Procedure PB (2.000001) of agency B: DB1, late in March.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from eiso.dossiers.services.recording import EventRow, dossier_events_record
from eiso.procedures.tests.factories import procedure_with_process

Z = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


def t(*args):
    return dt.datetime(*args, tzinfo=Z)


def dossier_rows(code, agency, procedure, received, steps, returned):
    out = [EventRow(row=f"{code}-0", code=code, kind="received", at=received, agency_code=agency,
                    procedure_code=procedure)]
    out += [EventRow(row=f"{code}-{n}", code=code, kind="step_done", at=at, step=n)
            for n, at in enumerate(steps, start=1)]
    if returned:
        out.append(EventRow(row=f"{code}-r", code=code, kind="returned", at=returned))
    return out


def build(*, agency_a, unit_a, one_stop_a, agency_b, unit_b, a_secretary, b_head, extra_a=0):
    """Record the dossiers above; ``extra_a`` more procedures of agency A, each with one dossier
    finished in a different month (for query-count tests). Returns the procedures."""
    p1, _d = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    p2, _d = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a, code="1.000002",
                                    name="Cấp bản sao trích lục hộ tịch", document_code="QT-HT-02")
    pb, _d = procedure_with_process(agency_b, unit=unit_b, code="2.000001", name="Cấp giấy phép xây dựng",
                                    document_code="QT-XD-01")
    mon = t(2026, 3, 2, 8)
    rows_a = []
    rows_a += dossier_rows("D1", "STP", "1.004227", mon, [t(2026, 3, 2, 10), t(2026, 3, 3, 10), t(2026, 3, 3, 11)],
                           t(2026, 3, 3, 11))
    rows_a += dossier_rows("D2", "STP", "1.004227", mon, [t(2026, 3, 2, 11), t(2026, 3, 5, 9), t(2026, 3, 5, 10)],
                           t(2026, 3, 5, 10))
    rows_a += dossier_rows("D3", "STP", "1.004227", mon, [t(2026, 3, 2, 11), t(2026, 3, 4, 10), t(2026, 3, 4, 15)],
                           t(2026, 3, 4, 15))
    rows_a += dossier_rows("D4", "STP", "1.004227", t(2026, 4, 6, 8),
                           [t(2026, 4, 6, 13), t(2026, 4, 7, 10), t(2026, 4, 7, 11)], t(2026, 4, 7, 11))
    rows_a += dossier_rows("D5", "STP", "1.000002", mon, [t(2026, 3, 3, 9), t(2026, 3, 6, 9), t(2026, 3, 6, 10)],
                           t(2026, 3, 6, 10))
    # An open dossier, overdue on 20 March 2026 (due Wed 11 March 17:00).
    rows_a += dossier_rows("D6", "STP", "1.004227", t(2026, 3, 9, 8), [t(2026, 3, 9, 9)], None)
    extra = []
    for i in range(extra_a):
        code = f"9.{i:06d}"
        extra.append(procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a, code=code,
                                            name=f"Thủ tục {i}", document_code=f"QT-X-{i}")[0])
        month = 1 + i % 12
        start = t(2025, month, 6, 8) if dt.date(2025, month, 6).weekday() < 5 else t(2025, month, 8, 8)
        rows_a += dossier_rows(f"X{i}", "STP", code, start, [start + dt.timedelta(hours=1)], start +
                               dt.timedelta(hours=2))
    dossier_events_record(actor=a_secretary, rows=rows_a, source="test")
    rows_b = dossier_rows("DB1", "SXD", "2.000001", mon, [t(2026, 3, 2, 9), t(2026, 3, 9, 9), t(2026, 3, 9, 10)],
                          t(2026, 3, 9, 10))
    dossier_events_record(actor=b_head, rows=rows_b, source="test")
    return p1, p2, pb, extra
