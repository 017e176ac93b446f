"""`xinyong calendar load FILE` / `xinyong calendar load --builtin`: extend the working-day calendar
(docs/rules.md: the calendar is data, updated yearly). The file format is in xinyong/workdays/parsing.py."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.workdays import selectors as workdays
from xinyong.workdays import services


class Command(BaseCommand):
    help = "载入节假日安排：运维文件（YAML / JSON）或 --builtin（chinesecalendar 内置年份）"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", nargs="?", help="运维文件（格式见 xinyong/workdays/data/calendar-2027-sample.yaml）"
        )
        parser.add_argument(
            "--builtin", action="store_true", help="载入 chinesecalendar 已知且尚未载入的年份"
        )
        parser.add_argument("--years", type=int, nargs="+", help="与 --builtin 合用：只载入这些年份")
        parser.add_argument("--replace", action="store_true", help="以本文件替换已由其他来源载入的年份")

    def handle(self, *args, file: str | None, builtin: bool, years: list[int] | None, replace: bool, **opts):
        if bool(file) == bool(builtin):
            raise CommandError("请给出一个文件，或使用 --builtin（二者选一）")
        now = timeutil.now()
        actor = Actor.system()
        try:
            if builtin:
                result = services.calendar_load_builtin_result(actor=actor, now=now, years=years)
            else:
                result = services.calendar_load_file(actor=actor, now=now, path=file, replace=replace)
        except DomainError as exc:
            raise CommandError(_format_error(exc)) from exc
        self._print_result(result)
        self._print_warnings(timeutil.business_date(now))
        if result.recompute_errors:
            raise CommandError(
                "日历已载入，但部分重新计算失败（见上）；可在管理后台执行“载入完成并重新计算”重试"
            )

    def _print_result(self, result: services.CalendarLoadResult) -> None:
        if result.unchanged:
            self.stdout.write(f"{_years(result.years)} 年安排与已载入的相同，未作改动")
            return
        if not result.years:
            self.stdout.write("chinesecalendar 的年份都已载入，未作改动")
            return
        replaced = f"（替换了 {_years(result.replaced)} 年的原有安排）" if result.replaced else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入 {_years(result.years)} 年（来源 {result.source}）：节假日 {result.holidays} 天、"
                f"调休上班 {result.workdays} 天{replaced}"
            )
        )
        for path, count in result.recomputed.items():
            self.stdout.write(f"重新计算 {path}：{count} 条")
        if not result.recomputed and not result.recompute_errors:
            self.stdout.write("未配置重新计算（XINYONG_CALENDAR_RECOMPUTE 为空）")
        for path, error in result.recompute_errors.items():
            self.stderr.write(self.style.ERROR(f"重新计算 {path} 失败：{error}"))

    def _print_warnings(self, today: dt.date) -> None:
        for line in workdays.calendar_warnings(today=today):
            self.stderr.write(self.style.WARNING(line))


def _years(years: list[int]) -> str:
    """2004–2026 for a run of years, else 2025、2027."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return "、".join(map(str, years))


def _format_error(exc: DomainError) -> str:
    lines = [exc.message]
    lines += [f"  - {e['message']}" for e in exc.errors]
    return "\n".join(lines)
