"""Import jobs: an upload is stored and queued, the task worker imports it, its page follows it;
a job whose worker died is interrupted and runs again; with no worker the page says what to start."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eiso.core import jobs
from eiso.core.audit import history_for
from eiso.core.errors import Forbidden
from eiso.core.models import ImportJob, TaskWorker
from eiso.core.tabular import RowErrors
from eiso.core.tasks import import_job_enqueue
from eiso.core.workers import this_host

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
imported = []


def run_sample(job, file):
    text = file.read().decode()
    errors = RowErrors()
    for n, line in enumerate(text.splitlines()[1:], start=2):
        if line == "bad":
            errors.cell(n, "value", "not a value")
    if errors:
        raise errors.refusal()
    imported.append(text)
    return f"{job.original_name}: {len(text.splitlines()) - 1} rows", {"rows": len(text.splitlines()) - 1}


@pytest.fixture(autouse=True)
def sample_kind(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    jobs.job_kind_register("sample", label="Samples", permission="organizations.view_agency", run=run_sample,
                           done_url=lambda job: "/", upload_url=lambda job: "/")
    imported.clear()
    yield
    jobs._kinds.pop("sample")


def start(actor, agency, text="value\n1\n2\n", name="mau.csv"):
    return jobs.import_job_start(kind="sample", agency=agency, uploaded=SimpleUploadedFile(name, text.encode()),
                                 actor=actor)


def test_a_job_runs_on_the_worker_and_keeps_its_outcome(a_secretary, agency_a, client_for, settings):
    job = start(a_secretary, agency_a)
    assert job.status == "queued" and not imported  # stored only: the import is the task's
    import_job_enqueue(job)  # the tests' backend runs it at once
    job.refresh_from_db()
    assert (job.status, job.summary, job.result, job.task_id != "") == ("done", "mau.csv: 2 rows", {"rows": 2}, True)
    assert history_for(job).filter(action="create", actor=a_secretary).exists()
    page = client_for(a_secretary, language="en").get(reverse("core:importjob-detail", args=[job.pk]))
    assert "The file was imported." in page.content.decode() and "mau.csv: 2 rows" in page.content.decode()


def test_a_refused_file_names_each_bad_row(a_secretary, agency_a, client_for):
    job = start(a_secretary, agency_a, "value\nbad\n1\nbad\n")
    import_job_enqueue(job)
    job.refresh_from_db()
    assert job.status == "failed" and not imported
    assert [e for e in job.errors if e.startswith("Row")] == ["Row 2, column value: not a value",
                                                              "Row 4, column value: not a value"]
    page = client_for(a_secretary, language="en").get(reverse("core:importjob-detail", args=[job.pk])).content.decode()
    assert "Row 4, column value" in page


def test_only_who_may_import_starts_a_job(b_staff, agency_a):
    with pytest.raises(Forbidden):
        start(b_staff, agency_a)
    assert not ImportJob.objects.exists()


def test_the_upload_is_checked_before_it_is_stored(a_secretary, agency_a):
    with pytest.raises(Exception, match=r"mau\.pdf"):
        start(a_secretary, agency_a, name="mau.pdf")
    assert not ImportJob.objects.exists()


def test_no_worker_then_a_killed_worker_then_run_again(a_secretary, agency_a, client_for, settings,
                                                       django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_QUEUE
    client = client_for(a_secretary, language="en")
    job = start(a_secretary, agency_a)
    import_job_enqueue(job)
    detail = reverse("core:importjob-detail", args=[job.pk])
    assert "No background worker is running" not in client.get(detail).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=2))
    page = client.get(detail).content.decode()
    assert "No background worker is running" in page and "eiso db_worker" in page
    # A worker takes it, then is killed (kill -9): its row stays, its process is gone.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    TaskWorker.objects.create(worker_id="w-killed", host=this_host(), pid=child.pid)
    job.refresh_from_db()
    DBTaskResult.objects.get(pk=job.task_id).claim("w-killed")
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    page = client.get(detail).content.decode()
    job.refresh_from_db()
    assert job.status == "interrupted" and "The import was interrupted." in page and "Run it again" in page
    assert history_for(job).filter(action="interrupt").exists()
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:importjob-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and imported
    assert client.post(reverse("core:importjob-retry", args=[job.pk])).status_code == 409


def test_a_job_on_a_live_worker_is_left_running(a_secretary, agency_a, settings):
    settings.TASKS = DATABASE_QUEUE
    job = start(a_secretary, agency_a)
    import_job_enqueue(job)
    job.refresh_from_db()
    TaskWorker.objects.create(worker_id="w-live", host=this_host(), pid=os.getpid())
    DBTaskResult.objects.get(pk=job.task_id).claim("w-live")
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    assert jobs.import_jobs_mark_interrupted() == 0


def test_a_running_job_writes_how_much_of_its_file_it_has_read(a_secretary, agency_a, monkeypatch):
    seen = []

    def run_reading(job, file):
        while file.read(1000):
            seen.append(jobs.job_percent(ImportJob.objects.get(pk=job.pk)))
        return "read", {}

    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    jobs.job_kind_register("reading", label="Reading", permission="organizations.view_agency", run=run_reading,
                           done_url=lambda job: "/", upload_url=lambda job: "/")
    try:
        job = jobs.import_job_start(kind="reading", agency=agency_a, actor=a_secretary,
                                    uploaded=SimpleUploadedFile("lon.csv", b"x" * 4000))
        import_job_enqueue(job)
    finally:
        jobs._kinds.pop("reading")
    assert seen == [25, 50, 75, 100]
    job.refresh_from_db()
    assert (job.status, job.bytes_read, job.bytes_total, jobs.job_percent(job)) == ("done", 4000, 4000, 100)


def test_the_page_and_the_api_show_the_percentage_of_a_running_job(a_secretary, agency_a, client_for, api_for):
    job = ImportJob.objects.create(kind="sample", agency=agency_a, original_name="lon.csv", created_by=a_secretary,
                                   status="running", bytes_read=50, bytes_total=200)
    page = client_for(a_secretary, language="en").get(reverse("core:importjob-detail", args=[job.pk]))
    assert 'data-percent="25"' in page.content.decode() and 'aria-valuenow="25"' in page.content.decode()
    assert api_for(a_secretary).get(f"/api/v1/import-jobs/{job.pk}").json()["percent"] == 25
    ImportJob.objects.filter(pk=job.pk).update(bytes_read=0)
    page = client_for(a_secretary, language="en").get(reverse("core:importjob-detail", args=[job.pk]))
    assert "data-percent" not in page.content.decode()  # not reading yet: an undetermined bar
    assert api_for(a_secretary).get(f"/api/v1/import-jobs/{job.pk}").json()["percent"] is None
