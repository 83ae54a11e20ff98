"""Back office: the audit trail can be read, never added, changed or deleted."""

from django.contrib import admin

from eiso.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "content_type", "object_repr", "agency"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_repr", "note"]
    date_hierarchy = "at"
    list_select_related = ["content_type", "agency"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
