"""`xinyong calendar status`: which years of the holiday calendar are loaded, from where, and a warning
when the current or next year is missing (its working days are then weekends-only and provisional)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from xinyong.core import timeutil
from xinyong.workdays import selectors as workdays
from xinyong.workdays.models import CalendarYear, DayKind


class Command(BaseCommand):
    help = "显示节假日安排的载入情况"

    def handle(self, *args, **opts) -> None:
        rows = CalendarYear.objects.annotate(
            holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        ).order_by("year")
        if not rows:
            self.stdout.write(
                "尚未载入任何年份（xinyong calendar load --builtin 载入 chinesecalendar 内置年份）"
            )
        for row in rows:
            state = "完整" if row.complete else "未完整（临时）"
            loaded = timeutil.business_date(row.loaded_at)
            self.stdout.write(
                f"{row.year}  {row.source:<15}  {state}  节假日 {row.holidays:>2} 天  "
                f"调休上班 {row.workdays} 天  {loaded:%Y-%m-%d} {row.loaded_by}  {row.note}".rstrip()
            )
        for line in workdays.calendar_warnings(today=timeutil.business_date(timeutil.now())):
            self.stdout.write(self.style.WARNING(line))
