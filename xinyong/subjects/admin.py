"""Back office for credit subjects: read-only views (writes go through the services), correction review.

Resident ID numbers are never shown: only the masked form; the hash and the cipher stay hidden.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from xinyong.accounts.actors import request_actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.subjects import selectors, services
from xinyong.subjects.models import CodeCorrection, CorrectionStatus, Subject, SubjectIdentifier, SubjectName


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubjectNameInline(ReadOnlyInline):
    model = SubjectName
    fields = ["name", "valid_from", "valid_to", "source", "recorded_at"]
    readonly_fields = fields


class SubjectIdentifierInline(ReadOnlyInline):
    model = SubjectIdentifier
    fk_name = "subject"
    fields = ["kind", "display", "status", "redirect_to", "correction", "recorded_at"]
    readonly_fields = fields


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "kind", "uscc", "person_masked", "status", "district", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    fields = [
        "kind",
        "name",
        "uscc",
        "person_masked",
        "district",
        "industry",
        "status",
        "merged_into",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [SubjectNameInline, SubjectIdentifierInline]

    def get_search_results(self, request, queryset, search_term):
        """A search term that is a valid code of any kind finds its subject; otherwise search by name."""
        try:
            found = selectors.subject_lookup(raw=search_term)
        except DomainError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(pk=found.subject.pk), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CodeCorrection)
class CodeCorrectionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "wrong_kind",
        "wrong_display",
        "from_subject",
        "to_subject",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
    ]
    list_filter = ["status", "wrong_kind"]
    search_fields = ["wrong_display", "reason"]
    exclude = ["wrong_value"]
    readonly_fields = [
        "wrong_kind",
        "wrong_display",
        "from_subject",
        "to_subject",
        "reason",
        "evidence",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[CodeCorrection], approve: bool, note: str
    ) -> None:
        actor = request_actor(request)
        for correction in queryset.filter(status=CorrectionStatus.SUBMITTED):
            try:
                services.code_correction_decide(
                    actor=actor, now=now(), correction=correction, approve=approve, note=note
                )
            except DomainError as err:
                self.message_user(request, f"更正单 #{correction.pk}：{err.message}", messages.ERROR)
            else:
                self.message_user(request, f"更正单 #{correction.pk} 已{'更正' if approve else '驳回'}")

    @admin.action(description="批准所选更正申请")
    def approve(self, request, queryset):
        self._decide(request, queryset, True, "后台审核批准")

    @admin.action(description="驳回所选更正申请")
    def reject(self, request, queryset):
        self._decide(request, queryset, False, "后台审核驳回")
