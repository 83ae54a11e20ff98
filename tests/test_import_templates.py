"""Import pages show their columns in Vietnamese and offer a template .xlsx that imports once filled."""

import io

import openpyxl
import pytest

from eiso.core.import_templates import DATA_SHEET, template_workbook
from eiso.core.text import fold
from eiso.documents.services import external_import
from eiso.documents.views.external import EXTERNAL_IMPORT_SPEC
from eiso.dossiers import importing
from eiso.dossiers.views.imports import IMPORT_SPEC as DOSSIER_SPEC
from eiso.procedures import imports as procedure_imports
from eiso.procedures.views import IMPORT_SPEC as PROCEDURE_SPEC

CASES = [
    (PROCEDURE_SPEC, procedure_imports.COLUMNS, procedure_imports.REQUIRED),
    (EXTERNAL_IMPORT_SPEC, external_import.IMPORT_COLUMNS, external_import.IMPORT_REQUIRED),
    (DOSSIER_SPEC, importing.COLUMNS, importing.REQUIRED),
]


@pytest.mark.parametrize("spec, aliases, required", CASES)
def test_every_column_shown_is_one_the_importer_reads(spec, aliases, required):
    known = {fold(name): column for column, names in aliases.items() for name in [column, *names]}
    shown = {column.header: known.get(fold(column.header)) for column in spec}
    assert None not in shown.values(), [h for h, c in shown.items() if c is None]
    assert len(set(shown.values())) == len(spec)  # one header per column
    assert {shown[c.header] for c in spec if c.required} == set(required)
    assert all(c.header != shown[c.header] for c in spec)  # Vietnamese headers, not the codes


def _filled(spec, values: dict) -> io.BytesIO:
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(spec)))
    sheet = book[DATA_SHEET]
    headers = [cell.value for cell in sheet[1]]
    for header, value in values.items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.mark.django_db
def test_the_procedure_template_filled_with_one_row_imports(a_secretary, agency_a, unit_a):
    from eiso.procedures.models import AdminProcedure

    file = _filled(PROCEDURE_SPEC, {"Mã thủ tục": "1.004227", "Tên thủ tục": "Đăng ký khai sinh",
                                    "Thời hạn giải quyết": 3, "Bước": 1, "Tên bước": "Tiếp nhận hồ sơ",
                                    "Mã đơn vị": unit_a.code, "Số giờ": 4})
    result = procedure_imports.admin_procedures_import(actor=None, file=file, filename="mau.xlsx", agency=agency_a)
    assert result.created == 1
    assert AdminProcedure.objects.get(agency=agency_a, code="1.004227").name == "Đăng ký khai sinh"


@pytest.mark.django_db
def test_the_external_document_template_filled_with_one_row_imports(agency_a):
    from eiso.documents.models import ExternalDocument

    file = _filled(EXTERNAL_IMPORT_SPEC, {"Số ký hiệu": "118/2025/NĐ-CP", "Loại văn bản": "Nghị định",
                                          "Trích yếu": "Về thực hiện thủ tục hành chính",
                                          "Cơ quan ban hành": "Chính phủ", "Ngày ban hành": "09/06/2025"})
    result = external_import.external_documents_import(actor=None, agency=agency_a, rows_or_file=file,
                                                       filename="mau.xlsx")
    assert result.created == 1
    assert ExternalDocument.objects.get(agency=agency_a, number="118/2025/NĐ-CP").issuer == "Chính phủ"


def test_the_dossier_template_filled_with_one_row_reads_as_an_event():
    file = _filled(DOSSIER_SPEC, {"Mã hồ sơ": "STP-260213-0001", "Mã cơ quan": "STP", "Mã thủ tục": "1.004227",
                                  "Kênh tiếp nhận": "online", "Sự kiện": "received",
                                  "Thời điểm": "13/02/2026 10:00"})
    [row] = list(importing.table_rows(file, "mau.xlsx"))
    assert (row.row, row.code, row.kind, row.agency_code, row.procedure_code, row.channel) == (
        2, "STP-260213-0001", "received", "STP", "1.004227", "online")
    assert row.at is not None and (row.at.day, row.at.hour) == (13, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("page, template", [
    ("/admin-procedures/import/", "/admin-procedures/import/template.xlsx"),
    ("/external-documents/import/", "/external-documents/import/template.xlsx"),
    ("/dossiers/imports/new/", "/dossiers/imports/template.xlsx"),
])
def test_import_pages_list_the_columns_and_offer_the_template(client, a_secretary, page, template):
    client.force_login(a_secretary)
    html = client.get(page).content.decode()
    assert f'href="{template}"' in html and "eiso-import-columns" in html
    response = client.get(template)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == DATA_SHEET and book[DATA_SHEET]["A1"].value


@pytest.mark.django_db
def test_the_template_needs_the_right_to_import(client, a_staff):
    client.force_login(a_staff)
    assert client.get("/admin-procedures/import/template.xlsx").status_code == 403


@pytest.mark.django_db
def test_a_bad_cell_is_named_by_the_files_own_heading(agency_a):
    from django.utils import translation

    from eiso.core.errors import ValidationFailed

    file = _filled(EXTERNAL_IMPORT_SPEC, {"Số ký hiệu": "1/2020/NĐ-CP", "Loại văn bản": "Bogus",
                                          "Trích yếu": "Về A", "Cơ quan ban hành": "Chính phủ"})
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        external_import.external_documents_import(actor=None, agency=agency_a, rows_or_file=file, filename="a.xlsx")
    assert refused.value.errors["file"][0].startswith("Row 2, column Loại văn bản:")
    procedures = _filled(PROCEDURE_SPEC, {"Mã thủ tục": "1.1", "Tên thủ tục": "A", "Thời hạn giải quyết": "abc"})
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        procedure_imports.admin_procedures_import(actor=None, file=procedures, filename="p.xlsx", agency=agency_a)
    assert refused.value.errors["file"][0].startswith("Row 2, column Thời hạn giải quyết:")
