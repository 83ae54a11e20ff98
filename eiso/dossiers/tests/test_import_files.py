"""Reading one-stop exports (.csv, .jsonl, .xlsx) and ``eiso import dossiers``."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from eiso.core.errors import ValidationFailed
from eiso.dossiers import importing
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup
from eiso.dossiers.services.recording import rows as values

pytestmark = pytest.mark.django_db
Z = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "STP-260213-0001"
HEADER = "dossier_code,agency_code,procedure_code,channel,event,at,step,note\n"
# Received Fri 13/2/2026 10:00, limit 3 working days, Tết closes 16–20 Feb → due Wed 25/2 10:00.
EVENTS = [
    f"{CODE},STP,1.004227,online,received,2026-02-13 10:00,,Nộp trực tuyến\n",
    f"{CODE},,,,step_done,2026-02-13 14:00,1,\n",
    f"{CODE},,,,step_done,2026-02-24T09:00:00+07:00,2,\n",
    f"{CODE},,,,step_done,2026-02-25 11:00,3,\n",
    f"{CODE},,,,returned,2026-02-25T04:00:00Z,,\n",  # 11:00 in Hà Nội
]


def t(*args):
    return dt.datetime(*args, tzinfo=Z)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # messages asserted on are English msgids
        yield


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def record(path, actor=None, **kwargs):
    return importing.record_file(actor=actor, opener=lambda: path.open("rb"), filename=path.name, **kwargs)


def assert_timed_late():
    d = Dossier.objects.get(code=CODE)
    assert (d.received_at, d.due_at, d.finished_at) == (t(2026, 2, 13, 10), t(2026, 2, 25, 10), t(2026, 2, 25, 11))
    assert (d.status, d.result, d.channel) == ("returned", "late", "online")
    assert [s["result"] for s in d.steps] == ["on_time", "on_time", "late"]


# --- values --------------------------------------------------------------------------------------


def test_times_in_local_time_or_iso_with_an_offset():
    assert values.parse_at("2026-02-13 10:00") == t(2026, 2, 13, 10)
    assert values.parse_at("2026-02-13T10:00:30") == t(2026, 2, 13, 10, 0, 30)
    assert values.parse_at("13/02/2026 10:05") == t(2026, 2, 13, 10, 5)
    assert values.parse_at("2026-02-13T03:00:00Z") == t(2026, 2, 13, 10)
    assert values.parse_at("2026-02-13T10:00:00+09:00") == t(2026, 2, 13, 8)
    assert values.parse_at(dt.datetime(2026, 2, 13, 10)) == t(2026, 2, 13, 10)  # an Excel cell
    for bad in ("2026-02-13", "13/02/2026", "2026-02-30 10:00", "hôm qua", "", None, 45000):
        assert values.parse_at(bad) is None, bad


def test_events_and_channels_by_code_or_vietnamese_name():
    assert values.event_kind("step_done") == "step_done"
    assert values.event_kind("Chuyển bước") == "step_done"
    assert values.event_kind("  TRẢ KẾT QUẢ ") == "returned"
    assert values.event_kind("yeu cau bo sung") == "supplement_requested"
    assert values.event_kind("nộp đơn") == "nộp đơn"  # left as it is: the engine names the row
    assert values.channel_code("Trực tuyến") == "online"
    assert values.channel_code("bưu chính") == "postal"


# --- formats -------------------------------------------------------------------------------------


def test_csv_is_imported_and_timed(tthc, tmp_path):
    summary = record(write(tmp_path, "thang2.csv", HEADER + "".join(EVENTS)))
    assert (summary.rows, summary.dossiers_created, summary.events_created, summary.events_duplicate) == (5, 1, 5, 0)
    assert_timed_late()
    assert DossierEvent.objects.get(kind="received").note == "Nộp trực tuyến"


def test_csv_with_vietnamese_headings_semicolons_and_names(tthc, tmp_path):
    text = (
        "Mã hồ sơ;Mã cơ quan;Mã thủ tục;Kênh;Sự kiện;Thời điểm;Bước;Ghi chú\n"
        f"{CODE};STP;1.004227;Trực tuyến;Tiếp nhận;13/02/2026 10:00;;\n"
        f"{CODE};;;;Chuyển bước;2026-02-13 14:00;1;\n"
        f"{CODE};;;;Chuyển bước;2026-02-24 09:00;2;\n"
        f"{CODE};;;;Chuyển bước;2026-02-25 11:00;3;\n"
        f"{CODE};;;;Trả kết quả;2026-02-25 11:00;;\n"
    )
    record(write(tmp_path, "mot-cua.csv", "\ufeff" + text))
    assert_timed_late()


def test_jsonl_one_dossier_per_line(tthc, tmp_path):
    line = {"code": CODE, "agency": "STP", "procedure": "1.004227", "channel": "online", "events": [
        {"event": "received", "at": "2026-02-13 10:00"},
        {"event": "step_done", "at": "2026-02-13 14:00", "step": 1},
        {"event": "step_done", "at": "2026-02-24T09:00:00+07:00", "step": 2, "note": "Trình ký"},
        {"event": "step_done", "at": "2026-02-25 11:00", "step": 3},
        {"event": "returned", "at": "2026-02-25T04:00:00Z"},
    ]}
    other = {"code": "STP-260213-0002", "agency": "STP", "procedure": "1.004227",
             "events": [{"event": "received", "at": "2026-02-13 15:00"}]}
    path = write(tmp_path, "thang2.jsonl", json.dumps(line, ensure_ascii=False) + "\n\n" + json.dumps(other) + "\n")
    summary = record(path)
    assert (summary.dossiers_created, summary.events_created) == (2, 6)
    assert_timed_late()
    assert Dossier.objects.get(code="STP-260213-0002").status != "returned"


def test_xlsx_with_excel_dates_and_text_times(tthc, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã hồ sơ", "Mã cơ quan", "Mã thủ tục", "Kênh", "Sự kiện", "Thời điểm", "Bước", "Ghi chú"])
    sheet.append([CODE, "STP", "1.004227", "online", "received", dt.datetime(2026, 2, 13, 10), None, None])
    sheet.append([CODE, None, None, None, "step_done", dt.datetime(2026, 2, 13, 14), 1, None])
    sheet.append([CODE, None, None, None, "step_done", "2026-02-24T09:00:00+07:00", 2.0, None])
    sheet.append([CODE, None, None, None, "step_done", dt.datetime(2026, 2, 25, 11), "3", None])
    sheet.append([CODE, None, None, None, "returned", dt.datetime(2026, 2, 25, 11), None, None])
    path = tmp_path / "thang2.xlsx"
    workbook.save(path)
    summary = record(path)
    assert summary.events_created == 5
    assert_timed_late()


# --- refusal, idempotency, order -----------------------------------------------------------------


def test_a_file_with_bad_rows_is_refused_whole_naming_each_row(tthc, tmp_path):
    text = HEADER + "".join([
        EVENTS[0],
        f"{CODE},,,,step_done,hôm qua,1,\n",  # row 3: time
        f"{CODE},,,,nộp đơn,2026-02-14 10:00,,\n",  # row 4: event
        "STP-260213-0009,STP,9.999999,direct,received,2026-02-13 10:00,,\n",  # row 5: procedure
        f"{CODE},,,,returned,2026-02-12 10:00,,\n",  # row 6: before the receipt
        "STP-260213-0008,,,,step_done,2026-02-13 10:00,1,\n",  # row 7: never received
        "STP-260213-0009,,,,step_done,2026-02-13 11:00,1,\n",  # row 8: its receipt (row 5) was refused
        "STP-260213-0007,,,,step_done,không rõ,1,\n",  # row 9: time (and nothing else of that dossier)
    ])
    with pytest.raises(ValidationFailed) as refused:
        record(write(tmp_path, "bad.csv", text))
    assert len(refused.value.errors["rows"]) == 6, refused.value.errors["rows"]  # each once, none as "?"
    rows = " | ".join(refused.value.errors["rows"])
    for row in ("3", "4", "5", "6", "7", "9"):
        assert f"{row}:" in rows, (row, rows)
    assert "9.999999" in rows and "nộp đơn" in rows
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_a_jsonl_line_that_is_not_a_dossier_is_named_with_the_engines_errors(tthc, tmp_path):
    good = {"code": CODE, "agency": "STP", "procedure": "1.004227",
            "events": [{"event": "received", "at": "2026-02-13 10:00"}, {"event": "step_done", "at": "x", "step": 1}]}
    path = write(tmp_path, "bad.jsonl", json.dumps(good) + "\n{not json\n[1, 2]\n")
    with pytest.raises(ValidationFailed) as refused:
        record(path)
    rows = refused.value.errors["rows"]
    assert len(rows) == 3, rows
    assert any(r.startswith("Row 2:") for r in rows) and any(r.startswith("Row 3:") for r in rows)
    assert any(r.startswith("Row 1 (event 2):") for r in rows)
    assert not Dossier.objects.exists()


def test_a_file_without_the_required_columns_is_refused(tthc, tmp_path):
    with pytest.raises(ValidationFailed) as refused:
        record(write(tmp_path, "bad.csv", "code,when\nX,2026-02-13 10:00\n"))
    assert refused.value.errors["file"]


def test_the_same_file_twice_adds_nothing(tthc, tmp_path):
    path = write(tmp_path, "thang2.csv", HEADER + "".join(EVENTS))
    record(path)
    rollups = sorted(DossierRollup.objects.values_list("step", "early", "on_time", "late"))
    summary = record(path)
    assert (summary.dossiers_created, summary.events_created, summary.events_duplicate) == (0, 0, 5)
    assert DossierEvent.objects.count() == 5
    assert sorted(DossierRollup.objects.values_list("step", "early", "on_time", "late")) == rollups


def test_events_out_of_order_across_two_files(tthc, tmp_path):
    later = write(tmp_path, "b.csv", HEADER + EVENTS[4] + EVENTS[3] + EVENTS[0])
    earlier = write(tmp_path, "a.csv", HEADER + EVENTS[2] + EVENTS[1])
    record(later)
    record(earlier)  # step_done rows of a dossier received in the earlier import
    assert_timed_late()
    assert DossierRollup.objects.get(step=0).late == 1


def test_progress_is_reported_by_phase(tthc, tmp_path):
    # 10,001 rows: the check reports every 10,000 rows, then the writing and the retiming.
    many = "".join(f"{CODE},,,,step_done,2026-02-13 14:00,1,\n" for _ in range(10_000))
    calls = []
    record(write(tmp_path, "many.csv", HEADER + EVENTS[0] + many), total=10_001,
           progress=lambda phase, done, total: calls.append((phase, done, total)))
    assert ("validate", 10_000, 10_001) in calls
    assert ("write", 10_001, 10_001) in calls
    assert calls[-1][0] == "retime" and calls[-1][1] == calls[-1][2] == 1
    assert DossierEvent.objects.count() == 2


def test_the_upload_scope_limits_the_agency(tthc, tmp_path, agency_b, a_secretary):
    text = HEADER + EVENTS[0]
    with pytest.raises(ValidationFailed):
        record(write(tmp_path, "a.csv", text), actor=a_secretary, agency=agency_b)
    assert not Dossier.objects.exists()


# --- the command ---------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "dossiers", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_the_summary_and_a_progress_bar(tthc, tmp_path):
    out, err = run(write(tmp_path, "thang2.csv", HEADER + "".join(EVENTS)), "--agency", "stp")
    assert "5 rows, 1 dossiers created, 1 dossiers updated, 5 new events, 0 duplicates" in out
    assert "100%" in err and "write" in err
    assert_timed_late()
    out, _err = run(tmp_path / "thang2.csv", "--quiet")
    assert "0 new events, 5 duplicates" in out


def test_command_refuses_a_bad_file_printing_each_row_and_exits_non_zero(tthc, tmp_path, capsys):
    path = write(tmp_path, "bad.csv", HEADER + EVENTS[0] + f"{CODE},,,,step_done,hôm qua,1,\n")
    with pytest.raises(CommandError):
        run(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "dossiers", str(path), "--quiet", stderr=err)
    assert "3:" in err.getvalue()
    assert not Dossier.objects.exists()


def test_command_exit_code_from_the_command_line(tthc, tmp_path, capsys):
    import importlib

    command = importlib.import_module("eiso.core.management.commands.import").Command()
    path = write(tmp_path, "bad.csv", HEADER + f"{CODE},,,,returned,2026-02-12 10:00,,\n")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["eiso", "import", "dossiers", str(path), "--quiet"])
    assert exited.value.code != 0
    assert CODE in capsys.readouterr().err


def test_command_checks_its_arguments(tthc, tmp_path, a_staff):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.csv")
    path = write(tmp_path, "thang2.txt", "x")
    with pytest.raises(CommandError):
        run(path)
    path = write(tmp_path, "thang2.csv", HEADER + "".join(EVENTS))
    with pytest.raises(CommandError, match="ZZZ"):
        run(path, "--agency", "ZZZ")
    with pytest.raises(CommandError):  # staff may not import: the receipt row is refused
        run(path, "--actor", a_staff.username, "--quiet")
    assert not Dossier.objects.exists()
