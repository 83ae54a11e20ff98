"""Shared write helpers for services: validated create/update that leave an audit row."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
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


# Free text has a sensible size: a 100,000-character risk description made a 34,000 px page. A
# model raises the limit of one field with ``TEXT_LIMITS = {"content": 200_000}``.
TEXT_LIMIT = 10_000


def text_limit_errors(obj: models.Model) -> dict[str, list[str]]:
    """``{field: [message]}`` for the text fields of ``obj`` longer than their limit (a TextField's
    ``TEXT_LIMIT``; a CharField's ``max_length`` is checked by Django)."""
    limits = getattr(obj, "TEXT_LIMITS", {})
    errors = {}
    for field in obj._meta.concrete_fields:
        if not field.editable or not isinstance(field, models.TextField):
            continue
        value, limit = getattr(obj, field.attname), limits.get(field.name, TEXT_LIMIT)
        if isinstance(value, str) and len(value) > limit:
            errors[field.name] = [_("%(field)s: at most %(limit)s characters (this text has %(count)s).") % {
                "field": capfirst(str(field.verbose_name)), "limit": f"{limit:,}".replace(",", "."),
                "count": f"{len(value):,}".replace(",", ".")}]
    return errors


def full_clean(obj: models.Model, **kwargs) -> None:
    """Django's model validation and the text limits, as one ValidationFailed naming each field."""
    errors = text_limit_errors(obj)
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        failed = validation_failed_from(exc)
        for field, messages in errors.items():
            failed.errors.setdefault(field, []).extend(messages)
        raise failed
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)


def _comparable(obj: models.Model, names: list[str]) -> dict:
    """Stored values (``unit_id``, not the unit's name) to decide what changed: two units may
    share a name, and moving between them is a change."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in names}


def save_checked(obj: models.Model, **kwargs) -> None:
    """Save in a savepoint. A unique constraint that another transaction satisfied first (two
    people creating the same code at the same moment) becomes a ValidationFailed naming the
    field, not a server error."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError:
        full_clean(obj)  # raises with the constraint's own message when it can tell which
        raise ValidationFailed(_("This conflicts with a change saved at the same moment; please try again."))


def model_create(*, model: type[models.Model], data: dict, actor, action: str = "create",
                 note: str = "") -> models.Model:
    """Validate, insert and audit one object. Call inside the service's transaction."""
    obj = model(**data)
    full_clean(obj)
    save_checked(obj)
    after = snapshot(obj, list(data))
    audit_record(actor=actor, action=action, obj=obj, changes={k: [None, v] for k, v in after.items()},
                 note=note)
    return obj


def model_update(*, obj: models.Model, data: dict, fields: list[str], actor, action: str = "update",
                 note: str = "") -> tuple[models.Model, dict]:
    """Set the allowed ``fields`` present in ``data``, validate, save only what changed, audit it.

    Returns the object and ``{field: [before, after]}`` with readable values (empty when nothing
    changed, and then nothing is written).
    """
    names = [f for f in fields if f in data]
    stored_before, shown_before = _comparable(obj, names), snapshot(obj, names)
    for name in names:
        setattr(obj, name, data[name])
    stored_after = _comparable(obj, names)
    changed = [name for name in names if stored_before[name] != stored_after[name]]
    if not changed:
        return obj, {}
    shown_after = snapshot(obj, changed)
    changes = {name: [shown_before[name], shown_after[name]] for name in changed}
    full_clean(obj)
    save_checked(obj, update_fields=[obj._meta.get_field(f).attname for f in changed])
    audit_record(actor=actor, action=action, obj=obj, changes=changes, note=note)
    return obj, changes
