"""Template helpers of the organisation pages."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from eiso.core.templatetags.eiso_ui import audit_rows
from eiso.organizations.choices import Role

register = template.Library()

DETAIL_URLS = {
    "agency": "organizations:agency-detail",
    "unit": "organizations:unit-detail",
    "user": "organizations:user-detail",
    "jobdescription": "organizations:jobdescription-detail",
    "steeringcommittee": "organizations:steeringcommittee-detail",
}


@register.filter
def org_audit_changes(event):
    """Audit rows with role codes shown as role names."""
    return audit_rows(event, {"roles": dict(Role.choices)})


@register.filter
def verbose_name(model) -> str:
    return model._meta.verbose_name if model is not None else ""


@register.filter
def audit_object_url(event) -> str:
    """The page of the object an audit event is about, when it has one (the page itself still
    checks the reader's scope)."""
    content_type = ContentType.objects.get_for_id(event.content_type_id)
    name = DETAIL_URLS.get(content_type.model) if content_type.app_label == "organizations" else None
    if name is None or not str(event.object_id).isdigit():
        return ""
    return reverse(name, args=[event.object_id])
