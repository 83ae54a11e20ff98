"""Back office: the audit trail can be read, never added, changed or deleted, and every edit
made in the back office leaves an audit event like an edit made through the services."""

from django.contrib import admin
from django.db import transaction

from eiso.core.audit import audit_record
from eiso.core.models import AuditEvent


def _agency_for(obj):
    return getattr(obj, "agency", None) if obj._meta.label == "organizations.User" else None


class AuditedModelAdmin(admin.ModelAdmin):
    """Records ``admin_add`` / ``admin_change`` / ``admin_delete`` events with before → after."""

    def save_model(self, request, obj, form, change):
        fields = [f for f in form.changed_data if f in {x.name for x in obj._meta.fields}]
        before = {}
        if change and fields:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = {f: str(getattr(old, f)) for f in fields} if old else {}
        super().save_model(request, obj, form, change)
        changes = {f: [before.get(f), str(getattr(obj, f))] for f in fields}
        if changes or not change:
            audit_record(actor=request.user, action="admin_change" if change else "admin_add", obj=obj,
                         changes=changes, agency=_agency_for(obj))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        touched = [str(o) for o in formset.new_objects + [o for o, _f in formset.changed_objects]]
        removed = [str(o) for o in formset.deleted_objects]
        if touched or removed:
            label = str(formset.model._meta.verbose_name_plural)
            audit_record(actor=request.user, action="admin_change", obj=form.instance,
                         changes={label: [removed or None, touched or None]}, agency=_agency_for(form.instance))

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin_delete", obj=obj, agency=_agency_for(obj))
        super().delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields (predecessors, groups, permissions) are saved here, after the object:
        their before → after goes into the audit trail too."""
        obj = form.instance
        names = [f.name for f in obj._meta.many_to_many if f.name in form.changed_data]
        before = {n: sorted(str(o) for o in getattr(obj, n).all()) for n in names} if change else {}
        super().save_related(request, form, formsets, change)
        changes = {}
        for name in names:
            after = sorted(str(o) for o in getattr(obj, name).all())
            if before.get(name, []) != after:
                changes[name] = [before.get(name) or None, after or None]
        if changes:
            audit_record(actor=request.user, action="admin_change", obj=obj, changes=changes,
                         agency=_agency_for(obj))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action="admin_delete", obj=obj, agency=_agency_for(obj))
            super().delete_queryset(request, queryset)


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
