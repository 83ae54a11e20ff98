"""What the objectives app does when an earlier app announces a change (``eiso.core.changes``)."""

from eiso.objectives.choices import TOPIC_INDICATORS


def objectives_data_changed(sender, *, agency_id: int, topic: str, **kwargs) -> None:
    """Queue the refresh of the agency's objectives computed from ``topic`` data, unless the same
    refresh is queued already and not yet started: that one reads this change too, since it starts
    after the change committed (a busy agency's writes, one a second during an import, queued a
    refresh each, run one after another once the worker was free)."""
    if topic not in TOPIC_INDICATORS:
        return
    # Imported here, not when the app is made ready: a task binds its backend when its module is
    # imported, and the backend is chosen by the settings in force when the work is queued.
    from eiso.objectives.tasks import objectives_refresh_task

    if _waiting(objectives_refresh_task, agency_id, topic):
        return
    objectives_refresh_task.enqueue(agency_id, topic)


def _waiting(task, *args) -> bool:
    """Whether the database queue holds ``task`` with ``args``, ready and not yet taken by a worker
    (False with any other backend: the immediate backend of the tests runs it at once)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(
        task_path=task.module_path, queue_name=task.queue_name, backend_name=backend.alias,
        args_kwargs={"args": list(args), "kwargs": {}}).exists()
