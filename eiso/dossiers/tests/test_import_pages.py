"""The upload page, the task it queues, the import's progress page and the list of imports."""

import io
import threading
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from eiso.core import priority
from eiso.core.audit import history_for
from eiso.dossiers.models import Dossier, DossierEvent, DossierImport
from eiso.dossiers.services.imports import ImportProgress, dossier_import_run

pytestmark = pytest.mark.django_db
CODE = "STP-260213-0001"
HEADER = "dossier_code,agency_code,procedure_code,channel,event,at,step,note\n"
GOOD = HEADER + (
    f"{CODE},STP,1.004227,online,received,2026-02-13 10:00,,\n"
    f"{CODE},,,,step_done,2026-02-13 14:00,1,\n"
    f"{CODE},,,,step_done,2026-02-24 09:00,2,\n"
    f"{CODE},,,,step_done,2026-02-25 11:00,3,\n"
    f"{CODE},,,,returned,2026-02-25 11:00,,\n"
)
CREATE = reverse("dossiers:dossierimport-create")
LIST = reverse("dossiers:dossierimport-list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def upload(client, text, name="thang2.csv", capture=None):
    data = text.encode() if isinstance(text, str) else text
    with capture(execute=True):  # the task is queued on commit; the tests' backend runs it at once
        return client.post(CREATE, {"file": SimpleUploadedFile(name, data)})


def test_upload_imports_in_the_background_and_shows_the_outcome(tthc, client_for, a_secretary,
                                                                 django_capture_on_commit_callbacks):
    client = client_for(a_secretary, language="en")
    assert client.get(CREATE).status_code == 200
    response = upload(client, GOOD, capture=django_capture_on_commit_callbacks)
    record = DossierImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:dossierimport-detail",
                                                                          args=[record.pk])
    assert (record.status, record.agency, record.created_by) == ("done", tthc.agency, a_secretary)
    assert (record.rows_total, record.events_created, record.dossiers_touched) == (5, 5, 1)
    assert Dossier.objects.get().result == "late"
    assert history_for(record).filter(action="create").exists()
    page = client.get(response["Location"]).content.decode()
    assert "The file was imported." in page and "5 new events" in page and 'data-percent="100"' in page
    assert "hx-trigger" not in page  # finished: no more polling
    # The same file again: nothing new.
    upload(client, GOOD, name="thang2-lai.csv", capture=django_capture_on_commit_callbacks)
    again = DossierImport.objects.order_by("-pk").first()
    assert (again.status, again.events_created) == ("done", 0)
    assert DossierEvent.objects.count() == 5


def test_a_refused_file_lists_its_bad_rows(tthc, client_for, a_secretary, django_capture_on_commit_callbacks):
    client = client_for(a_secretary, language="en")
    bad = HEADER + f"{CODE},STP,9.999999,online,received,2026-02-13 10:00,,\n{CODE},,,,nộp đơn,2026-02-13 11:00,,\n"
    response = upload(client, bad, capture=django_capture_on_commit_callbacks)
    record = DossierImport.objects.get()
    assert record.status == "failed"
    assert any(e.startswith("Row 2:") and "9.999999" in e for e in record.errors)
    assert any(e.startswith("Row 3:") for e in record.errors)
    page = client.get(response["Location"]).content.decode()
    assert "9.999999" in page and "nothing was imported" in page
    assert not Dossier.objects.exists()


def test_a_running_import_is_polled_and_its_partial_served(tthc, client_for, a_secretary, agency_a):
    record = DossierImport.objects.create(agency=agency_a, original_name="lon.csv", created_by=a_secretary,
                                          status="importing", rows_total=200, rows_done=50)
    client = client_for(a_secretary)
    url = reverse("dossiers:dossierimport-detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-percent="25"' in page
    partial = client.get(url, headers={"HX-Request": "true", "HX-Target": "import-progress"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"') and "<html" not in partial


def test_progress_is_written_on_the_import_row(tthc, a_secretary, agency_a):
    record = DossierImport.objects.create(agency=agency_a, original_name="lon.csv", created_by=a_secretary)
    progress = ImportProgress(record)
    progress("validate", 10_000, 40_000)
    record.refresh_from_db()
    assert (record.status, record.rows_done, record.rows_total) == ("validating", 10_000, 40_000)
    progress("validate", 20_000, 40_000)  # within a second: not written again
    record.refresh_from_db()
    assert record.rows_done == 10_000
    progress.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the progress written aside, on PostgreSQL only")
def test_progress_written_aside_from_another_thread_is_closed_by_the_caller(tthc, a_secretary, agency_a):
    record = DossierImport.objects.create(agency=agency_a, original_name="lon.csv", created_by=a_secretary)
    progress = ImportProgress(record)
    with transaction.atomic(), priority.background(19):  # inside a transaction: written through a connection
        ident = priority.lowered(lambda: progress("write", 5, 10) or threading.get_ident())  # of its own
    assert ident != threading.get_ident() and progress.side is not None
    progress.close()  # in the caller's thread (raised "can only be used in that same thread")
    assert progress.side is None


def test_an_import_runs_once(tthc, a_secretary, agency_a):
    record = DossierImport.objects.create(agency=agency_a, original_name="x.csv", created_by=a_secretary,
                                          status="done", events_created=3)
    assert dossier_import_run(dossier_import_id=record.pk).events_created == 3
    assert dossier_import_run(dossier_import_id=10**9) is None


@pytest.mark.parametrize(("name", "content", "message"), [
    ("thang2.txt", b"abc", ".jsonl"),
    ("thang2.csv", b"", "empty"),
    ("thang2.csv", "Mã hồ sơ".encode("utf-16"), "UTF-8"),
    ("thang2.jsonl", b"code,event\n", "JSON"),
    ("thang2.xlsx", b"PK\x03\x04 not a workbook", "not a valid"),
])
def test_files_are_checked_before_they_are_stored(name, content, message, tthc, client_for, a_secretary,
                                                  django_capture_on_commit_callbacks):
    response = upload(client_for(a_secretary, language="en"), content, name=name,
                      capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DossierImport.objects.exists()


def test_a_too_large_file_is_refused(tthc, client_for, a_secretary, settings, django_capture_on_commit_callbacks):
    settings.EISO_MAX_UPLOAD_BYTES = 100
    response = upload(client_for(a_secretary), GOOD, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400 and not DossierImport.objects.exists()


def test_staff_and_other_agencies_may_not_import(tthc, client_for, a_staff, a_unit_head,
                                                 django_capture_on_commit_callbacks):
    for user in (a_staff, a_unit_head):
        client = client_for(user)
        assert client.get(CREATE).status_code == 403
        assert upload(client, GOOD, capture=django_capture_on_commit_callbacks).status_code == 403
        assert "dossierimport-create" not in client.get(LIST).content.decode()
    assert not DossierImport.objects.exists() and not Dossier.objects.exists()


def test_an_upload_imports_only_into_the_uploaders_agency(tthc, client_for, b_head,
                                                          django_capture_on_commit_callbacks):
    upload(client_for(b_head), GOOD, capture=django_capture_on_commit_callbacks)
    record = DossierImport.objects.get()
    assert (record.agency.code, record.status) == ("SXD", "failed")
    assert not Dossier.objects.exists()


def test_another_agencys_import_is_not_found(tthc, client_for, a_secretary, b_head, agency_a):
    record = DossierImport.objects.create(agency=agency_a, original_name="bi-mat-A.csv", created_by=a_secretary)
    url = reverse("dossiers:dossierimport-detail", args=[record.pk])
    assert client_for(b_head).get(url).status_code == 404
    assert "bi-mat-A.csv" not in client_for(b_head).get(LIST).content.decode()
    assert client_for(a_secretary).get(url).status_code == 200


def test_the_list_searches_filters_and_pages_in_few_queries(tthc, client_for, a_secretary, agency_a,
                                                            django_assert_max_num_queries):
    for n in range(30):
        DossierImport.objects.create(agency=agency_a, original_name=f"thang-{n:02d}.csv", created_by=a_secretary,
                                     status="done" if n % 2 else "failed")
    client = client_for(a_secretary)
    with django_assert_max_num_queries(12):
        page = client.get(LIST).content.decode()
    assert "thang-29.csv" in page and "thang-00.csv" not in page  # newest first, 25 a page
    page = client.get(LIST, {"q": "thang-0", "status": "failed"}).content.decode()
    assert "thang-08.csv" in page and "thang-09.csv" not in page and "thang-10.csv" not in page
    partial = client.get(LIST, {"page": 2}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "thang-00.csv" in partial.content.decode() and "<html" not in partial.content.decode()


def test_the_uploaded_file_is_read_from_storage(tthc, a_secretary, django_capture_on_commit_callbacks):
    from eiso.dossiers.services.imports import dossier_import_start
    from eiso.dossiers.tasks import dossier_import_task

    uploaded = SimpleUploadedFile("t.jsonl", io.BytesIO(
        b'{"code": "STP-1", "agency": "STP", "procedure": "1.004227", '
        b'"events": [{"event": "received", "at": "2026-02-13T10:00:00+07:00"}]}\n').getvalue())
    record = dossier_import_start(actor=a_secretary, uploaded=uploaded)
    assert DossierImport.objects.get(pk=record.pk).status == "queued"
    with django_capture_on_commit_callbacks(execute=True):  # as the upload page does
        transaction.on_commit(partial(dossier_import_task.enqueue, record.pk))
    record.refresh_from_db()
    assert record.status == "done" and record.file.name.endswith(".jsonl")
    assert Dossier.objects.get().code == "STP-1"
