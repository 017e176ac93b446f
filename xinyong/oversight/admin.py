"""Back office for the loaded plan (督导考核): read-only, since ``services.plan_load`` is its one writer."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from xinyong.accounts.selectors import unit_by_code, unit_list_all
from xinyong.oversight import selectors
from xinyong.oversight.models import (
    Plan,
    PlanProgressReport,
    PlanReportEvidence,
    PlanReportTransition,
    PlanSection,
    PlanTask,
    PlanTaskUnit,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: the plan changes by reloading its text (``xinyong up``), never by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows and changes nothing."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class UnitInvolvedFilter(admin.SimpleListFilter):
    """Tasks of one unit, named directly or through a group (各区政府, 各有关部门), as the selectors count."""

    title = "责任单位"
    parameter_name = "unit"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(unit.code, unit.name) for unit in unit_list_all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[PlanTask]) -> QuerySet[PlanTask]:
        unit = unit_by_code(code=self.value()) if self.value() else None
        if unit is None:
            return queryset
        return queryset.filter(pk__in=selectors.plan_task_list(unit=unit).values("pk"))


class PlanSectionInline(ReadOnlyInline):
    model = PlanSection
    fields = ["number", "numeral", "title", "inferred"]


class PlanTaskUnitInline(ReadOnlyInline):
    model = PlanTaskUnit
    fields = ["position", "unit", "group", "lead"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "source_name", "loaded_at"]
    fields = ["code", "title", "source_name", "sha256", "loaded_at", "preamble", "notes"]
    inlines = [PlanSectionInline]


@admin.register(PlanSection)
class PlanSectionAdmin(ReadOnlyAdmin):
    list_display = ["number", "numeral", "title", "inferred", "plan"]
    list_filter = ["plan", "inferred"]


@admin.register(PlanTask)
class PlanTaskAdmin(ReadOnlyAdmin):
    list_display = ["number", "section", "short_text", "open_ended"]
    list_display_links = ["number"]
    list_filter = ["section", UnitInvolvedFilter, "open_ended"]
    search_fields = ["text", "units_raw"]
    fields = ["plan", "number", "section", "text", "units_raw", "open_ended"]
    inlines = [PlanTaskUnitInline]
    list_select_related = ["section"]

    @admin.display(description="任务内容")
    def short_text(self, task: PlanTask) -> str:
        return task.text if len(task.text) <= 40 else task.text[:40] + "…"


class PlanReportEvidenceInline(ReadOnlyInline):
    model = PlanReportEvidence
    fields = ["name", "content_type", "size", "sha256", "uploaded_at", "uploaded_by"]


class PlanReportTransitionInline(ReadOnlyInline):
    model = PlanReportTransition
    fields = ["at", "action", "from_state", "to_state", "actor", "unit_code", "reason"]


@admin.register(PlanProgressReport)
class PlanProgressReportAdmin(ReadOnlyAdmin):
    """Progress reports, read only: units file them and the credit office reviews them in the console
    (/console/plan/), through ``services/reports.py``."""

    list_display = ["task", "unit", "period", "progress", "state", "first_submitted_at", "late_working_days"]
    list_filter = ["state", "period", "progress"]
    search_fields = ["unit__name", "narrative"]
    list_select_related = ["task", "unit"]
    inlines = [PlanReportEvidenceInline, PlanReportTransitionInline]
