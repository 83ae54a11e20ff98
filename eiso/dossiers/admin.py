"""Back office for dossiers (looking things up; repairs of settings by superusers and staff).

A dossier's timing is computed from its events, so dossiers, events and rollups are read-only
here: a wrong event is corrected in the one-stop system and imported again. Settings are
editable and audited (AuditedModelAdmin).
"""

from django.contrib import admin

from eiso.core.admin import AuditedModelAdmin
from eiso.dossiers.models import Dossier, DossierEvent, DossierImport, DossierSettings


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DossierEventInline(_ReadOnly, admin.TabularInline):
    model = DossierEvent
    extra = 0
    fields = ["at", "kind", "step", "actor", "note", "source"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["code", "agency", "admin_procedure", "status", "received_at", "due_at", "finished_at", "result"]
    list_filter = ["status", "result", "channel", "agency"]
    search_fields = ["code", "applicant"]
    list_select_related = ["agency", "admin_procedure"]
    show_full_result_count = False
    inlines = [DossierEventInline]


@admin.register(DossierSettings)
class DossierSettingsAdmin(AuditedModelAdmin):
    list_display = ["agency", "supplement_mode", "due_soon_hours"]
    list_select_related = ["agency"]


@admin.register(DossierImport)
class DossierImportAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["original_name", "agency", "status", "rows_total", "rows_done", "events_created", "created_at"]
    list_filter = ["status"]
