"""Small template helpers shared by every page: Bootstrap field state, audit rows, active menu."""

import re

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from eiso.core.glossary import CHANGE_LABELS, PART_LABELS
from eiso.core.glossary import action_label as _action_label

register = template.Library()

@register.filter
def with_state(bound_field):
    """Render a form field's widget with Bootstrap's ``is-invalid`` when it has errors."""
    css = bound_field.field.widget.attrs.get("class", "")
    if bound_field.errors:
        css = f"{css} is-invalid"
    return bound_field.as_widget(attrs={"class": css.strip()})


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Structured values shown one row per part (a revision's long section texts); other dicts read
# inline ("added: 3; updated: 1").
EXPANDED = {"sections"}


def _capfirst(label) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


def _readable(value, choices: dict | None = None, parts: dict | None = None):
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, str) and _ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]} {value[11:16]}"
    if isinstance(value, dict):
        return "; ".join(f"{_capfirst((parts or {}).get(k, CHANGE_LABELS.get(k, k.replace('_', ' '))))}: "
                         f"{_readable(v, None, parts)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        glue = "; " if any(isinstance(v, dict) for v in value) else ", "
        return glue.join(str(_readable(v, choices, parts)) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if choices and value in choices:
        return choices[value]
    return value


def _field_of(model, name: str):
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


def audit_rows(event, extra_choices: dict | None = None) -> list[dict]:
    """``[{field, before, after}]`` of one audit event, with field labels and choice labels.

    Values read as text: dates as dd/mm/yyyy, choices by their labels, structured values part by
    part. ``extra_choices`` maps field names that are not model fields (e.g. ``roles``) to
    ``{value: label}``.
    """
    model = ContentType.objects.get_for_id(event.content_type_id).model_class()
    rows = []
    for name, pair in (event.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label, choices = CHANGE_LABELS.get(name, name.replace("_", " ")), (extra_choices or {}).get(name)
        field = _field_of(model, name)
        if field is not None:
            label = getattr(field, "verbose_name", label)
            if getattr(field, "choices", None):
                choices = dict(field.flatchoices)
        parts = PART_LABELS.get(name)
        if name in EXPANDED and isinstance(before or {}, dict) and isinstance(after or {}, dict):
            before, after = before or {}, after or {}
            for key in dict.fromkeys([*before, *after]):
                if before.get(key) != after.get(key):
                    rows.append({"field": f"{_capfirst(label)} — {(parts or {}).get(key, key)}",
                                 "before": _readable(before.get(key)), "after": _readable(after.get(key))})
            continue
        rows.append({"field": _capfirst(label), "before": _readable(before, choices, parts),
                     "after": _readable(after, choices, parts)})
    return rows


@register.filter
def audit_changes(event):
    return audit_rows(event)


@register.simple_tag(takes_context=True)
def nav_active(context, url: str | None) -> str:
    """``active`` when the current path is ``url`` or below it (the root only matches itself), and no
    other menu item is a closer match: on /dossiers/statistics/ the statistics item is active, not
    "Dossiers" (/dossiers/) as well."""
    request = context.get("request")
    if not request or not url:
        return ""
    path = request.path

    def matches(candidate: str) -> bool:
        return path == "/" if candidate == "/" else path == candidate or path.startswith(candidate)

    if not matches(url):
        return ""
    others = (item["url"] for section in context.get("nav_menu", ()) for item in section["items"] if item["url"])
    return "" if any(len(other) > len(url) and matches(other) for other in others) else "active"
