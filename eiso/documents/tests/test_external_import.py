"""Import of the external register from .xlsx and .csv: every row validated first, a bad file
refused whole with each bad row and column named, nothing written; the same file twice creates
nothing new; Vietnamese labels and headings accepted; the command line."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.documents.choices import ExternalDocumentStatus, ReviewReason
from eiso.documents.models import ExternalDocument, ReviewTask
from eiso.documents.services.external_import import external_documents_import
from eiso.documents.tests.factories.external import external, procedure

pytestmark = pytest.mark.django_db

D = datetime.date
HEADER = ["number", "type", "title", "issuer", "issued_on", "effective_on", "expires_on", "status", "replaced_by"]
GOOD_ROWS = [
    [
        "61/2018/NĐ-CP",
        "Nghị định",
        "Về thực hiện cơ chế một cửa, một cửa liên thông",
        "Chính phủ",
        "23/04/2018",
        "21/06/2018",
        "01/07/2025",
        "Hết hiệu lực",
        "118/2025/NĐ-CP",
    ],
    [
        "118/2025/NĐ-CP",
        "Nghị định",
        "Về thực hiện thủ tục hành chính theo cơ chế một cửa",
        "Chính phủ",
        "2025-06-09",
        "2025-07-01",
        "",
        "Còn hiệu lực",
        "",
    ],
    [
        "Luật 80/2015/QH13",
        "Luật",
        "Luật Ban hành văn bản quy phạm pháp luật",
        "Quốc hội",
        "22/6/2015",
        "1/7/2016",
        "",
        "in_force",
        "",
    ],
    ["01/2024/TT-BTP", "Thông tư", "Hướng dẫn chứng thực", "Bộ Tư pháp", "", "", "", "", ""],
    [
        "19/2014/QĐ-TTg",
        "Quyết định",
        "Áp dụng TCVN ISO 9001:2008 vào hoạt động của các cơ quan",
        "Thủ tướng",
        "05/03/2014",
        "01/05/2014",
        "",
        "Còn hiệu lực",
        "",
    ],
    [
        "TCVN ISO 9001:2015",
        "Tiêu chuẩn",
        "Hệ thống quản lý chất lượng — Các yêu cầu",
        "Bộ KH&CN",
        "",
        "",
        "",
        "Còn hiệu lực",
        "",
    ],
]


def csv_file(rows, header=HEADER, delimiter=",", bom=True) -> io.BytesIO:
    import csv

    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.getvalue().encode("utf-8"))


def xlsx_file(rows, header=HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def run(actor, agency, stream, filename):
    return external_documents_import(actor=actor, agency=agency, rows_or_file=stream, filename=filename)


def snapshot():
    return ExternalDocument.objects.count(), ReviewTask.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_good_file_imports_and_a_second_time_changes_nothing(a_secretary, agency_a, kind):
    make = csv_file if kind == "csv" else xlsx_file
    result = run(a_secretary, agency_a, make(GOOD_ROWS), f"danh-muc.{kind}")
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    old = ExternalDocument.objects.get(number="61/2018/NĐ-CP")
    new = ExternalDocument.objects.get(number="118/2025/NĐ-CP")
    assert old.doc_type == "decree" and old.status == ExternalDocumentStatus.EXPIRED and old.replaced_by == new
    assert (old.issued_on, old.effective_on, old.expires_on) == (D(2018, 4, 23), D(2018, 6, 21), D(2025, 7, 1))
    assert new.effective_on == D(2025, 7, 1) and new.status == ExternalDocumentStatus.IN_FORCE
    assert ExternalDocument.objects.get(number="Luật 80/2015/QH13").doc_type == "law"
    assert ExternalDocument.objects.get(number="01/2024/TT-BTP").status == ExternalDocumentStatus.IN_FORCE
    assert ExternalDocument.objects.get(number="19/2014/QĐ-TTg").doc_type == "decision"
    assert ExternalDocument.objects.get(number="TCVN ISO 9001:2015").doc_type == "standard"
    before = snapshot()
    again = run(a_secretary, agency_a, make(GOOD_ROWS), f"danh-muc.{kind}")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert snapshot()[:2] == before[:2]
    assert AuditEvent.objects.exclude(action="import").count() == before[2] - 1  # only the import summary


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_bad_rows_is_refused_whole_naming_each_row_and_column(a_secretary, agency_a, kind):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][5] = "31/02/2025"  # row 3: impossible date
    rows[3][1] = "Công điện khẩn"  # row 5: unknown type
    rows[4][2] = ""  # row 6: no title
    rows[5][7] = "Tạm ngưng"  # row 7: unknown status
    rows.append(["99/2025/NĐ-CP", "decree", "x", "Chính phủ", "", "1.7.2025x", "", "", "404/2025/NĐ-CP"])  # row 8
    rows.append(["118/2025/NĐ-CP", "decree", "lặp", "Chính phủ", "", "", "", "", ""])  # row 9: duplicate
    make = csv_file if kind == "csv" else xlsx_file
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        run(a_secretary, agency_a, make(rows), f"bad.{kind}")
    messages = exc.value.errors["file"]
    assert len(messages) == 6
    joined = "\n".join(messages)
    for row, column in [
        (3, "effective_on"),
        (5, "type"),
        (6, "title"),
        (7, "status"),
        (8, "effective_on"),
        (9, "number"),
    ]:
        assert (f"Row {row}, column {column}:" in joined) or (f"Dòng {row}, cột {column}:" in joined), (row, column)
    assert snapshot() == before


def test_messages_are_english_msgids(a_secretary, agency_a, settings):
    from django.utils import translation

    rows = [["1/2025/NĐ-CP", "decree", "x", "Chính phủ", "", "2025-13-01", "", "", ""]]
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        run(a_secretary, agency_a, csv_file(rows), "x.csv")
    assert exc.value.errors["file"] == ["Row 2, column effective_on: invalid date"]


def test_replaced_by_must_exist_in_the_file_or_the_register(a_secretary, agency_a):
    external(agency_a, "118/2025/NĐ-CP", effective_on=D(2025, 7, 1))
    rows = [
        ["61/2018/NĐ-CP", "decree", "Cơ chế một cửa", "Chính phủ", "", "21/06/2018", "", "", "118/2025/NĐ-CP"],
        ["45/2020/NĐ-CP", "decree", "TTHC trên môi trường điện tử", "Chính phủ", "", "", "", "", "1/2099/X"],
    ]
    with pytest.raises(ValidationFailed) as exc:
        run(a_secretary, agency_a, csv_file(rows), "x.csv")
    assert len(exc.value.errors["file"]) == 1 and "replaced_by" in exc.value.errors["file"][0]
    result = run(a_secretary, agency_a, csv_file(rows[:1]), "x.csv")
    assert result.created == 1
    old = ExternalDocument.objects.get(number="61/2018/NĐ-CP")
    assert old.replaced_by.number == "118/2025/NĐ-CP" and old.status == ExternalDocumentStatus.EXPIRED


def test_a_replaced_document_marked_in_force_is_refused(a_secretary, agency_a):
    rows = [list(GOOD_ROWS[0]), list(GOOD_ROWS[1])]
    rows[0][7] = "Còn hiệu lực"
    with pytest.raises(ValidationFailed) as exc:
        run(a_secretary, agency_a, csv_file(rows), "x.csv")
    assert "column status" in exc.value.errors["file"][0] or "cột status" in exc.value.errors["file"][0]


def test_updates_match_by_number_and_open_review_tasks(a_secretary, agency_a):
    decree = external(agency_a, "61/2018/NĐ-CP", title="Cũ", effective_on=D(2018, 6, 21))
    qt = procedure(agency_a, "QT-01")
    decree.cited_by.add(qt)
    result = run(a_secretary, agency_a, csv_file(GOOD_ROWS[:2]), "x.csv")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    decree.refresh_from_db()
    assert decree.title == GOOD_ROWS[0][2] and decree.replaced_by.number == "118/2025/NĐ-CP"
    assert [(t.document, t.reason, t.due_on) for t in ReviewTask.objects.all()] == [
        (qt, ReviewReason.REPLACED, D(2025, 10, 1))
    ]
    run(a_secretary, agency_a, csv_file(GOOD_ROWS[:2]), "x.csv")
    assert ReviewTask.objects.count() == 1


def test_vietnamese_headings_semicolons_and_no_bom(a_secretary, agency_a):
    header = [
        "Số, ký hiệu",
        "Loại văn bản",
        "Trích yếu",
        "Cơ quan ban hành",
        "Ngày ban hành",
        "Ngày hiệu lực",
        "Ghi chú",
    ]
    rows = [
        [
            "45/2020/NĐ-CP",
            "Nghị định",
            "Thực hiện TTHC trên môi trường điện tử",
            "Chính phủ",
            "08/04/2020",
            "22/05/2020",
            "Áp dụng cho bộ phận một cửa",
        ]
    ]
    result = run(a_secretary, agency_a, csv_file(rows, header=header, delimiter=";", bom=False), "x.csv")
    assert result.created == 1
    doc = ExternalDocument.objects.get()
    assert (doc.number, doc.doc_type, doc.effective_on, doc.note) == (
        "45/2020/NĐ-CP",
        "decree",
        D(2020, 5, 22),
        "Áp dụng cho bộ phận một cửa",
    )


def test_xlsx_dates_and_numbers_as_cells(a_secretary, agency_a):
    rows = [
        [
            "45/2020/NĐ-CP",
            "decree",
            "Điện tử",
            "Chính phủ",
            datetime.datetime(2020, 4, 8),
            D(2020, 5, 22),
            None,
            None,
            None,
        ]
    ]
    run(a_secretary, agency_a, xlsx_file(rows), "x.xlsx")
    assert ExternalDocument.objects.get().issued_on == D(2020, 4, 8)


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"number,type\n", "x.csv"),  # a missing required column
        (b"", "x.csv"),  # no rows at all
        (b"\xff\xfe\x00n\x00u", "x.csv"),  # not UTF-8
        (b"PK\x03\x04 not really a workbook", "x.xlsx"),
        (b"number,type,title,issuer\n", "x.xls"),  # an old Excel file
    ],
)
def test_unreadable_files_are_refused_with_a_message(a_secretary, agency_a, content, filename):
    with pytest.raises(ValidationFailed) as exc:
        run(a_secretary, agency_a, io.BytesIO(content), filename)
    assert exc.value.errors["file"]
    assert not ExternalDocument.objects.exists()


def test_only_managers_import(a_staff, b_head, overseer, agency_a):
    for user in (a_staff, b_head, overseer):
        with pytest.raises(Forbidden):
            run(user, agency_a, csv_file(GOOD_ROWS), "x.csv")
    assert not ExternalDocument.objects.exists()


def test_rows_as_mappings(a_secretary, agency_a):
    result = external_documents_import(
        actor=a_secretary,
        agency=agency_a,
        filename="",
        rows_or_file=[{"number": "5/2025/TT-BTP", "type": "circular", "title": "x", "issuer": "Bộ Tư pháp"}],
    )
    assert result.created == 1


# --- the command line ------------------------------------------------------------------------------


def test_command_imports_a_file(tmp_path, agency_a):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(xlsx_file(GOOD_ROWS).getvalue())
    out = io.StringIO()
    call_command("import", "external-documents", str(path), "--agency", agency_a.code, stdout=out)
    assert ExternalDocument.objects.filter(agency=agency_a).count() == 6
    assert "6" in out.getvalue()
    call_command("import", "external-documents", str(path), "--agency", agency_a.code.lower(), stdout=io.StringIO())
    assert ExternalDocument.objects.count() == 6


def test_command_refuses_a_bad_file_and_prints_the_rows(tmp_path, agency_a):
    rows = [list(GOOD_ROWS[1])]
    rows[0][5] = "hôm qua"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(rows).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "external-documents", str(path), "--agency", agency_a.code, stderr=err)
    assert "effective_on" in err.getvalue()
    assert not ExternalDocument.objects.exists()


def test_command_needs_a_known_agency_and_file(tmp_path, agency_a):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_file(GOOD_ROWS).getvalue())
    with pytest.raises(CommandError):
        call_command("import", "external-documents", str(path), "--agency", "NOPE")
    with pytest.raises(CommandError):
        call_command("import", "external-documents", str(tmp_path / "missing.csv"), "--agency", agency_a.code)
