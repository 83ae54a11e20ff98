"""Large CSV files are read and checked in columns (``recording.columnar``): the same dossiers,
events, timings and rollups as the row-by-row reader, and a file with anything wrong in it is handed
to the row reader, which refuses it with the usual messages naming every bad row."""

import threading

import polars as pl
import pytest
from django.db import connection
from django.utils import translation

from eiso.core.errors import ValidationFailed
from eiso.dossiers import importing, timing_columns
from eiso.dossiers.models import Dossier, DossierEvent, DossierRollup, DossierSettings
from eiso.dossiers.services import recording
from eiso.dossiers.services.recording import columnar, staging
from eiso.dossiers.services.recording.validation import EventValidator

pytestmark = pytest.mark.django_db
HEADER = "dossier_code,agency_code,procedure_code,channel,event,at,step,note\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def by_columns(monkeypatch):
    """Every CSV file of at least one row goes the columnar way."""
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(importing, "COLUMNAR_FROM_BYTES", 0)


def dossier(n, *, day=13, channel="online", returned=True):
    code = f"STP-2602{day:02d}-{n:04d}"
    rows = [f"{code},STP,1.004227,{channel},received,2026-02-{day:02d} 10:0{n % 10},,Nộp trực tuyến\n",
            f"{code},,,,step_done,2026-02-{day:02d} 14:00,1,\n",
            f"{code},,,,step_done,2026-02-24T09:00:00+07:00,2.0, Trình ký \n",
            f'{code},,,,Chuyển bước,"2026-02-25 11:00:30",3,"ghi chú, có dấu phẩy"\n']
    if returned:
        rows.append(f"{code},,,,returned,2026-02-25T04:00:00Z,,\n")
    return rows


def stored():
    dossiers = sorted(Dossier.objects.values_list("code", "agency_id", "admin_procedure_id", "definition_id", "channel",
                                                  "applicant", "status", "received_at", "due_at", "finished_at",
                                                  "result", "current_step", "current_unit_id", "steps"))
    events = sorted(DossierEvent.objects.values_list("dossier__code", "kind", "at", "step", "note", "actor", "source"))
    rollups = sorted(DossierRollup.objects.values_list("admin_procedure_id", "month", "step", "unit_id", "early",
                                                       "on_time", "late"))
    return dossiers, events, rollups


def wipe() -> None:
    """Every dossier, event and rollup removed, for the same input recorded again another way."""
    DossierEvent.objects.all().delete()
    Dossier.objects.all().delete()
    DossierRollup.objects.all().delete()


def one_by_one_then_in_columns(path, monkeypatch):
    """``path`` recorded with every dossier timed one by one (none answered in columns), wiped, then
    recorded again staged and read in columns: (the first summary, what it stored, the second summary,
    what each ``_plain`` of the second answered)."""
    none = pl.DataFrame(schema={"grp": pl.Int64})
    monkeypatch.setattr(timing_columns, "compute_stored_columns", lambda *args, **kwargs: (none, none))
    one_by_one = record(path)
    expected = stored()
    wipe()
    staged, stage = [], staging.StagedImport._plain
    monkeypatch.undo()
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(importing, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(staging.StagedImport, "_plain", lambda self, *args: staged.append(stage(self, *args))
                        or staged[-1])
    return one_by_one, expected, record(path), staged


def record(path, **kwargs):
    return importing.record_file(actor=None, opener=lambda: path.open("rb"), filename="mot-cua.csv", **kwargs)


def read_by_columns(path):
    validator = EventValidator(None)
    with path.open("rb") as stream:
        return columnar.checked_events(stream, validator, importing.COLUMNS, importing.REQUIRED), validator


def test_a_csv_file_read_by_columns_gives_what_the_row_reader_gives(tthc, tmp_path, monkeypatch):
    lines = [line for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    lines.insert(7, "\n")  # a blank line and a line of empty cells are skipped by both
    lines.insert(12, ",,,,,,,\n")
    first = tmp_path / "a.csv"
    first.write_text("\ufeff" + HEADER + "".join(reversed(lines)), encoding="utf-8")
    events, validator = read_by_columns(first)
    assert events.height == validator.rows == 12 * 5 - 4
    # The second file returns the dossiers left open and repeats a few events (duplicates).
    second = tmp_path / "b.csv"
    second.write_text(HEADER + "".join(dossier(n)[-1] for n in range(12) if n % 3 == 0) + lines[0] + lines[3],
                      encoding="utf-8")

    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 100_000)  # the row reader, written directly
    by_rows = [record(first), record(second)]
    expected = stored()
    wipe()

    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(importing, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)  # in blocks of a few rows, cut beside quoted cells
    framed, add_frame = [], staging.StagedImport.add_frame
    monkeypatch.setattr(staging.StagedImport, "add_frame", lambda self, events: (framed.append(events.height),
                                                                                 add_frame(self, events)))
    calls = []
    by_columns = [record(first, progress=lambda *call: calls.append(call)), record(second)]
    assert sum(framed) == 56 + 6 and len(framed) > 10  # both went the columnar way, block by block
    assert stored() == expected
    assert [vars(s) for s in by_columns] == [vars(s) for s in by_rows]
    assert calls[-1][0] == "retime"


def test_semicolons_vietnamese_headings_and_names_are_read_by_columns(tthc, tmp_path, by_columns):
    text = ("Mã hồ sơ;Mã cơ quan;Mã thủ tục;Kênh;Sự kiện;Thời điểm;Bước;Ghi chú\n"
            "HS-1;STP;1.004227;Trực tuyến;Tiếp nhận;13/02/2026 10:00;;\n"
            "HS-1;;;;Chuyển bước;2026-02-13 14:00;1;\n"
            "HS-1;;;;Trả kết quả;2026-02-25 11:00;;\n")
    path = tmp_path / "mot-cua.csv"
    path.write_text(text, encoding="utf-8")
    events, validator = read_by_columns(path)
    assert events.get_column("kind").to_list() == ["received", "step_done", "returned"]
    assert events.get_column("channel").to_list() == ["online", "", ""]
    assert validator.dossiers["HS-1"][0] == tthc.agency_id
    summary = record(path)
    assert (summary.dossiers_created, summary.events_created) == (1, 3)
    assert Dossier.objects.get(code="HS-1").channel == "online"


def test_a_first_large_import_into_empty_tables_gives_what_the_general_switch_gives(tthc, tmp_path, monkeypatch,
                                                                                     by_columns):
    """Into empty tables (PostgreSQL: the event table loaded bare, the dossiers' ids reserved, the
    file's repeated events found in columns) the same rows as the general statements give."""
    lines = [line for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    lines += [lines[1], lines[7], lines[7]]  # the same events again, further on
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 10**9)  # the general switch
    general = record(path)
    expected = stored()
    wipe()
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 1)
    fresh, load_fresh = [], staging.StagedImport._load_fresh
    monkeypatch.setattr(staging.StagedImport, "_load_fresh",
                        lambda self, *args: fresh.append((load_fresh(self, *args), self.repeats)) or fresh[-1][0])
    first = record(path)
    assert stored() == expected
    assert vars(first) == vars(general)
    assert (first.events_created, first.events_duplicate) == (56, 3)
    assert fresh[0][0] is True and len(fresh[0][1]) == 3  # found in columns


def test_a_first_import_stages_its_plain_dossiers_in_columns_as_one_by_one(tthc, tmp_path, monkeypatch, by_columns):
    """A first import's plain dossiers (received, hand-overs in order, maybe returned) are timed and
    staged in columns (``StagedImport._plain``), on both databases (on PostgreSQL by a COPY of polars'
    CSV text): the same dossiers, events, timings and rollups as when every dossier is timed one by one."""
    lines = [line for n in range(12) for line in dossier(n, channel="" if n % 4 == 0 else "online",
                                                         returned=n % 3 != 0)]
    lines[3:3] = ["STP-260213-0099,STP,1.004227,postal,received,2026-02-13 09:00,,\n",
                  "STP-260213-0099,,,,supplement_requested,2026-02-13 15:00,,\n"]  # not plain: one by one
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    one_by_one, expected, by_columns, staged = one_by_one_then_in_columns(path, monkeypatch)
    assert len(staged) == 1 and 0 < len(staged[0]) < 13  # in columns, but the paused one
    assert stored() == expected
    assert vars(by_columns) == vars(one_by_one)
    assert Dossier.objects.filter(channel="direct").count() == 3


@pytest.mark.parametrize("mode", ["restart", "pause"])
def test_a_first_import_times_supplement_rounds_in_columns_as_one_by_one(tthc, tmp_path, monkeypatch, by_columns,
                                                                         mode):
    """Dossiers with supplement rounds (one, two in a step, one in each of two steps) in an agency that
    restarts or pauses the clock are timed in columns too, each in its agency's mode: the same
    dossiers, timings and rollups as when every dossier is timed one by one."""
    DossierSettings.objects.create(agency=tthc.agency, supplement_mode=mode)
    lines = []
    for n in range(9):
        rows = dossier(n, returned=False)
        code = rows[0].split(",")[0]
        if n % 3:
            rows.append(f"{code},,,,returned,2026-02-26 10:00,,\n")
        rounds = [f"{code},,,,supplement_requested,2026-02-13 16:00,,Bổ sung\n",
                  f"{code},,,,supplement_received,2026-02-{17 + n % 4} 0{8 + n % 2}:30,,\n"]
        if n % 3 == 1:  # a second round in the same step
            rounds += [f"{code},,,,supplement_requested,2026-02-23 10:00,,\n",
                       f"{code},,,,supplement_received,2026-02-23 15:00,,\n"]
        if n % 3 == 2:  # and one in the next step
            rounds += [f"{code},,,,supplement_requested,2026-02-24 10:00,,\n",
                       f"{code},,,,supplement_received,2026-02-25 08:00,,\n"]
        lines += rows[:2] + rounds + rows[2:]
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    one_by_one, expected, by_columns, staged = one_by_one_then_in_columns(path, monkeypatch)
    assert len(staged) == 1 and len(staged[0]) == 9  # every one in columns
    assert stored() == expected
    assert vars(by_columns) == vars(one_by_one)


@pytest.mark.parametrize("bad", [
    "HS-1,,,,step_done,hôm qua,1,\n",  # a time that is not one
    "HS-1,,,,nộp đơn,2026-02-14 10:00,,\n",  # an unknown event
    "HS-1,,,,step_done,2026-02-14 10:00,,\n",  # a step_done without its step
    "HS-2,STP,9.999999,direct,received,2026-02-13 10:00,,\n",  # a procedure not in the catalogue
    "HS-2,XYZ,1.004227,direct,received,2026-02-13 10:00,,\n",  # an agency that is not there
    "HS-3,,,,step_done,2026-02-13 11:00,1,\n",  # a dossier never received
    "HS-1,,,,returned,2026-02-12 10:00,,\n",  # before its receipt
    " ,,,,returned,2026-02-14 10:00,,\n",  # no dossier code (a blank first cell, not a blank row)
])
def test_a_file_with_a_bad_row_is_refused_by_the_row_reader_with_its_messages(tthc, tmp_path, monkeypatch, bad):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "HS-1,STP,1.004227,direct,received,2026-02-13 10:00,,\n" + bad, encoding="utf-8")
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 100_000)
    with pytest.raises(ValidationFailed) as by_rows:
        record(path)
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(importing, "COLUMNAR_FROM_BYTES", 0)
    with pytest.raises(columnar.Fallback), path.open("rb") as stream:  # the caller's stream: closed by the caller
        recording.dossier_events_record_csv(actor=None, stream=stream, aliases=importing.COLUMNS,
                                            required=importing.REQUIRED, source="bad.csv")
    with pytest.raises(ValidationFailed) as by_columns:
        record(path)
    assert by_columns.value.errors == by_rows.value.errors
    assert "Row 3:" in " ".join(by_columns.value.errors["rows"])
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_a_later_file_read_by_columns_compares_its_events_with_the_stored_receipt(tthc, tmp_path, by_columns):
    """A dossier received by an earlier import: its receipt, read from the database, is compared with
    the file's events as a columnar read keeps their times (UTC µs); one before it sends the file to
    the row reader, which names the row."""
    def csv_file(name, line):
        path = tmp_path / name
        path.write_text(HEADER + line, encoding="utf-8")
        return path

    def by_columns_only(path):
        with path.open("rb") as stream:
            return recording.dossier_events_record_csv(actor=None, stream=stream, aliases=importing.COLUMNS,
                                                       required=importing.REQUIRED, source=path.name)

    record(csv_file("a.csv", "HS-1,STP,1.004227,direct,received,2026-02-13 10:00,,\n"))
    early = csv_file("b.csv", "HS-1,,,,returned,2026-02-13 09:59,,\n")
    with pytest.raises(columnar.Fallback):
        by_columns_only(early)
    with pytest.raises(ValidationFailed) as refused:
        record(early)
    assert refused.value.errors["rows"] == ["Row 2: an event of dossier HS-1 is before its receipt (13/02/2026 10:00)."]
    summary = by_columns_only(csv_file("c.csv", "HS-1,,,,returned,2026-02-13 10:00,,\n"))
    assert (summary.dossiers_created, summary.events_created) == (0, 1)
    assert Dossier.objects.get(code="HS-1").status == "returned"


def test_a_layout_the_columns_do_not_read_goes_to_the_row_reader(tthc, tmp_path, by_columns):
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + "HS-1,STP,1.004227,direct,received,2026-02-13 10:00,,\n"
                    "HS-1,,,,step_done,2026-02-14 10:00,1,,one cell too many\n", encoding="utf-8")
    with pytest.raises(columnar.Fallback), path.open("rb") as stream:
        columnar.checked_events(stream, EventValidator(None), importing.COLUMNS, importing.REQUIRED)
    summary = record(path)  # the row reader reads it, ignoring the cell without a heading
    assert (summary.dossiers_created, summary.events_created) == (1, 2)


def test_a_first_import_reads_back_only_the_events_of_dossiers_not_timed_in_columns(tthc, tmp_path, monkeypatch,
                                                                                    by_columns):
    """The dossiers timed in columns (``plain``: a first import) are not made rows of again."""
    lines = [line.replace("11:00:30", "11:00") for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    timed, read = set(), []
    plain, chunk = staging.StagedImport._plain, staging.StagedImport._chunk_from_frame
    monkeypatch.setattr(staging.StagedImport, "_plain",
                        lambda self, *args: timed.update(answer := plain(self, *args)) or answer)
    monkeypatch.setattr(staging.StagedImport, "_chunk_from_frame",
                        lambda self, *args, **kwargs: read.append(answer := chunk(self, *args, **kwargs)) or answer)
    monkeypatch.setattr(staging, "INDEX_AFTER_LOAD_FROM", 1)
    fresh, load_fresh = [], staging.StagedImport._load_fresh
    monkeypatch.setattr(staging.StagedImport, "_load_fresh",
                        lambda self, *args: fresh.append(load_fresh(self, *args)) or fresh[-1])
    summary = record(path)
    assert (summary.dossiers_created, summary.dossiers_touched) == (12, 12)  # (those timed in columns counted)
    assert fresh == [True]  # into the empty tables by consecutive ids
    assert len(timed) == 12  # every one of them (on both databases)
    assert [set(staged) for staged, *_rest in read] == [set(range(12)) - timed]
    assert [count for *_rest, count in read] == [56]  # (the progress counts them all)


def test_the_dossiers_timed_in_columns_hash_their_calendar_once_not_once_each(tthc, tmp_path, monkeypatch,
                                                                               by_columns):
    from eiso.core.workcalendar import WorkCalendar

    lines = [line.replace("11:00:30", "11:00") for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    hashed, hash_of = [], WorkCalendar.__hash__
    monkeypatch.setattr(WorkCalendar, "__hash__", lambda self: hashed.append(1) or hash_of(self))
    timed, plain = set(), staging.StagedImport._plain
    monkeypatch.setattr(staging.StagedImport, "_plain",
                        lambda self, *args: timed.update(answer := plain(self, *args)) or answer)
    assert record(path).dossiers_created == 12
    assert len(timed) == 12
    assert len(hashed) <= 3  # one calendar, one block: a few lookups, not one per dossier (12 here; it was 24)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY into the staging tables: PostgreSQL")
def test_postgresql_copies_the_staged_blocks_from_a_thread_of_their_own_with_the_same_result(tthc, tmp_path,
                                                                                              monkeypatch, by_columns):
    """The server stores one block while the import reads or computes the next (``staging._Copier``):
    every staging COPY from that thread (and the staged events' index, built while the timings are
    computed), the dossiers, events and rollups as one after the other."""
    import psycopg

    lines = [line for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    lines[3:3] = ["STP-260213-0099,STP,1.004227,postal,received,2026-02-13 09:00,,Nộp \"trực tiếp\"\n",
                  "STP-260213-0099,,,,supplement_requested,2026-02-13 15:00,,\n"]  # timed one by one
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 100_000)  # the row reader, written directly
    by_rows = record(path)
    expected = stored()
    wipe()
    monkeypatch.setattr(recording, "STAGE_FROM_ROWS", 1)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)  # several blocks
    copied, write = [], psycopg.Copy.write
    monkeypatch.setattr(psycopg.Copy, "write", lambda self, data: copied.append(threading.current_thread().name)
                        or write(self, data))
    indexed, execute = [], psycopg.Cursor.execute

    def spied(self, query, *args, **kwargs):
        if staging.EVENTS in str(query) and str(query).startswith(("CREATE INDEX", "ANALYZE")):
            indexed.append(threading.current_thread().name)
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", spied)
    summary = record(path)
    assert stored() == expected
    assert vars(summary) == vars(by_rows)
    assert len(copied) > 10 and set(copied) == {"eiso-staging-copy"}
    assert indexed == ["eiso-staging-copy"] * 2  # the staged events' index and statistics too


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY into the staging tables: PostgreSQL")
def test_a_failed_staging_copy_is_raised_in_the_import_thread(db):
    import psycopg

    copier = staging._Copier()
    copier.put("eiso_no_such_table", ("grp",), b"1\n")
    with pytest.raises(psycopg.errors.UndefinedTable):
        copier.wait()
    copier.wait()  # raised once; nothing left under way


def test_a_columnar_read_keeps_no_note_or_actor_of_its_blocks_once_staged(tthc, tmp_path, monkeypatch, by_columns):
    """Each block's texts are staged with it: a file's notes and actors are never all held in memory."""
    lines = [line for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)  # in blocks of a few rows
    kept, frames_done = [], staging.StagedImport.frames_done

    def look_first(self):
        kept.extend(self._parts)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"SELECT COUNT(*) FROM {staging.EVENTS} WHERE note <> ''")
                kept.append(cursor.fetchone()[0])
        return frames_done(self)

    monkeypatch.setattr(staging.StagedImport, "frames_done", look_first)
    assert record(path).events_created == 56
    parts = [part for part in kept if not isinstance(part, int)]
    assert len(parts) > 1
    assert all(not {"note", "actor"} & set(part.columns) for part in parts)
    assert all(count > 0 for count in kept if isinstance(count, int))  # (SQLite: staged already, notes and all)


def test_the_staged_events_are_ordered_by_dossier_then_file_order_across_blocks(tthc, tmp_path, monkeypatch,
                                                                                 by_columns):
    """``frames_done`` puts each dossier's events together, in file order, the dossiers by number, however
    the file spreads them over its blocks (its counting sort: as a stable sort of every block's events)."""
    lines = [line for n in range(12) for line in dossier(n, returned=n % 3 != 0)]
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "".join(lines[1::2] + lines[::2]), encoding="utf-8")  # each dossier in two halves
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)  # in blocks of a few rows
    blocks, frames = [], []
    add_frame, frames_done = staging.StagedImport.add_frame, staging.StagedImport.frames_done
    monkeypatch.setattr(staging.StagedImport, "add_frame",
                        lambda self, events: (blocks.append(events), add_frame(self, events))[1])
    monkeypatch.setattr(staging.StagedImport, "frames_done",
                        lambda self: (frames_done(self), frames.append(self.frame))[0])
    assert record(path).events_created == 56
    expected = pl.concat(blocks).sort("grp", "seq", maintain_order=True).select(
        pl.col("grp", "seq").cast(pl.Int32), "kind", "at_us", pl.col("step").cast(pl.Int32))
    assert len(blocks) > 3
    assert frames[0].with_columns(pl.col("kind").cast(pl.String)).equals(expected)
    assert frames[0].get_column("seq").n_unique() == 56


@pytest.mark.django_db(databases=[])
def test_the_counted_rollup_keys_are_summed_as_blocks_come_not_all_kept_to_the_end():
    import datetime as dt
    from collections import Counter

    from eiso.dossiers.services.recording import plain

    def block(i):  # the same 3 keys in every block, and one of its own
        return pl.DataFrame({"agency_id": [1, 1, 2, 1], "procedure_id": [7, 7, 8, i],
                             "month": [dt.date(2026, 3, 1)] * 4, "step": [1, 2, 1, 1], "unit_id": [5, 5, 6, 5],
                             "result": ["on_time", "late", "", "early"],
                             "len": pl.Series([2, 1, 3, 1], dtype=pl.UInt32)})

    counts, expected = [], Counter()
    for i in range(3 * plain.COUNTS_KEPT + 1):
        plain.counts_append(counts, block(100 + i))
        for row in block(100 + i).iter_rows():
            expected[row[:6]] += row[6]
        assert len(counts) < plain.COUNTS_KEPT  # (at most a frame of all the keys so far, and the last blocks')
    deltas = Counter()
    plain.counts_add(counts, deltas)
    assert deltas == expected and counts == []
