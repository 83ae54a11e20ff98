"""Pages of the TTHC catalogue: list (search, filters, htmx, query count), detail (steps, allowance
warning, versions, history), create/edit, the process editor, coverage and the import page; each
with the no-permission, other-agency and with-access cases."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.documents.models import Document
from eiso.documents.services.revisions import document_create, revision_issue_imported
from eiso.procedures.imports import IMPORTED_SUMMARY
from eiso.procedures.models import AdminProcedure, ProcessDefinition
from eiso.procedures.services import admin_procedure_create
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = pytest.mark.django_db

LIST = reverse("procedures:adminprocedure-list")


@pytest.fixture
def birth(agency_a, unit_a, one_stop_a):
    procedure, _definition = procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    return procedure


def detail(procedure):
    return reverse("procedures:adminprocedure-detail", args=[procedure.pk])


def test_list_search_folds_diacritics_and_filters(client_for, a_staff, birth, agency_a):
    admin_procedure_create(actor=None, agency=agency_a, code="2.000908", name="Chứng thực bản sao",
                           field="Chứng thực", time_limit_days=1, online_level="full")
    client = client_for(a_staff)
    page = client.get(LIST, {"q": "dang ky khai"}).content.decode()
    assert "1.004227" in page and "2.000908" not in page
    page = client.get(LIST, {"online_level": "full"}).content.decode()
    assert "2.000908" in page and "1.004227" not in page
    page = client.get(LIST, {"coverage": "no_procedure"}).content.decode()
    assert "2.000908" in page and "1.004227" not in page
    partial = client.get(LIST, headers={"HX-Request": "true", "HX-Target": "results"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_list_shows_only_own_agency_and_overseer_gets_the_agency_filter(client_for, b_staff, overseer, birth):
    assert "1.004227" not in client_for(b_staff).get(LIST).content.decode()
    page = client_for(overseer).get(LIST).content.decode()
    assert "1.004227" in page and 'name="agency"' in page


def test_list_query_count_does_not_grow_with_rows(client_for, a_staff, agency_a, django_assert_max_num_queries):
    for n in range(30):
        admin_procedure_create(actor=None, agency=agency_a, code=f"1.{n:06d}", name=f"Thủ tục {n}",
                               time_limit_days=2)
    client = client_for(a_staff)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200


def test_detail_shows_steps_and_allowance_warning(client_for, a_staff, birth):
    page = client_for(a_staff, language="en").get(detail(birth)).content.decode()
    assert "Thẩm định, trình ký" in page and "Bộ phận Một cửa" in page
    assert "data-allowance-gap" not in page  # 4 + 16 + 4 = 3 days × 8 h
    AdminProcedure.objects.filter(pk=birth.pk).update(time_limit_days=Decimal(5))
    page = client_for(a_staff, language="en").get(detail(birth)).content.decode()
    assert 'data-allowance-gap="-16' in page and "less than the statutory limit" in page


def test_detail_versions_and_history_tabs(client_for, a_head, birth):
    client = client_for(a_head)
    document = birth.process_document
    response = client.post(reverse("procedures:processdefinition-edit", args=[document.pk]), {
        "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0",
        "steps-0-name": "Tiếp nhận và trả kết quả", "steps-0-hours": "24", "note": "Gộp bước",
    })
    assert response.status_code == 302
    page = client.get(detail(birth), {"tab": "versions"}).content.decode()
    assert "Gộp bước" in page and "Tiếp nhận và trả kết quả" in page
    assert client.get(detail(birth), {"tab": "history"}).status_code == 200


def test_detail_of_another_agency_is_404(client_for, b_head, q_overseer, overseer, birth):
    assert client_for(b_head).get(detail(birth)).status_code == 404
    assert client_for(q_overseer).get(detail(birth)).status_code == 404
    assert client_for(overseer).get(detail(birth)).status_code == 200


def test_create_and_update(client_for, a_secretary, agency_a):
    client = client_for(a_secretary)
    response = client.post(reverse("procedures:adminprocedure-create"), {
        "code": "1.001193", "name": "Đăng ký kết hôn", "field": "Hộ tịch", "level": "province",
        "time_limit_days": "5", "online_level": "partial"})
    assert response.status_code == 302
    procedure = AdminProcedure.objects.get(code="1.001193")
    assert procedure.agency == agency_a
    response = client.post(reverse("procedures:adminprocedure-update", args=[procedure.pk]), {
        "code": "1.001193", "name": "Đăng ký kết hôn có yếu tố nước ngoài", "field": "Hộ tịch",
        "level": "province", "time_limit_days": "10", "online_level": "partial", "is_active": "on"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.time_limit_days == 10 and procedure.name.endswith("nước ngoài")


def test_create_refuses_duplicate_code_on_the_field(client_for, a_secretary, birth):
    response = client_for(a_secretary, language="en").post(reverse("procedures:adminprocedure-create"), {
        "code": "1.004227", "name": "Trùng mã", "level": "province", "time_limit_days": "5",
        "online_level": "none"})
    assert response.status_code == 200 and "already in the agency" in response.content.decode()
    assert AdminProcedure.objects.count() == 1


def test_create_refuses_another_agencys_procedure_document(client_for, a_secretary, agency_b):
    other = document_create(actor=None, agency=agency_b, code="QT-B", title="Quy trình B",
                            kind="operational_procedure")
    response = client_for(a_secretary).post(reverse("procedures:adminprocedure-create"), {
        "code": "1.1", "name": "X", "level": "province", "time_limit_days": "5", "online_level": "none",
        "process_document": other.pk})
    assert response.status_code == 200 and not AdminProcedure.objects.exists()


def test_staff_cannot_create_edit_or_import(client_for, a_staff, birth):
    client = client_for(a_staff)
    assert client.get(reverse("procedures:adminprocedure-create")).status_code == 403
    assert client.get(reverse("procedures:adminprocedure-update", args=[birth.pk])).status_code == 403
    assert client.get(reverse("procedures:adminprocedure-import")).status_code == 403
    editor = reverse("procedures:processdefinition-edit", args=[birth.process_document.pk])
    assert client.get(editor).status_code == 403


def test_process_editor_prefills_validates_and_saves_a_new_version(client_for, a_secretary, birth):
    client = client_for(a_secretary, language="en")
    url = reverse("procedures:processdefinition-edit", args=[birth.process_document.pk])
    page = client.get(url).content.decode()
    assert "Thẩm định, trình ký</textarea>" in page
    bad = client.post(url, {"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0", "steps-0-hours": "4"})
    assert bad.status_code == 400 and "Say what is done." in bad.content.decode()
    empty = client.post(url, {"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0"})
    assert empty.status_code == 400 and "at least one step" in empty.content.decode()
    assert ProcessDefinition.objects.filter(document=birth.process_document).count() == 1
    same = {"steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0"}
    for i, step in enumerate(birth.process_document.process_definitions.get().steps.all()):
        same.update({f"steps-{i}-name": step.name, f"steps-{i}-unit": step.unit_id or "",
                     f"steps-{i}-hours": str(step.allowance_hours), f"steps-{i}-form": step.form_code})
    assert client.post(url, same).status_code == 302
    assert ProcessDefinition.objects.filter(document=birth.process_document).count() == 1  # unchanged
    same["steps-2-DELETE"] = "on"
    assert client.post(url, same).status_code == 302
    current = ProcessDefinition.objects.get(document=birth.process_document, is_current=True)
    assert current.version == 2 and current.steps.count() == 2


def test_process_editor_refuses_a_unit_of_another_agency(client_for, a_secretary, birth, unit_b):
    url = reverse("procedures:processdefinition-edit", args=[birth.process_document.pk])
    response = client_for(a_secretary).post(url, {"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
                                                  "steps-0-name": "X", "steps-0-hours": "8",
                                                  "steps-0-unit": unit_b.pk})
    assert response.status_code == 400
    assert ProcessDefinition.objects.filter(document=birth.process_document).count() == 1


def test_process_editor_of_another_agency_is_404(client_for, b_head, birth):
    url = reverse("procedures:processdefinition-edit", args=[birth.process_document.pk])
    assert client_for(b_head).get(url).status_code == 404


def test_coverage_counts_and_lists_the_gaps(client_for, a_secretary, agency_a, birth):
    revision_issue_imported(actor=None, document=birth.process_document, summary=IMPORTED_SUMMARY,
                            on=datetime.date(2026, 3, 2))
    admin_procedure_create(actor=None, agency=agency_a, code="2.1", name="Không có quy trình", time_limit_days=1)
    no_process = document_create(actor=None, agency=agency_a, code="QT-9", title="Quy trình chưa có bước",
                                 kind="operational_procedure")
    admin_procedure_create(actor=None, agency=agency_a, code="2.2", name="Quy trình chưa ban hành",
                           time_limit_days=1, process_document=no_process)
    response = client_for(a_secretary).get(reverse("procedures:adminprocedure-coverage"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-coverage-percent="33"' in page
    assert "Không có quy trình" in page and "Quy trình chưa ban hành" in page
    assert "Đăng ký khai sinh" not in page.split('id="results"')[1]
    assert 'data-chart="chart-coverage"' in page


def test_coverage_of_an_overseer_compares_agencies(client_for, overseer, birth, agency_b):
    admin_procedure_create(actor=None, agency=agency_b, code="3.1", name="Cấp phép xây dựng", time_limit_days=15)
    page = client_for(overseer).get(reverse("procedures:adminprocedure-coverage")).content.decode()
    assert "Sở Xây dựng" in page and "chart-agencies" in page


def test_import_page_refuses_a_bad_file_and_imports_a_good_one(client_for, a_secretary, agency_a, unit_a, settings,
                                                               tmp_path, django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    client = client_for(a_secretary, language="en")
    url = reverse("procedures:adminprocedure-import")
    bad = "procedure_code,procedure_name,time_limit_days,step_name,unit_code,allowance_hours\n" \
          "1.1,Thủ tục A,3,Tiếp nhận,NOPE,4\n"
    with django_capture_on_commit_callbacks(execute=True):  # queued on commit; the tests' backend runs it at once
        response = client.post(url, {"agency": agency_a.pk, "file": SimpleUploadedFile("a.csv", bad.encode())})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Row 2, column unit_code" in page and "Import a corrected file" in page
    assert not AdminProcedure.objects.exists()
    good = bad.replace("NOPE", "HCTP")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"agency": agency_a.pk, "file": SimpleUploadedFile("a.csv", good.encode())})
    assert response.status_code == 302
    assert "1 procedures added" in client.get(response["Location"]).content.decode()
    assert AdminProcedure.objects.get(code="1.1").process_document == Document.objects.get(code="QT-1.1")
    # A file the import cannot read is refused at once, in the request.
    response = client.post(url, {"agency": agency_a.pk, "file": SimpleUploadedFile("a.txt", b"x")})
    assert response.status_code == 400 and "a.txt" in response.content.decode()


def test_import_page_cannot_target_another_agency(client_for, a_secretary, agency_b):
    response = client_for(a_secretary).post(reverse("procedures:adminprocedure-import"), {
        "agency": agency_b.pk, "file": SimpleUploadedFile("a.json", io.BytesIO(b"{}").getvalue())})
    assert response.status_code == 200  # "select a valid choice": the agency is not offered
    assert not AdminProcedure.objects.exists()
