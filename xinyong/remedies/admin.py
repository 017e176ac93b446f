"""Back office lists of objections and repair applications (docs/interfaces.md: "objections and repairs to
handle"). Read-only: every step goes through the services (API), which keep the history and the audit
trail."""

from django.contrib import admin

from xinyong.remedies.models import Objection, ObjectionTransition, RepairApplication, RepairTransition


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ObjectionStepInline(admin.TabularInline):
    model = ObjectionTransition
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields


@admin.register(Objection)
class ObjectionAdmin(_ReadOnly):
    list_display = [
        "id",
        "subject",
        "target_kind",
        "grounds",
        "state",
        "provider_unit",
        "filed_at",
        "accept_due",
        "verify_due",
        "escalated_at",
    ]
    list_filter = ["state", "grounds", "target_kind", "provider_unit"]
    list_select_related = ["subject", "provider_unit"]
    search_fields = ["subject__name", "applicant_name"]
    exclude = ["query_code"]
    inlines = [ObjectionStepInline]


class RepairStepInline(admin.TabularInline):
    model = RepairTransition
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields


@admin.register(RepairApplication)
class RepairApplicationAdmin(_ReadOnly):
    list_display = [
        "id",
        "subject",
        "target_kind",
        "state",
        "deciding_unit",
        "filed_at",
        "overall_due",
        "decide_due",
    ]
    list_filter = ["state", "target_kind", "deciding_unit"]
    list_select_related = ["subject", "deciding_unit"]
    search_fields = ["subject__name", "applicant_name"]
    exclude = ["query_code"]
    inlines = [RepairStepInline]
