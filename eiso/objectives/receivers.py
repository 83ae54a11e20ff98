"""What the objectives app does when an earlier app announces a change (``eiso.core.changes``)."""

from eiso.objectives.choices import TOPIC_INDICATORS


def objectives_data_changed(sender, *, agency_id: int, topic: str, **kwargs) -> None:
    """Queue the refresh of the agency's objectives computed from ``topic`` data."""
    if topic not in TOPIC_INDICATORS:
        return
    # Imported here, not when the app is made ready: a task binds its backend when its module is
    # imported, and the backend is chosen by the settings in force when the work is queued.
    from eiso.objectives.tasks import objectives_refresh_task

    objectives_refresh_task.enqueue(agency_id, topic)
