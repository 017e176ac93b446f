"""Issued reports in the back office: read-only (a report is never changed or deleted)."""

from django.contrib import admin

from xinyong.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "kind", "subject_name", "subject_code", "requested_by", "pages"]
    list_filter = ["kind"]
    search_fields = ["number", "subject_name", "subject_code"]
    exclude = ["code_hash"]
    raw_id_fields = ["subject"]
    ordering = ["-created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
