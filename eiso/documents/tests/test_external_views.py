"""The external register's pages through HTTP: no permission (403), another agency (404), with
access; the overseer reads and changes nothing; tampered choices are refused; the import page
shows each bad row; list pages keep a bounded number of queries."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eiso.core.models import AuditEvent, ImportJob
from eiso.documents.choices import ExternalDocumentStatus
from eiso.documents.models import ExternalDocument, ReviewTask
from eiso.documents.services import external as services
from eiso.documents.tests.factories.external import external, procedure
from eiso.documents.tests.test_external_import import GOOD_ROWS, csv_file

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(agency_a, unit_a, agency_b, a_secretary):
    old = external(agency_a, "61/2018/NĐ-CP", title="Cơ chế một cửa, một cửa liên thông", effective_on=D(2018, 6, 21))
    new = external(
        agency_a, "118/2025/NĐ-CP", title="Thủ tục hành chính theo cơ chế một cửa", effective_on=D(2025, 7, 1)
    )
    qt = procedure(agency_a, "QT-01", "Quy trình cấp phiếu lý lịch tư pháp", unit=unit_a)
    qt2 = procedure(agency_a, "QT-02", "Quy trình chứng thực")
    services.external_document_cite(actor=a_secretary, external=old, documents=[qt])
    theirs = external(agency_b, "99/2020/NĐ-CP", title="Văn bản riêng của Sở Xây dựng")
    qt_b = procedure(agency_b, "QT-B1", "Quy trình của Sở Xây dựng")
    return {"old": old, "new": new, "qt": qt, "qt2": qt2, "theirs": theirs, "qt_b": qt_b}


def snapshot():
    return (
        ExternalDocument.objects.count(),
        ReviewTask.objects.count(),
        AuditEvent.objects.count(),
        list(ExternalDocument.objects.order_by("pk").values_list("status", "replaced_by_id", "title")),
    )


def url(name, *args):
    return reverse(f"documents:{name}", args=args)


ID_WRITE_PAGES = [
    "externaldocument-update",
    "externaldocument-replace",
    "externaldocument-expire",
    "externaldocument-amend",
    "externaldocument-cite",
]


def test_anonymous_is_sent_to_login(client, world):
    for path in [
        url("externaldocument-list"),
        url("externaldocument-create"),
        url("externaldocument-import"),
        url("reviewtask-list"),
        url("procedures-outdated"),
        url("externaldocument-detail", world["old"].pk),
        *[url(name, world["old"].pk) for name in ID_WRITE_PAGES],
    ]:
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), path


def test_staff_read_but_do_not_write(client_for, a_staff, world):
    client = client_for(a_staff)
    assert client.get(url("externaldocument-list")).status_code == 200
    page = client.get(url("externaldocument-detail", world["old"].pk))
    assert page.status_code == 200 and "61/2018/NĐ-CP" in page.content.decode()
    assert url("externaldocument-update", world["old"].pk) not in page.content.decode()
    before = snapshot()
    for path in [
        url("externaldocument-create"),
        url("externaldocument-import"),
        *[url(name, world["old"].pk) for name in ID_WRITE_PAGES],
    ]:
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"number": "x", "replaced_by": world["new"].pk}).status_code == 403, path
    assert snapshot() == before


def test_another_agency_gets_404(client_for, b_head, world):
    client = client_for(b_head)
    before = snapshot()
    for name in ["externaldocument-detail", *ID_WRITE_PAGES]:
        for method in ("get", "post"):
            response = getattr(client, method)(url(name, world["old"].pk))
            assert response.status_code == 404, (name, method)
            assert "61/2018" not in response.content.decode()
    listing = client.get(url("externaldocument-list")).content.decode()
    assert "61/2018/NĐ-CP" not in listing and "99/2020/NĐ-CP" in listing
    assert snapshot() == before


def test_overseer_reads_the_province_and_changes_nothing(client_for, overseer, world):
    client = client_for(overseer)
    listing = client.get(url("externaldocument-list")).content.decode()
    assert "61/2018/NĐ-CP" in listing and "99/2020/NĐ-CP" in listing
    assert url("externaldocument-create") not in listing
    detail = client.get(url("externaldocument-detail", world["old"].pk)).content.decode()
    assert url("externaldocument-update", world["old"].pk) not in detail
    before = snapshot()
    for path in [
        url("externaldocument-create"),
        url("externaldocument-import"),
        *[url(name, world["old"].pk) for name in ID_WRITE_PAGES],
    ]:
        assert client.post(path, {}).status_code == 403
    assert snapshot() == before
    assert client.get(url("reviewtask-list")).status_code == 200
    assert client.get(url("procedures-outdated")).status_code == 200


def test_list_search_filters_and_badges(client_for, a_secretary, world):
    services.external_document_replace(actor=a_secretary, document=world["old"], replaced_by=world["new"])
    client = client_for(a_secretary)
    page = client.get(url("externaldocument-list"), {"q": "mot cua lien thong"}).content.decode()
    assert "61/2018/NĐ-CP" in page and "118/2025/NĐ-CP" in page  # the replacement shows on the old row
    assert "text-decoration-line-through" in page and 'data-obsolete="true"' in page
    page = client.get(url("externaldocument-list"), {"status": "in_force"}).content.decode()
    assert "61/2018/NĐ-CP" not in page and "118/2025/NĐ-CP" in page
    partial = client.get(
        url("externaldocument-list"), {"doc_type": "law"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in partial.content.decode()


def test_create_update_and_the_change_actions(client_for, a_secretary, world):
    client = client_for(a_secretary)
    response = client.post(
        url("externaldocument-create"),
        {
            "number": "190/2025/NĐ-CP",
            "doc_type": "decree",
            "title": "Sửa đổi Nghị định 118",
            "issuer": "Chính phủ",
            "effective_on": "2025-08-31",
            "status": "in_force",
        },
    )
    amending = ExternalDocument.objects.get(number="190/2025/NĐ-CP")
    assert response.status_code == 302 and response.url == url("externaldocument-detail", amending.pk)
    response = client.post(
        url("externaldocument-update", amending.pk),
        {
            "number": "190/2025/NĐ-CP",
            "doc_type": "decree",
            "title": "Sửa đổi, bổ sung Nghị định 118",
            "issuer": "Chính phủ",
            "effective_on": "2025-08-31",
            "status": "in_force",
        },
    )
    assert response.status_code == 302
    amending.refresh_from_db()
    assert amending.title == "Sửa đổi, bổ sung Nghị định 118"
    # replace: the citing procedure gets its task
    assert client.get(url("externaldocument-replace", world["old"].pk)).status_code == 200
    response = client.post(url("externaldocument-replace", world["old"].pk), {"replaced_by": world["new"].pk})
    assert response.status_code == 302
    assert ReviewTask.objects.get().due_on == D(2025, 10, 1)
    # amend: procedures citing 118 get reviewed 3 months after the amendment takes effect
    services.external_document_cite(actor=a_secretary, external=world["new"], documents=[world["qt2"]])
    response = client.post(url("externaldocument-amend", world["new"].pk), {"amended_by": amending.pk})
    assert response.status_code == 302
    assert ReviewTask.objects.get(external_document=world["new"]).due_on == D(2025, 11, 30)
    # expire
    third = external(world["old"].agency, "5/2020/TT-BTP", effective_on=D(2020, 3, 1))
    response = client.post(url("externaldocument-expire", third.pk), {"expires_on": "2026-01-31"})
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == ExternalDocumentStatus.EXPIRED and third.expires_on == D(2026, 1, 31)


def test_tampered_choices_are_refused(client_for, a_secretary, world):
    client = client_for(a_secretary)
    before = snapshot()
    response = client.post(url("externaldocument-replace", world["old"].pk), {"replaced_by": world["theirs"].pk})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(url("externaldocument-cite", world["old"].pk), {"documents": [world["qt_b"].pk]})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    response = client.post(
        url("externaldocument-update", world["old"].pk),
        {
            "number": "61/2018/NĐ-CP",
            "doc_type": "decree",
            "title": "x",
            "issuer": "x",
            "status": "in_force",
            "effective_on": "2020-01-02",
            "expires_on": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert snapshot() == before


def test_cite_form_offers_only_the_agencys_procedures(client_for, a_secretary, world):
    client = client_for(a_secretary)
    page = client.get(url("externaldocument-cite", world["new"].pk)).content.decode()
    assert "QT-01" in page and "QT-02" in page and "QT-B1" not in page
    response = client.post(
        url("externaldocument-cite", world["new"].pk), {"documents": [world["qt"].pk, world["qt2"].pk]}
    )
    assert response.status_code == 302
    assert set(world["new"].cited_by.values_list("code", flat=True)) == {"QT-01", "QT-02"}
    detail = client.get(url("externaldocument-detail", world["new"].pk)).content.decode()
    assert "QT-01" in detail and "QT-02" in detail


def test_detail_shows_replacements_tasks_and_history(client_for, a_secretary, world):
    services.external_document_replace(actor=a_secretary, document=world["old"], replaced_by=world["new"])
    client = client_for(a_secretary)
    old_page = client.get(url("externaldocument-detail", world["old"].pk)).content.decode()
    assert "118/2025/NĐ-CP" in old_page and "alert-danger" in old_page
    new_page = client.get(url("externaldocument-detail", world["new"].pk)).content.decode()
    assert "61/2018/NĐ-CP" in new_page  # what it replaces
    tasks = client.get(url("externaldocument-detail", world["old"].pk) + "?tab=tasks").content.decode()
    assert "QT-01" in tasks and "01/10/2025" in tasks
    assert client.get(url("externaldocument-detail", world["old"].pk) + "?tab=history").status_code == 200


# --- import page -----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def test_import_page_imports_a_good_file_in_the_background(client_for, a_secretary, agency_a, media,
                                                           django_capture_on_commit_callbacks):
    client = client_for(a_secretary, language="en")
    assert client.get(url("externaldocument-import")).status_code == 200
    upload = csv_file(GOOD_ROWS)
    upload.name = "danh-muc.csv"
    with django_capture_on_commit_callbacks(execute=True) as queued:  # the tests' backend runs the task at once
        response = client.post(url("externaldocument-import"), {"agency": agency_a.pk, "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:importjob-detail", args=[job.pk])
    assert len(queued) == 1  # the request itself only stored the file and queued its import
    assert (job.status, job.kind, job.agency, job.result) == ("done", "external_documents", agency_a,
                                                              {"created": 6, "updated": 0, "unchanged": 0})
    assert ExternalDocument.objects.filter(agency=agency_a).count() == 6
    page = client.get(response["Location"]).content.decode()
    assert "The file was imported." in page and "6 added" in page and "hx-trigger" not in page
    # The upload page lists it among the recent imports, to follow it again.
    upload_page = client.get(url("externaldocument-import")).content.decode()
    assert reverse("core:importjob-detail", args=[job.pk]) in upload_page


def test_import_page_names_each_bad_row_and_writes_nothing(client_for, a_secretary, agency_a, media,
                                                           django_capture_on_commit_callbacks):
    rows = [list(r) for r in GOOD_ROWS]
    rows[5][5] = "32/13/2025"
    upload = csv_file(rows)
    upload.name = "bad.csv"
    client = client_for(a_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("externaldocument-import"), {"agency": agency_a.pk, "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert ("Row 7, column effective_on" in page) or ("Dòng 7, cột effective_on" in page)
    assert ImportJob.objects.get().status == "failed"
    assert not ExternalDocument.objects.exists()


def test_import_page_refuses_a_file_of_another_kind_at_once(client_for, a_secretary, agency_a, media):
    upload = io.BytesIO(b"%PDF-1.4 not a register")
    upload.name = "danh-muc.pdf"
    response = client_for(a_secretary).post(url("externaldocument-import"), {"agency": agency_a.pk, "file": upload})
    assert response.status_code == 400 and "danh-muc.pdf" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_import_into_another_agency_is_refused(client_for, a_secretary, agency_b):
    upload = io.BytesIO(b"number,type,title,issuer\n1/2025/TT,circular,x,y\n")
    upload.name = "x.csv"
    response = client_for(a_secretary).post(url("externaldocument-import"), {"agency": agency_b.pk, "file": upload})
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not ExternalDocument.objects.exists()


# --- review tasks and outdated procedures -----------------------------------------------------------


@pytest.fixture
def task(a_secretary, world):
    services.external_document_replace(actor=a_secretary, document=world["old"], replaced_by=world["new"])
    return ReviewTask.objects.get()


def test_review_task_pages(client_for, a_unit_head, a_staff, b_head, task):
    listing = client_for(a_staff).get(url("reviewtask-list"), {"status": "open"}).content.decode()
    assert "QT-01" in listing and "61/2018/NĐ-CP" in listing and "01/10/2025" in listing
    overdue = client_for(a_staff).get(url("reviewtask-list"), {"overdue": "1"}).content.decode()
    assert "QT-01" in overdue  # 1 October 2025 has passed
    detail = client_for(a_staff).get(url("reviewtask-detail", task.pk)).content.decode()
    assert "118/2025/NĐ-CP" in detail and url("reviewtask-complete", task.pk) not in detail
    assert client_for(a_staff).post(url("reviewtask-complete", task.pk), {"outcome": "x"}).status_code == 403
    assert client_for(b_head).get(url("reviewtask-detail", task.pk)).status_code == 404
    assert client_for(b_head).post(url("reviewtask-complete", task.pk), {"outcome": "x"}).status_code == 404
    head = client_for(a_unit_head)
    assert url("reviewtask-complete", task.pk) in head.get(url("reviewtask-detail", task.pk)).content.decode()
    response = head.post(url("reviewtask-complete", task.pk), {"outcome": ""})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == "open"
    response = head.post(url("reviewtask-complete", task.pk), {"outcome": "Đã sửa QT-01 (lần ban hành 2)"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.outcome == "Đã sửa QT-01 (lần ban hành 2)"
    assert client_for(a_unit_head).get(url("reviewtask-complete", task.pk)).status_code == 405


def test_outdated_procedures_page(client_for, a_staff, b_head, task, world):
    page = client_for(a_staff).get(url("procedures-outdated")).content.decode()
    assert "QT-01" in page and "61/2018/NĐ-CP" in page and "118/2025/NĐ-CP" in page and "QT-02" not in page
    assert "QT-01" not in client_for(b_head).get(url("procedures-outdated")).content.decode()


def test_no_inline_scripts_or_styles(client_for, a_secretary, task, world):
    import re

    client = client_for(a_secretary)
    for path in [
        url("externaldocument-list"),
        url("externaldocument-detail", world["old"].pk),
        url("externaldocument-import"),
        url("reviewtask-list"),
        url("reviewtask-detail", task.pk),
        url("procedures-outdated"),
        url("externaldocument-cite", world["old"].pk),
    ]:
        page = client.get(path).content.decode()
        assert " style=" not in page and " onclick=" not in page, path
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, tag


# --- bounded queries -------------------------------------------------------------------------------


def _queries(client, path) -> int:
    cache.clear()  # count computing the page, not reading its cached figures (eiso.core.freshness)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(agency, actor, start, count):
    for i in range(start, start + count):
        old = external(agency, f"{i}/2010/NĐ-CP", effective_on=D(2010, 1, 1))
        new = external(agency, f"{i}/2024/NĐ-CP", effective_on=D(2024, 1, 1))
        qt = procedure(agency, f"QT-X{i:03d}")
        services.external_document_cite(actor=actor, external=old, documents=[qt])
        services.external_document_replace(actor=actor, document=old, replaced_by=new)


@pytest.mark.parametrize("name", ["externaldocument-list", "reviewtask-list", "procedures-outdated"])
def test_list_page_queries_do_not_grow_with_rows(
    client_for, django_assert_max_num_queries, overseer, a_secretary, agency_a, name
):
    client = client_for(overseer)
    path = url(name)
    _fill(agency_a, a_secretary, 0, 2)
    client.get(path)
    few = _queries(client, path)
    _fill(agency_a, a_secretary, 2, 30)
    with django_assert_max_num_queries(few):
        response = client.get(path)
    assert response.context["page"].paginator.count >= 30
