"""Back office for commitments and training (docs/interfaces.md). Everything is read-only here: templates and
courses change through commitments/data/commitments.yaml (`commitments_load`), commitments and enrolments only
through their services (the API), so that every change is audited."""

from __future__ import annotations

from django.contrib import admin

from xinyong.commitments.models import Commitment, CommitmentTemplate, Course, Enrolment


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CommitmentTemplate)
class CommitmentTemplateAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("code", "title", "kind", "verify_months", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "title")


@admin.register(Commitment)
class CommitmentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("id", "kind", "subject", "matter", "accepting_unit", "signed_at", "verify_due", "state")
    list_filter = ("kind", "state", "on_behalf")
    search_fields = ("matter", "subject__name", "subject__uscc", "signer_name")
    list_select_related = ("subject", "accepting_unit")
    raw_id_fields = ("subject", "breach_record")
    date_hierarchy = "signed_at"


@admin.register(Course)
class CourseAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("code", "title", "mode", "hours", "provider", "active")
    list_filter = ("mode", "active")
    search_fields = ("code", "title")


@admin.register(Enrolment)
class EnrolmentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("id", "course", "subject", "enrolled_at", "completed_at", "certificate_no", "score")
    list_filter = ("course",)
    search_fields = ("certificate_no", "subject__name", "subject__uscc")
    list_select_related = ("course", "subject")
    raw_id_fields = ("subject",)
