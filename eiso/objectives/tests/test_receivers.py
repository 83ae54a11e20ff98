"""The refresh queued when an earlier app's data change: one waiting per agency and topic."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from eiso.core.changes import data_changed_announce

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def announce(agency, topic="dossiers"):
    with transaction.atomic():  # sent once this commits, as a service's would be
        data_changed_announce(sender=None, agency_id=agency.pk, topic=topic)


def refreshes():
    return sorted((r.args_kwargs["args"][0], r.args_kwargs["args"][1], r.status)
                  for r in DBTaskResult.objects.filter(task_path__endswith="objectives_refresh_task"))


def test_a_refresh_waiting_for_a_worker_is_not_queued_twice(database_queue, agency_a, agency_b):
    announce(agency_a)
    announce(agency_a)  # the waiting refresh will read this change too: it starts after the commit
    announce(agency_a, "complaints")  # another topic, another refresh
    announce(agency_b)  # another agency
    assert refreshes() == sorted([(agency_a.pk, "dossiers", "READY"), (agency_a.pk, "complaints", "READY"),
                                  (agency_b.pk, "dossiers", "READY")])


def test_a_refresh_already_running_gets_a_new_one(database_queue, agency_a):
    announce(agency_a)
    DBTaskResult.objects.update(status="RUNNING")  # a worker took it: it may have read the data already
    announce(agency_a)
    assert refreshes() == [(agency_a.pk, "dossiers", "READY"), (agency_a.pk, "dossiers", "RUNNING")]
