"""Back office for dishonesty reports: read-only (reports move only through the services, over the API). The
reporter's identity is never shown in clear here: the ciphertexts and the query code are left out, the masked
line is shown. Staff see the reports their own unit handles; superusers see all."""

from __future__ import annotations

from django.contrib import admin

from xinyong.tipoffs.models import Tipoff, TipoffTransition


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TipoffTransitionInline(_ReadOnly, admin.TabularInline):
    model = TipoffTransition
    extra = 0
    fields = ("action", "from_state", "to_state", "actor", "unit_code", "reason", "at")


@admin.register(Tipoff)
class TipoffAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("id", "state", "category", "handling_unit", "subject_text", "anonymous", "filed_at",
                    "accept_deadline", "reward_decision")  # fmt: skip
    list_filter = ("state", "handling_unit", "category", "reward_decision", "anonymous")
    search_fields = ("subject_text",)
    exclude = ("reporter_name_cipher", "reporter_phone_cipher", "reporter_id_cipher", "query_code")
    inlines = [TipoffTransitionInline]

    def get_queryset(self, request):
        reports = super().get_queryset(request).select_related("category", "handling_unit")
        if request.user.is_superuser:
            return reports
        return reports.filter(handling_unit_id=getattr(request.user, "unit_id", None))
