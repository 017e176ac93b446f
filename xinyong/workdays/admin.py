"""Admin for the working-day calendar: the operator's other way (besides `xinyong calendar load FILE`) to
enter a year chinesecalendar does not know (docs/rules.md: the calendar is data, updated yearly).

Nothing here writes the calendar tables itself: a saved year (with its days) is handed to
`services.calendar_load_year`, so it gets the same validation, the `calendar.load` audit event, the
cache invalidation and the recompute hooks as a file load. Years are not deleted from the admin.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from xinyong.accounts.actors import request_actor
from xinyong.core import timeutil
from xinyong.core.errors import DomainError
from xinyong.workdays import selectors as workdays
from xinyong.workdays import services
from xinyong.workdays.models import CalendarDay, CalendarSource, CalendarYear


def _days_from_formsets(formsets) -> list[services.DaySpec]:
    """The days the operator left in the inline (deleted and empty rows skipped)."""
    days = []
    for formset in formsets:
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if form in deleted or not data.get("date") or data.get("DELETE"):
                continue
            days.append(services.DaySpec(data["date"], data["kind"], data["name"].strip()))
    return sorted(days, key=lambda d: d.date)


class CalendarDayFormSet(BaseInlineFormSet):
    """Runs the service's rules (date in the year, holidays on weekdays, workdays on weekends, no date
    twice) so the operator sees the errors on the form instead of a refusal after saving."""

    def clean(self) -> None:
        super().clean()
        year = getattr(self.instance, "year", None)
        if any(self.errors) or not isinstance(year, int):
            return
        errors = services.validate_year_days(year, _days_from_formsets([self]))
        if errors:
            raise ValidationError([e["message"] for e in errors])


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ("date", "kind", "name")
    extra = 3
    ordering = ("date",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "complete", "day_count", "loaded_at", "loaded_by", "note")
    list_filter = ("source", "complete")
    readonly_fields = ("source", "loaded_at", "loaded_by", "revision")
    fields = ("year", "complete", "note", "source", "loaded_at", "loaded_by", "revision")
    inlines = [CalendarDayInline]
    actions = ["complete_and_recompute"]

    @admin.display(description="例外天数")
    def day_count(self, obj: CalendarYear) -> int:
        return obj.days.count()

    def get_readonly_fields(self, request, obj=None):
        return ("year", *self.readonly_fields) if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Deferred: the year and its days are written together by the service in save_related."""

    def save_related(self, request, form, formsets, change) -> None:
        """Hand the whole year to calendar_load_year (audit, cache, recompute hooks), replacing its days."""
        obj: CalendarYear = form.instance
        spec = services.YearSpec(
            year=obj.year,
            days=tuple(_days_from_formsets(formsets)),
            complete=obj.complete,
            note=(obj.note or "").strip(),
        )
        result = services.calendar_load_year(
            actor=request_actor(request),
            now=timeutil.now(),
            spec=spec,
            source=CalendarSource.OPERATOR,
            replace=True,
            provenance={"via": "admin"},
        )
        saved = CalendarYear.objects.get(year=obj.year)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db
        for name in ("source", "loaded_at", "loaded_by", "revision"):
            setattr(obj, name, getattr(saved, name))
        self._report(request, result)

    def construct_change_message(self, request, form, formsets, add):
        return "经 calendar_load_year 载入（审计事件 calendar.load）"

    def _report(self, request, result: services.CalendarLoadResult, done: str = "") -> None:
        years = "、".join(map(str, result.years))
        if result.unchanged:
            self.message_user(request, f"{years} 年安排无变化，未重新载入", messages.INFO)
            return
        done = done or f"已载入 {years} 年（节假日 {result.holidays} 天，调休上班 {result.workdays} 天）"
        counts = "；".join(f"{path}：{n}" for path, n in result.recomputed.items()) or "未配置重新计算"
        self.message_user(request, f"{done}。重新计算：{counts}", messages.SUCCESS)
        for path, error in result.recompute_errors.items():
            self.message_user(request, f"重新计算 {path} 失败：{error}", messages.ERROR)

    @admin.action(description="载入完成并重新计算")
    def complete_and_recompute(self, request, queryset) -> None:
        """Mark the selected years complete and run the recompute hooks for them (service path)."""
        try:
            result = services.calendar_mark_complete(
                actor=request_actor(request),
                now=timeutil.now(),
                years=list(queryset.values_list("year", flat=True)),
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self._report(request, result, done=f"已将 {'、'.join(map(str, result.years))} 年标记为完整")

    def changelist_view(self, request, extra_context=None):
        """Warn on the list when the current or next year's schedule is missing."""
        if request.method == "GET":
            today = timeutil.business_date(timeutil.now())
            for line in workdays.calendar_warnings(today=today):
                self.message_user(request, line, messages.WARNING)
        return super().changelist_view(request, extra_context)
