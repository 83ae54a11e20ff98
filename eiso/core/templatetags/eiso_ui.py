"""Small template helpers shared by every page: Bootstrap field state, audit rows, active menu."""

import re

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "merge": _("created by a merger"),
    "end": _("ended"),
    "move": _("moved"),
    "password": _("password changed"),
    "token": _("API token issued"),
    "revoke": _("API token revoked"),
    "member_add": _("member added"),
    "member_remove": _("member removed"),
    "admin_add": _("created in the back office"),
    "admin_change": _("changed in the back office"),
    "admin_delete": _("deleted in the back office"),
    # external register, review tasks and records (eiso.documents.services.external/records)
    "replace": _("replaced"),
    "expire": _("expired"),
    "amend": _("amended"),
    "cite": _("citing procedures changed"),
    "review_open": _("review task opened"),
    "review_reopen": _("review task reopened"),
    "review_complete": _("review done"),
    "import": _("register imported"),
    "dispose": _("disposed of"),
}


@register.filter
def with_state(bound_field):
    """Render a form field's widget with Bootstrap's ``is-invalid`` when it has errors."""
    css = bound_field.field.widget.attrs.get("class", "")
    if bound_field.errors:
        css = f"{css} is-invalid"
    return bound_field.as_widget(attrs={"class": css.strip()})


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


# Labels of change keys that are not model fields (written by services into AuditEvent.changes).
CHANGE_LABELS = {
    "agency": _("agency"),
    "unit": _("unit"),
    "unit_code": _("unit code"),
    "roles": _("roles"),
    "member": _("member"),
    "token": _("API token"),
    "file": _("file"),
    "status": _("status"),
    "comment": _("comment"),
    "distribution": _("readers notified"),
    "acknowledged_by": _("acknowledged by"),
    "reviewed_by": _("reviewed by"),
    "username": _("username"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _readable(value, choices: dict | None = None):
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and _ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]} {value[11:16]}"
    if isinstance(value, list | tuple):
        return ", ".join(str(_readable(v, choices)) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if choices and value in choices:
        return choices[value]
    return value


def audit_rows(event, extra_choices: dict | None = None) -> list[dict]:
    """``[{field, before, after}]`` of one audit event, with field labels and choice labels.

    ``extra_choices`` maps field names that are not model fields (e.g. ``roles``) to
    ``{value: label}``.
    """
    model = ContentType.objects.get_for_id(event.content_type_id).model_class()
    rows = []
    for name, pair in (event.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label, choices = CHANGE_LABELS.get(name, name), (extra_choices or {}).get(name)
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                pass
            else:
                label = getattr(field, "verbose_name", name)
                if getattr(field, "choices", None):
                    choices = dict(field.flatchoices)
        rows.append(
            {
                "field": str(label)[:1].upper() + str(label)[1:],
                "before": _readable(before, choices),
                "after": _readable(after, choices),
            }
        )
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
