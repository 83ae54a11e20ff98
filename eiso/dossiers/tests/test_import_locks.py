"""An import holds its agency against other imports, not against the agency's everyday writes."""

import io
import threading

import pytest
from django.db import connection, transaction

from eiso.core.audit import audit_record
from eiso.core.models import AuditEvent
from eiso.dossiers.importing import record_file
from eiso.dossiers.tests.factories.threads import started_in_a_thread
from eiso.dossiers.tests.test_import_pages import GOOD
from eiso.procedures.tests.factories import procedure_with_process

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite locks the file)"),
]


def test_an_audit_event_of_the_agency_does_not_wait_for_a_running_import(agency_a, unit_a, one_stop_a, a_secretary):
    procedure_with_process(agency_a, one_stop=one_stop_a, unit=unit_a)
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def hold(phase, done, total):  # the import pauses while it holds its lock (inside its transaction)
        if phase == "write" and not locked.is_set():
            locked.set()
            release.wait(30)

    importer = started_in_a_thread(outcome, lambda: record_file(
        actor=a_secretary, opener=lambda: io.BytesIO(GOOD.encode()), filename="t.csv", progress=hold))
    try:
        assert locked.wait(30), outcome
        with transaction.atomic():  # a comment, a revision… each writes an audit event pointing at the agency
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting for the import would fail here
            audit_record(actor=a_secretary, action="comment", obj=agency_a, note="beside the import")
    finally:
        release.set()
        importer.join(60)
    assert "error" not in outcome, outcome
    assert outcome["summary"].events_created == 5
    assert AuditEvent.objects.filter(action="comment", agency=agency_a).exists()
