"""Shared write helpers for services: validated create/update that leave an audit row."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from eiso.core.audit import audit_record, diff, snapshot
from eiso.core.errors import ValidationFailed

DUPLICATE_PREFIX = "duplicate_"


def validation_failed_from(exc: ValidationError) -> ValidationFailed:
    """A domain error carrying Django's field errors, so forms and the API can show them.

    A constraint violation whose code is ``duplicate_<field>`` is reported on that field rather
    than on the form as a whole, next to the input the user has to change.
    """
    error_dict = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    errors: dict[str, list[str]] = {}
    for field, errs in error_dict.items():
        for error in errs:
            target = field
            if field == NON_FIELD_ERRORS and (error.code or "").startswith(DUPLICATE_PREFIX):
                target = error.code.removeprefix(DUPLICATE_PREFIX)
            errors.setdefault(target, []).extend(str(m) for m in error.messages)
    first = next(iter(errors.values()))[0]
    return ValidationFailed(first, errors=errors)


def full_clean(obj: models.Model, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise validation_failed_from(exc)


def model_create(*, model: type[models.Model], data: dict, actor, action: str = "create",
                 note: str = "") -> models.Model:
    """Validate, insert and audit one object. Call inside the service's transaction."""
    obj = model(**data)
    full_clean(obj)
    obj.save()
    after = snapshot(obj, list(data))
    audit_record(actor=actor, action=action, obj=obj, changes={k: [None, v] for k, v in after.items()},
                 note=note)
    return obj


def model_update(*, obj: models.Model, data: dict, fields: list[str], actor, action: str = "update",
                 note: str = "") -> tuple[models.Model, dict]:
    """Set the allowed ``fields`` present in ``data``, validate, save only what changed, audit it.

    Returns the object and ``{field: [before, after]}`` (empty when nothing changed, and then
    nothing is written).
    """
    names = [f for f in fields if f in data]
    before = snapshot(obj, names)
    for name in names:
        setattr(obj, name, data[name])
    changes = diff(before, snapshot(obj, names))
    if not changes:
        return obj, {}
    full_clean(obj)
    update_fields = [obj._meta.get_field(f).attname for f in changes]
    obj.save(update_fields=update_fields)
    audit_record(actor=actor, action=action, obj=obj, changes=changes, note=note)
    return obj, changes
