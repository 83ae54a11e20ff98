"""An upload whose worker is missing or was killed: the page says so, and the import can run again."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eiso.core.audit import history_for
from eiso.core.models import TaskWorker
from eiso.core.workers import this_host
from eiso.dossiers.models import DossierEvent, DossierImport
from eiso.dossiers.services.imports import dossier_imports_mark_interrupted
from eiso.dossiers.tests.test_import_pages import CREATE, GOOD

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def queued_upload(client, capture, name="thang2.csv") -> DossierImport:
    with capture(execute=True):  # queued on commit, in the database queue: no worker runs it here
        response = client.post(CREATE, {"file": SimpleUploadedFile(name, GOOD.encode())})
    assert response.status_code == 302
    record = DossierImport.objects.get()
    assert record.status == "queued" and record.task_id
    return record


def killed_mid_import(record: DossierImport) -> DBTaskResult:
    """A worker took the task and began, then was killed with `kill -9`: its row stays, its process is gone."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    TaskWorker.objects.create(worker_id="w-killed", host=this_host(), pid=child.pid)
    task = DBTaskResult.objects.get(pk=record.task_id)
    task.claim("w-killed")
    DossierImport.objects.filter(pk=record.pk).update(status="importing", rows_done=3, rows_total=5)
    return task


def test_a_queued_upload_with_no_worker_tells_what_to_start(tthc, client_for, a_secretary, database_queue,
                                                           django_capture_on_commit_callbacks):
    client = client_for(a_secretary, language="en")
    record = queued_upload(client, django_capture_on_commit_callbacks)
    detail = reverse("dossiers:dossierimport-detail", args=[record.pk])
    assert "No background worker is running" not in client.get(detail).content.decode()  # it may start soon
    DossierImport.objects.filter(pk=record.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=2))
    page = client.get(detail).content.decode()
    assert "No background worker is running" in page and "eiso db_worker" in page
    TaskWorker.objects.create(worker_id="w-live", host=this_host(), pid=os.getpid())
    assert "No background worker is running" not in client.get(detail).content.decode()


def test_an_import_whose_worker_was_killed_is_interrupted_and_runs_again(
        tthc, client_for, a_secretary, database_queue, django_capture_on_commit_callbacks):
    client = client_for(a_secretary, language="en")
    record = queued_upload(client, django_capture_on_commit_callbacks)
    killed_mid_import(record)
    detail = reverse("dossiers:dossierimport-detail", args=[record.pk])
    page = client.get(detail).content.decode()
    record.refresh_from_db()
    assert record.status == "interrupted" and record.finished_at is not None
    assert "The import was interrupted." in page and "Run it again" in page and "hx-trigger" not in page
    assert history_for(record).filter(action="interrupt").exists()
    # Run again: queued afresh, then done by a worker (the tests' immediate backend).
    database_queue.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:dossierimport-retry", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.events_created, record.errors) == ("done", 5, [])
    assert DossierEvent.objects.count() == 5
    assert history_for(record).filter(action="retry", actor=a_secretary).exists()
    # Only an interrupted import runs again.
    assert client.post(reverse("dossiers:dossierimport-retry", args=[record.pk])).status_code == 409


def test_a_running_import_on_a_live_worker_is_left_alone(tthc, client_for, a_secretary, database_queue,
                                                         django_capture_on_commit_callbacks):
    client = client_for(a_secretary, language="en")
    record = queued_upload(client, django_capture_on_commit_callbacks)
    TaskWorker.objects.create(worker_id="w-live", host=this_host(), pid=os.getpid())
    DBTaskResult.objects.get(pk=record.task_id).claim("w-live")
    assert dossier_imports_mark_interrupted() == 0
    page = client.get(reverse("dossiers:dossierimport-detail", args=[record.pk])).content.decode()
    assert "hx-trigger" in page and "interrupted" not in page


def test_another_agency_cannot_run_an_import_again(tthc, client_for, a_secretary, b_head, database_queue,
                                                   django_capture_on_commit_callbacks):
    record = queued_upload(client_for(a_secretary), django_capture_on_commit_callbacks)
    killed_mid_import(record)
    assert dossier_imports_mark_interrupted() == 1
    assert client_for(b_head).post(reverse("dossiers:dossierimport-retry", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.status == "interrupted"


def test_the_api_uploads_follows_and_runs_again(tthc, api_for, a_secretary, database_queue,
                                                django_capture_on_commit_callbacks):
    api = api_for(a_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/dossier-imports", {"file": SimpleUploadedFile("thang2.csv", GOOD.encode())})
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["waiting_for_worker"]) == ("queued", False)
    record = DossierImport.objects.get(pk=body["id"])
    killed_mid_import(record)
    body = api.get(f"/api/v1/dossier-imports/{record.pk}").json()
    assert body["status"] == "interrupted" and body["errors"]
    database_queue.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/dossier-imports/{record.pk}/retry")
    assert response.status_code == 202
    body = api.get(f"/api/v1/dossier-imports/{record.pk}").json()
    assert (body["status"], body["events_created"]) == ("done", 5)
