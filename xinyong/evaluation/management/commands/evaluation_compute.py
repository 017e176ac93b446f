"""`xinyong evaluation compute --month YYYY-MM [--kind unit|district]`: compute (or recompute) a month's
evaluation of units and/or districts from the metrics layer's figures, with progress (issue 16). The month's
figures must have been refreshed first (metrics' own command)."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.evaluation.scorecard import KIND_LABELS, KINDS
from xinyong.evaluation.services import evaluation_month_compute


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"月份应为 YYYY-MM，实为 {text!r}") from exc


class Command(BaseCommand):
    help = "计算某月的单位、区考核排名（先刷新该月统计数）；重新计算将替换该月原有结果"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="月份，如 2026-10")
        parser.add_argument("--kind", choices=KINDS, default=None, help="unit 或 district（默认：两者）")

    def handle(self, *args: object, month: str, kind: str | None, **options: object) -> None:
        first = _month(month)
        for each in [kind] if kind else list(KINDS):
            started = time.perf_counter()
            self.stdout.write(f"{first:%Y-%m} {KIND_LABELS[each]}考核：")
            try:
                evaluation = evaluation_month_compute(
                    month=first, kind=each, now=timeutil.now(), actor=Actor.system(), progress=self._say
                )
            except DomainError as exc:
                raise CommandError(f"{exc.code}: {exc.message}") from exc
            self._say(f"完成（{time.perf_counter() - started:.1f} 秒），排名 {evaluation.ranked} 个")

    def _say(self, text: str) -> None:
        self.stdout.write("  " + text)
        self.stdout.flush()
