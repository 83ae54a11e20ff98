"""Back office for documented information (repairs by superusers and staff accounts).

Day-to-day work goes through the eISO pages and their services; edits made here are audited
(AuditedModelAdmin). A revision's status only moves through the workflow, an effective or
obsolete revision cannot be edited here either, and uploaded files are read-only.
"""

from django.contrib import admin

from eiso.core.admin import AuditedModelAdmin
from eiso.documents.choices import EDITABLE_STATUSES
from eiso.documents.models import (
    ChangeRequest,
    Comment,
    DistributionEntry,
    Document,
    DocumentRevision,
    ExternalDocument,
    FileList,
    RecordFile,
    RecordType,
    ReviewTask,
    RevisionFile,
    RevisionTransition,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(_ReadOnlyInline):
    model = DocumentRevision
    fields = ["issue_number", "status", "effective_date", "change_summary", "drafted_by", "approved_by"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Document)
class DocumentAdmin(AuditedModelAdmin):
    list_display = ["code", "title", "kind", "agency", "owner_unit", "created_at"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "title", "agency__name"]
    list_select_related = ["agency", "owner_unit"]
    autocomplete_fields = ["agency", "owner_unit", "parent"]
    filter_horizontal = ["distribution_units"]
    readonly_fields = ["created_at"]
    inlines = [RevisionInline]


class RevisionFileInline(_ReadOnlyInline):
    model = RevisionFile
    fields = ["original_name", "file_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class RevisionTransitionInline(_ReadOnlyInline):
    model = RevisionTransition
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields


@admin.register(DocumentRevision)
class DocumentRevisionAdmin(AuditedModelAdmin):
    list_display = ["document", "issue_number", "status", "effective_date", "drafted_by", "approved_by"]
    list_filter = ["status"]
    search_fields = ["document__code", "document__title", "change_summary"]
    list_select_related = ["document", "drafted_by", "approved_by"]
    raw_id_fields = ["document", "change_request"]
    inlines = [RevisionFileInline, RevisionTransitionInline]
    # The workflow (and its audit trail) is the only way a status or a signature changes.
    workflow_fields = ["status", "drafted_by", "reviewed_by", "reviewed_at", "approved_by", "approved_at",
                       "obsolete_at", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in EDITABLE_STATUSES:
            return [f.name for f in self.model._meta.fields if f.name != "id"]
        return self.workflow_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RevisionFile)
class RevisionFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "revision", "file_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["file_type"]
    search_fields = ["original_name", "sha256", "revision__document__code"]
    list_select_related = ["revision", "revision__document", "uploaded_by"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(AuditedModelAdmin):
    list_display = ["requested_at", "kind", "document", "proposed_code", "agency", "status", "requested_by"]
    list_filter = ["status", "kind"]
    search_fields = ["reason", "proposed_code", "proposed_title", "document__code"]
    list_select_related = ["agency", "document", "requested_by"]
    raw_id_fields = ["document", "proposed_unit", "requested_by", "decided_by"]
    autocomplete_fields = ["agency"]


@admin.register(DistributionEntry)
class DistributionEntryAdmin(AuditedModelAdmin):
    list_display = ["revision", "user", "notified_at", "acknowledged_at"]
    list_filter = [("acknowledged_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__full_name", "user__username", "revision__document__code"]
    list_select_related = ["revision", "revision__document", "user"]
    raw_id_fields = ["revision", "user"]


@admin.register(Comment)
class CommentAdmin(AuditedModelAdmin):
    list_display = ["created_at", "author", "revision"]
    search_fields = ["body", "author__full_name", "revision__document__code"]
    list_select_related = ["author", "revision", "revision__document"]
    raw_id_fields = ["revision", "author"]


@admin.register(ExternalDocument)
class ExternalDocumentAdmin(AuditedModelAdmin):
    list_display = ["number", "doc_type", "title", "issuer", "effective_on", "expires_on", "status", "agency"]
    list_filter = ["doc_type", "status"]
    search_fields = ["number", "title", "issuer"]
    list_select_related = ["agency"]
    raw_id_fields = ["replaced_by", "cited_by"]
    autocomplete_fields = ["agency"]


@admin.register(ReviewTask)
class ReviewTaskAdmin(AuditedModelAdmin):
    list_display = ["document", "external_document", "reason", "trigger_date", "due_on", "status"]
    list_filter = ["status", "reason"]
    search_fields = ["document__code", "external_document__number"]
    list_select_related = ["document", "external_document"]
    raw_id_fields = ["document", "external_document", "done_by"]


@admin.register(RecordType)
class RecordTypeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "agency", "retention_years", "responsible_unit"]
    search_fields = ["code", "name"]
    list_select_related = ["agency", "responsible_unit"]
    raw_id_fields = ["document", "responsible_unit"]
    autocomplete_fields = ["agency"]


class RecordFileInline(admin.TabularInline):
    model = RecordFile
    extra = 0
    raw_id_fields = ["record_type"]


@admin.register(FileList)
class FileListAdmin(AuditedModelAdmin):
    list_display = ["unit", "year", "agency", "approved_by"]
    list_filter = ["year"]
    search_fields = ["unit__name", "agency__name"]
    list_select_related = ["unit", "agency", "approved_by"]
    raw_id_fields = ["unit", "approved_by"]
    autocomplete_fields = ["agency"]
    inlines = [RecordFileInline]
