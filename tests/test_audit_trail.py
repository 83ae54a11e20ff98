"""The audit trail of core, as the services of organizations write it (a test of core that needs a later app)."""

import pytest

from eiso.core.audit import diff, history_for, snapshot
from eiso.core.errors import Forbidden
from eiso.core.models import AuditEvent
from eiso.organizations import services

pytestmark = pytest.mark.django_db


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_snapshot_reads_foreign_keys_as_text(unit_a):
    assert snapshot(unit_a, ["agency", "code"]) == {"agency": "Sở Tư pháp", "code": "HCTP"}


def test_update_records_actor_and_before_after(admin_user, unit_a):
    services.unit_update(actor=admin_user, unit=unit_a, name="Phòng Hành chính - Bổ trợ tư pháp")
    event = history_for(unit_a).first()
    assert event.action == "update"
    assert event.actor == admin_user
    assert event.agency_id == unit_a.agency_id
    assert event.changes == {"name": ["Phòng Hành chính tư pháp", "Phòng Hành chính - Bổ trợ tư pháp"]}


def test_update_without_change_writes_nothing(admin_user, unit_a):
    before = AuditEvent.objects.count()
    services.unit_update(actor=admin_user, unit=unit_a, name=unit_a.name)
    assert AuditEvent.objects.count() == before


def test_audit_events_cannot_be_edited_or_deleted(admin_user, unit_a):
    services.unit_update(actor=admin_user, unit=unit_a, name="Tên mới")
    event = history_for(unit_a).first()
    event.note = "sửa lén"
    with pytest.raises(Forbidden):
        event.save()
    with pytest.raises(Forbidden):
        event.delete()
    with pytest.raises(Forbidden):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(Forbidden):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.note == ""


def test_failed_write_leaves_no_audit_row(admin_user, unit_a, agency_a):
    from eiso.core.errors import ValidationFailed
    from eiso.organizations.tests.factories import UnitFactory

    UnitFactory(agency=agency_a, code="VP")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        services.unit_update(actor=admin_user, unit=unit_a, code="VP")  # duplicate code in the agency
    assert AuditEvent.objects.count() == before
    unit_a.refresh_from_db()
    assert unit_a.code == "HCTP"


def test_moving_between_units_of_the_same_name_is_a_change(admin_user, agency_a):
    from eiso.organizations.tests.factories import JobDescriptionFactory, UnitFactory

    first = UnitFactory(agency=agency_a, code="VP1", name="Văn phòng")
    second = UnitFactory(agency=agency_a, code="VP2", name="Văn phòng")
    job = JobDescriptionFactory(agency=agency_a, unit=first)
    services.job_description_update(actor=admin_user, job=job, unit=second)
    job.refresh_from_db()
    assert job.unit_id == second.pk
    assert history_for(job).first().changes == {"unit": ["Văn phòng", "Văn phòng"]}
