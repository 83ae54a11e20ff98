"""Background work of core: the import jobs (``eiso.core.jobs``), run by ``eiso db_worker``."""

from django.tasks import task

from eiso.core.jobs import import_job_run, import_job_task_set


@task()
def import_job_task(job_id: int) -> str:
    """Run an uploaded import; its outcome is kept on the ImportJob row."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


def import_job_enqueue(job) -> None:
    """Queue ``job`` and remember its task (call it once the job is committed)."""
    result = import_job_task.enqueue(job.pk)
    import_job_task_set(job=job, task_id=result.id)
