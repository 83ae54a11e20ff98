"""Import of the TTHC catalogue and processes from .json, .csv and .xlsx: whole-file validation
(each bad row named, nothing written), creation of the operational procedure put in force as an
import, idempotence, other agencies refused, the command line."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from eiso.core.errors import Forbidden, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.documents.models import Document, DocumentRevision
from eiso.documents.services.revisions import document_create
from eiso.procedures.imports import admin_procedures_import
from eiso.procedures.models import AdminProcedure, ProcessDefinition, ProcessStep

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
HEADER = ["agency_code", "procedure_code", "procedure_name", "field", "time_limit_days", "step", "step_name",
          "unit_code", "allowance_hours", "form_code"]
ROWS = [
    ["STP", "1.004227", "Đăng ký khai sinh", "Hộ tịch", "3", "1", "Tiếp nhận hồ sơ", "MC", "4", "BM-01"],
    ["STP", "1.004227", "Đăng ký khai sinh", "Hộ tịch", "3", "2", "Thẩm định, trình ký", "HCTP", "16", "BM-02"],
    ["STP", "1.004227", "Đăng ký khai sinh", "Hộ tịch", "3", "3", "Trả kết quả", "MC", "4", "BM-03"],
    ["STP", "2.000908", "Chứng thực bản sao", "Chứng thực", "1", "1", "Tiếp nhận và trả kết quả", "mc", "8", ""],
]


def _csv(rows, header=HEADER) -> io.BytesIO:
    lines = [",".join(f'"{c}"' for c in row) for row in [header, *rows]]
    return io.BytesIO("\n".join(lines).encode("utf-8"))


def _xlsx(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _json(data) -> io.BytesIO:
    return io.BytesIO(json.dumps(data, ensure_ascii=False).encode("utf-8"))


JSON = {"agency": "STP", "procedures": [
    {"code": "1.004227", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "time_limit_days": 3,
     "level": "Cấp tỉnh", "online_level": "Toàn trình",
     "steps": [{"name": "Tiếp nhận hồ sơ", "unit": "MC", "hours": 4, "form": "BM-01"},
               {"name": "Thẩm định, trình ký", "unit": "HCTP", "hours": 16, "form": "BM-02"},
               {"name": "Trả kết quả", "unit": "MC", "hours": 4, "form": "BM-03"}]},
    {"code": "1.001193", "name": "Đăng ký kết hôn", "field": "Hộ tịch", "time_limit_days": 5},
]}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def units(unit_a, one_stop_a):
    return unit_a, one_stop_a


def run(file, name, actor=None, agency=None):
    return admin_procedures_import(actor=actor, file=file, filename=name, agency=agency, today=TODAY)


def test_csv_creates_catalogue_procedure_documents_in_force_and_processes(units, agency_a, a_secretary):
    unit_a, one_stop = units
    result = run(_csv(ROWS), "tthc.csv", actor=a_secretary, agency=agency_a)
    assert (result.created, result.updated, result.processes, result.documents) == (2, 0, 2, 2)
    birth = AdminProcedure.objects.get(agency=agency_a, code="1.004227")
    assert birth.process_document.code == "QT-1.004227"
    assert birth.process_document.kind == "operational_procedure"
    revision = DocumentRevision.objects.get(document=birth.process_document)
    assert (revision.issue_number, revision.status, revision.effective_date) == (1, "effective", TODAY)
    assert revision.transitions.get().to_status == "effective"
    steps = list(ProcessStep.objects.filter(definition__document=birth.process_document,
                                            definition__is_current=True).order_by("number"))
    assert [(s.number, s.name, s.unit, s.allowance_hours, s.form_code) for s in steps] == [
        (1, "Tiếp nhận hồ sơ", one_stop, 4, "BM-01"), (2, "Thẩm định, trình ký", unit_a, 16, "BM-02"),
        (3, "Trả kết quả", one_stop, 4, "BM-03")]
    assert ProcessDefinition.objects.get(document=birth.process_document).source == "import"
    assert AuditEvent.objects.filter(action="import", object_id=str(revision.pk)).exists()
    assert AuditEvent.objects.filter(action="import", object_id=str(agency_a.pk)).exists()


def test_reimporting_the_same_file_changes_nothing(units, agency_a):
    run(_csv(ROWS), "tthc.csv", agency=agency_a)
    events = AuditEvent.objects.count()
    result = run(_csv(ROWS), "tthc.csv", agency=agency_a)
    assert (result.created, result.updated, result.unchanged, result.processes, result.documents) == (0, 0, 2, 0, 0)
    assert AuditEvent.objects.count() == events
    assert ProcessDefinition.objects.count() == 2 and DocumentRevision.objects.count() == 2


def test_changed_steps_make_a_new_version_and_changed_fields_update(units, agency_a):
    run(_csv(ROWS), "tthc.csv", agency=agency_a)
    rows = [list(r) for r in ROWS]
    rows[1][8] = "12"
    rows[3][2] = "Chứng thực bản sao từ bản chính"
    result = run(_csv(rows), "tthc.csv", agency=agency_a)
    assert (result.created, result.updated, result.processes) == (0, 2, 1)
    document = Document.objects.get(code="QT-1.004227")
    assert list(document.process_definitions.order_by("version").values_list("version", "is_current")) == [
        (1, False), (2, True)]
    assert AdminProcedure.objects.get(code="2.000908").name == "Chứng thực bản sao từ bản chính"
    assert DocumentRevision.objects.filter(document=document).count() == 1  # still issue 1


def test_xlsx_with_vietnamese_headings_and_steps_in_any_order(units, agency_a):
    header = ["Mã cơ quan", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Thời hạn giải quyết", "Bước", "Tên bước",
              "Mã đơn vị", "Số giờ", "Biểu mẫu"]
    rows = [ROWS[2], ROWS[0], ROWS[1]]
    rows = [[*r[:4], int(r[4]), int(r[5]), *r[6:8], float(r[8]), r[9]] for r in rows]
    result = run(_xlsx(rows, header), "tthc.xlsx", agency=agency_a)
    assert result.created == 1
    names = list(ProcessStep.objects.order_by("number").values_list("name", flat=True))
    assert names == ["Tiếp nhận hồ sơ", "Thẩm định, trình ký", "Trả kết quả"]


def test_json_shape_of_the_issue(units, agency_a):
    result = run(_json(JSON), "tthc.json")  # the agency comes from the file
    assert (result.created, result.processes) == (2, 1)
    marriage = AdminProcedure.objects.get(code="1.001193")
    assert marriage.process_document is None and marriage.time_limit_days == 5
    birth = AdminProcedure.objects.get(code="1.004227")
    assert (birth.level, birth.online_level) == ("province", "full")
    assert run(_json(JSON), "tthc.json").unchanged == 2


def test_json_procedures_sharing_one_operational_procedure(units, agency_a):
    steps = JSON["procedures"][0]["steps"]
    data = {"agency": "STP", "procedures": [
        {"code": "1.1", "name": "Khai sinh", "time_limit_days": 3, "document": "QT-HT-01", "steps": steps},
        {"code": "1.2", "name": "Khai sinh lưu động", "time_limit_days": 3, "document": "QT-HT-01"}]}
    run(_json(data), "shared.json")
    document = Document.objects.get(code="QT-HT-01")
    assert set(document.admin_procedures.values_list("code", flat=True)) == {"1.1", "1.2"}


def test_a_bad_file_is_refused_whole_with_each_bad_row_named(units, agency_a):
    rows = [list(r) for r in ROWS]
    rows[1][7] = "KHONGCO"   # unknown unit
    rows[2][8] = "bốn"        # hours not a number
    rows[3][4] = "0"          # time limit below half a day
    rows.append(["SXD", "3.1", "Khác", "", "2", "", "", "", "", ""])  # another agency
    rows.append(["STP", "", "Không mã", "", "2", "", "", "", "", ""])
    with pytest.raises(ValidationFailed) as caught:
        run(_csv(rows), "bad.csv", agency=agency_a)
    messages = caught.value.errors["file"]
    text = "\n".join(messages)
    for expected in ("Row 3, column unit_code", "Row 4, column allowance_hours", "Row 5, column time_limit_days",
                     "Row 6, column agency_code", "Row 7, column procedure_code"):
        assert expected in text
    assert len(messages) == 5
    assert not AdminProcedure.objects.exists() and not Document.objects.exists()


def test_conflicting_rows_of_one_procedure_and_duplicate_steps_are_refused(units, agency_a):
    rows = [list(r) for r in ROWS[:3]]
    rows[1][4] = "5"
    rows[2][5] = "1"
    with pytest.raises(ValidationFailed) as caught:
        run(_csv(rows), "bad.csv", agency=agency_a)
    text = "\n".join(caught.value.errors["file"])
    assert "Row 3, column time_limit_days" in text and "Row 4, column step" in text
    assert not AdminProcedure.objects.exists()


def test_bad_json_and_unknown_format(agency_a):
    with pytest.raises(ValidationFailed):
        run(io.BytesIO(b"{not json"), "x.json")
    with pytest.raises(ValidationFailed):
        run(_json({"agency": "STP"}), "x.json")
    with pytest.raises(ValidationFailed):
        run(io.BytesIO(b""), "x.txt")
    with pytest.raises(ValidationFailed):  # the file is for another agency
        run(_json({**JSON, "agency": "SXD"}), "x.json", agency=agency_a)


def test_a_document_of_another_kind_is_refused(units, agency_a):
    document_create(actor=None, agency=agency_a, code="QT-1.004227", title="Biểu mẫu", kind="form")
    with pytest.raises(ValidationFailed) as caught:
        run(_csv(ROWS), "tthc.csv", agency=agency_a)
    assert "column document_code" in caught.value.errors["file"][0]


def test_other_agency_and_staff_are_refused(units, agency_a, b_head, a_staff):
    for actor in (b_head, a_staff):
        with pytest.raises(Forbidden):
            run(_csv(ROWS), "tthc.csv", actor=actor, agency=agency_a)
    assert not AdminProcedure.objects.exists()


def test_command_line(units, agency_a, tmp_path, capsys):
    path = tmp_path / "tthc.json"
    path.write_text(json.dumps(JSON, ensure_ascii=False), encoding="utf-8")
    call_command("import", "procedures", str(path), "--agency", "STP")
    assert "2" in capsys.readouterr().out
    assert AdminProcedure.objects.filter(agency=agency_a).count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([["STP", "9.9", "X", "", "abc", "", "", "", "", ""]]).getvalue())
    with pytest.raises(CommandError):
        call_command("import", "procedures", str(bad))
    assert "Row 2, column time_limit_days" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import", "procedures", str(tmp_path / "missing.csv"))
