"""Writing the audit trail. Services call these inside their transaction."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from eiso.core.models import AuditEvent


def _plain(value):
    """A JSON-friendly form of a field value, as a person would read it."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """Readable values of ``fields`` on ``obj`` (foreign keys by their str)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _agency_of(obj):
    if obj._meta.label == "organizations.Agency":
        return obj
    agency_id = getattr(obj, "agency_id", None)
    return agency_id


def audit_record(*, actor, action: str, obj: models.Model, changes: dict | None = None,
                 note: str = "", agency=None) -> AuditEvent:
    """Append one audit event for ``obj``. ``agency`` defaults to the object's own agency."""
    scope = agency if agency is not None else _agency_of(obj)
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_repr=(actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else "",
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        changes=changes or {},
        note=note,
    )
    if isinstance(scope, int):
        event.agency_id = scope
    else:
        event.agency = scope
    event.save()
    return event


def history_for(obj: models.Model):
    """Audit events of one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).select_related("actor")
