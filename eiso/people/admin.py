from django.contrib import admin

from eiso.core.admin import AuditedModelAdmin
from eiso.people.models import CourseKind


@admin.register(CourseKind)
class CourseKindAdmin(AuditedModelAdmin):
    """The kinds of course are data: an administrator adds or renames them."""

    list_display = ("code", "name", "qualifies_auditor", "is_briefing", "order", "is_active")
    list_editable = ("order", "is_active")
