"""The working-day calendar (docs/rules.md: "the calendar is data, updated yearly").

Only the exceptions to the Monday–Friday rule are stored: a `holiday` is a weekday off (国庆节 on a
Wednesday), a `workday` is an adjusted working weekend (调休上班, e.g. Saturday 2025-10-11). A year with
no `CalendarYear` row (or one not marked complete) is reckoned by weekends only and every result touching
it is provisional.
Writes go through `xinyong.workdays.services` (audit event, cache invalidation, recompute hooks).
"""

from django.db import models
from django.db.models import Q


class CalendarSource(models.TextChoices):
    BUILTIN = "chinesecalendar", "chinesecalendar 内置数据"
    OPERATOR = "operator", "运维人员录入"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "节假日（工作日放假）"
    WORKDAY = "workday", "调休上班（周末上班）"


class CalendarYear(models.Model):
    """One year of the national holiday schedule (国务院办公厅关于部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=20, choices=CalendarSource.choices)
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = models.CharField("载入人", max_length=80)
    complete = models.BooleanField(
        "已完整载入", default=True, help_text="未完整载入的年份按临时（provisional）计算"
    )
    note = models.TextField("备注", blank=True)
    revision = models.PositiveIntegerField("修订次数", default=1, editable=False)

    class Meta:
        db_table = "workdays_calendar_year"
        ordering = ["year"]
        verbose_name = "节假日年度安排"
        verbose_name_plural = "节假日年度安排"
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[c.value for c in CalendarSource]), name="calendar_year_source_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2200), name="calendar_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a weekday off or a weekend worked."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=60, help_text="如 国庆节、春节")
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度")

    class Meta:
        db_table = "workdays_calendar_day"
        ordering = ["date"]
        verbose_name = "节假日 / 调休日"
        verbose_name_plural = "节假日 / 调休日"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[c.value for c in DayKind]), name="calendar_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"
