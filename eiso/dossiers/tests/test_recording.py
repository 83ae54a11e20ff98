"""The recording engine: validate everything, write all or nothing, retime, keep rollups right."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from eiso.core.errors import ValidationFailed
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup, DossierSettings
from eiso.dossiers.services.recording import EventRow, dossier_events_record

pytestmark = pytest.mark.django_db
Z = ZoneInfo("Asia/Ho_Chi_Minh")


def t(*args):
    return dt.datetime(*args, tzinfo=Z)


def rows(code="STP-260213-0001"):
    """Received Fri 13/2/2026 10:00 (Tết closes 16–20 Feb), limit 3 days → due Wed 25/2 10:00."""
    return [
        EventRow(row=1, code=code, kind="received", at=t(2026, 2, 13, 10), agency_code="STP",
                 procedure_code="1.004227", channel="online"),
        EventRow(row=2, code=code, kind="step_done", at=t(2026, 2, 13, 14), step=1),
        EventRow(row=3, code=code, kind="step_done", at=t(2026, 2, 24, 9), step=2),
        EventRow(row=4, code=code, kind="step_done", at=t(2026, 2, 25, 11), step=3),
        EventRow(row=5, code=code, kind="returned", at=t(2026, 2, 25, 11)),
    ]


def rollup(step=0):
    return {(r.month, r.step): (r.early, r.on_time, r.late) for r in DossierRollup.objects.all()}.get(
        (dt.date(2026, 2, 1), step))


def test_a_dossier_is_timed_across_tet(tthc, a_secretary):
    summary = dossier_events_record(actor=a_secretary, rows=rows(), source="test")
    assert (summary.dossiers_created, summary.events_created) == (1, 5)
    d = Dossier.objects.get()
    assert d.due_at == t(2026, 2, 25, 10) and d.finished_at == t(2026, 2, 25, 11)
    assert (d.status, d.result, d.channel) == ("returned", "late", "online")
    assert [s["result"] for s in d.steps] == ["on_time", "on_time", "late"]
    assert rollup(0) == (0, 0, 1) and rollup(2) == (0, 1, 0) and rollup(3) == (0, 0, 1)


def test_the_same_events_twice_are_stored_once_and_counted_once(tthc, a_secretary):
    dossier_events_record(actor=a_secretary, rows=rows(), source="first")
    summary = dossier_events_record(actor=a_secretary, rows=rows() + rows()[:2], source="again")
    assert (summary.dossiers_created, summary.events_created) == (0, 0)
    assert DossierEvent.objects.count() == 5
    assert rollup(0) == (0, 0, 1)


def test_events_out_of_order_and_in_two_files_give_the_same_timing(tthc, a_secretary):
    first, second = rows()[3:] + rows()[:1], rows()[1:3]
    dossier_events_record(actor=a_secretary, rows=list(reversed(first)), source="one")
    assert Dossier.objects.get().steps[2]["finished_at"] is not None
    dossier_events_record(actor=a_secretary, rows=second, source="two")
    d = Dossier.objects.get()
    assert (d.result, [s["result"] for s in d.steps]) == ("late", ["on_time", "on_time", "late"])
    assert rollup(0) == (0, 0, 1) and rollup(3) == (0, 0, 1)


def test_a_late_event_that_moves_the_finish_moves_the_rollup(tthc, a_secretary):
    dossier_events_record(actor=a_secretary, rows=rows()[:3] + [
        EventRow(row=9, code="STP-260213-0001", kind="returned", at=t(2026, 2, 24, 11))], source="one")
    assert rollup(0) == (1, 0, 0)  # returned Tue 24/2, a day before due
    # The one-stop system later sends a supplement round before that: the clock restarts.
    dossier_events_record(actor=a_secretary, rows=[
        EventRow(row=1, code="STP-260213-0001", kind="supplement_requested", at=t(2026, 2, 13, 15)),
        EventRow(row=2, code="STP-260213-0001", kind="supplement_received", at=t(2026, 2, 23, 8)),
    ], source="two")
    d = Dossier.objects.get()
    assert d.due_at == t(2026, 2, 25, 17)  # Mon 23/2 08:00 + 24 working hours: Wed 17:00, not Thu 08:00
    assert d.result == "early" and rollup(0) == (1, 0, 0)


def test_pause_mode_keeps_the_time_already_used(tthc, agency_a, a_secretary):
    DossierSettings.objects.create(agency=agency_a, supplement_mode="pause")
    dossier_events_record(actor=a_secretary, rows=rows()[:1] + [
        EventRow(row=2, code="STP-260213-0001", kind="supplement_requested", at=t(2026, 2, 13, 15)),
        EventRow(row=3, code="STP-260213-0001", kind="supplement_received", at=t(2026, 2, 23, 8)),
    ], source="test")
    # 4 working hours used on 13/2 (10–12, 13–15): 20 left from 23/2 08:00 → 25/2 12:00
    assert Dossier.objects.get().due_at == t(2026, 2, 25, 12)


def test_bad_rows_refuse_everything_and_name_each_row(tthc, a_secretary):
    bad = rows() + [
        EventRow(row=6, code="STP-X", kind="received", at=t(2026, 2, 13, 9), agency_code="STP",
                 procedure_code="9.999999"),
        EventRow(row=7, code="STP-260213-0001", kind="teleported", at=t(2026, 2, 13, 9)),
        EventRow(row=8, code="STP-260213-0001", kind="step_done", at=t(2026, 2, 12, 9), step=1),
        EventRow(row=9, code="STP-NEVER", kind="step_done", at=t(2026, 2, 14, 9), step=1),
        EventRow(row=10, code="STP-260213-0001", kind="step_done", at=None, step=2),
        EventRow(row=11, code="STP-260213-0001", kind="step_done", at=t(2026, 2, 24, 9), step=7),
    ]
    with pytest.raises(ValidationFailed) as exc:
        dossier_events_record(actor=a_secretary, rows=bad, source="test")
    lines = exc.value.errors["rows"]
    for n in (6, 7, 8, 9, 10, 11):
        assert any(line.startswith((f"Row {n}:", f"Dòng {n}:")) for line in lines), (n, lines)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_another_agency_cannot_import_into_agency_a(tthc, b_head):
    with pytest.raises(ValidationFailed):
        dossier_events_record(actor=b_head, rows=rows(), source="test")
    assert not Dossier.objects.exists()


def test_a_duplicate_in_a_later_chunk_of_the_same_import_is_stored_once(tthc, a_secretary, monkeypatch):
    """Rows are written in batches: a dossier created by this import meets its own events again in a
    later batch (INSERT … ON CONFLICT DO NOTHING, through COPY on PostgreSQL)."""
    from eiso.dossiers.services import recording
    from eiso.dossiers.services.recording import validation, writing

    for module in (recording, validation, writing):
        monkeypatch.setattr(module, "CHUNK", 1)  # batches of 5 rows: the second batch repeats the first
    summary = dossier_events_record(actor=a_secretary, rows=rows() + rows()[::-1], source="twice")
    assert (summary.dossiers_created, summary.events_created, summary.events_duplicate) == (1, 5, 5)
    assert DossierEvent.objects.count() == 5
    d = Dossier.objects.get()
    assert (d.status, d.result) == ("returned", "late") and rollup(0) == (0, 0, 1)


def test_a_retimed_dossier_of_an_earlier_import_is_updated_in_place(tthc, a_secretary):
    dossier_events_record(actor=a_secretary, rows=rows()[:2], source="one")
    d = Dossier.objects.get()
    assert (d.status, d.current_step, d.result) == ("in_progress", 2, "")
    summary = dossier_events_record(actor=a_secretary, rows=rows()[2:], source="two")
    assert (summary.dossiers_created, summary.events_created, summary.dossiers_touched) == (0, 3, 1)
    d.refresh_from_db()
    assert (d.status, d.result, d.current_step, d.finished_at) == ("returned", "late", None, t(2026, 2, 25, 11))
    assert d.due_at == t(2026, 2, 25, 10) and rollup(0) == (0, 0, 1)


def test_an_import_freezes_the_older_objects_for_the_collector_only_while_it_runs(tthc, a_secretary):
    import gc

    seen = []

    def reading():  # the rows are read inside the engine
        seen.append(gc.get_freeze_count())
        yield from rows()

    assert gc.get_freeze_count() == 0
    dossier_events_record(actor=a_secretary, rows=reading(), source="test")
    bad = [EventRow(row=1, code="X", kind="nonsense", at=t(2026, 2, 13, 10))]
    with pytest.raises(ValidationFailed):
        dossier_events_record(actor=a_secretary, rows=bad, source="refused")
    assert seen[0] > 0 and gc.get_freeze_count() == 0
    gc.freeze()  # a process that froze its objects itself keeps them frozen
    try:
        frozen = gc.get_freeze_count()
        dossier_events_record(actor=a_secretary, rows=rows("STP-260213-0002"), source="test")
        assert gc.get_freeze_count() > frozen // 2  # not unfrozen (refcounting may free a few)
    finally:
        gc.unfreeze()
