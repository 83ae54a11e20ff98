"""Background work of quality objectives (``django.tasks``; the database worker by default:
``eiso db_worker``): computed measurements follow their data.

Earlier apps announce that data of an agency changed (``eiso.core.changes``: a dossier import, a
corrective action closed, evaluations imported, a complaint answered…), once their transaction has
committed; ``receivers.objectives_data_changed`` (connected in ``ObjectivesConfig.ready``) queues
this refresh of that agency's objectives measured from that data. Confirmed periods never change.
"""


from django.tasks import task

from eiso.objectives.choices import TOPIC_INDICATORS


@task()
def objectives_refresh_task(agency_id: int, topic: str) -> int:
    """Recompute the agency's open measurements over the data of ``topic``: the rows written."""
    # The services are imported by the worker that runs the task, not by the writer that queues it
    # (a dossier import queues one per agency, after its commit).
    from eiso.objectives import services

    return services.measurements_refresh_for_agency(agency_id=agency_id, indicators=TOPIC_INDICATORS[topic])
