"""Back office for superusers and staff accounts.

Day-to-day work goes through the eISO pages, which call the services; the back office is for
repairs, and its edits are audited too (AuditedModelAdmin). API tokens are read-only here (only their hash is stored).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from eiso.core.admin import AuditedModelAdmin
from eiso.core.audit import audit_record
from eiso.organizations.models import (
    Agency,
    AgencyCalendar,
    ApiToken,
    CalendarException,
    JobDescription,
    Membership,
    MembershipRole,
    Province,
    SteeringCommittee,
    SteeringMember,
    Unit,
    User,
)


@admin.register(Province)
class ProvinceAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["code", "name", "kind", "is_active"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "province", "valid_from", "valid_to"]
    list_filter = ["province", "level"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["province"]
    autocomplete_fields = ["parent", "predecessors"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "agency", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "agency", "unit", "valid_from", "valid_to"]
    list_filter = ["valid_to"]
    search_fields = ["user__username", "user__full_name", "agency__name"]
    list_select_related = ["user", "agency", "unit"]
    autocomplete_fields = ["user", "agency", "unit"]
    inlines = [MembershipRoleInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["agency", "unit", "valid_from", "valid_to"]
    autocomplete_fields = ["agency", "unit"]
    show_change_link = True


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {
                "fields": (
                    "full_name",
                    "first_name",
                    "last_name",
                    "email",
                    "position",
                    "phone",
                    "preferred_language",
                )
            },
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [MembershipInline]

    def user_change_password(self, request, id, form_url=""):
        """The back office's password form: the change is audited like one made in eISO."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = self.get_object(request, id)
            if person is not None:
                audit_record(actor=request.user, action="password", obj=person, agency=person.agency,
                             note="admin")
        return response


@admin.register(JobDescription)
class JobDescriptionAdmin(AuditedModelAdmin):
    list_display = ["code", "position", "agency", "unit"]
    search_fields = ["code", "position", "agency__name"]
    list_select_related = ["agency", "unit"]
    autocomplete_fields = ["agency", "unit"]


class SteeringMemberInline(admin.TabularInline):
    model = SteeringMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(AuditedModelAdmin):
    list_display = ["name", "agency", "decision_number", "decision_date", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "decision_number", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    inlines = [SteeringMemberInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


@admin.register(AgencyCalendar)
class AgencyCalendarAdmin(AuditedModelAdmin):
    list_display = ["agency", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]
    search_fields = ["agency__code", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(AuditedModelAdmin):
    list_display = ["date", "agency", "kind", "reason", "decision"]
    list_filter = ["kind"]
    search_fields = ["agency__code", "agency__name", "reason", "decision"]
    date_hierarchy = "date"
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
