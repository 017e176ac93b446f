"""`xinyong metrics refresh [--month YYYY-MM | --since YYYY-MM]`: recompute the monthly figures (issue 16,
ADR 0035). Without options: the current and the previous Beijing month — what cron runs (README: periodic
work), as often as the dashboards should be fresh (hourly is plenty). Idempotent."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now
from xinyong.metrics.services import month_first, month_refresh, months_between


class Command(BaseCommand):
    help = (
        "重算月度统计指标（看板、单位考核所用）：默认本月和上月；--month 某月；--since 某月至今（可反复运行）"
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--month", help="只重算该月（YYYY-MM，北京时间自然月）")
        group.add_argument("--since", help="从该月重算到本月（YYYY-MM）")

    def handle(self, *args, **opts):
        at = now()
        today = business_date(at)
        try:
            if opts["month"]:
                months = [month_first(opts["month"])]
            elif opts["since"]:
                months = months_between(month_first(opts["since"]), today)
            else:
                previous = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
                months = months_between(previous, today)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        actor = Actor(label="system:metrics_refresh", roles=frozenset({Role.ADMIN}))
        for i, month in enumerate(months, 1):
            started = time.monotonic()
            rows = month_refresh(month=month, now=now(), actor=actor)
            took = time.monotonic() - started
            self.stdout.write(f"[{i}/{len(months)}] {month:%Y-%m}：{rows} 行（{took:.2f} 秒）")
            self.stdout.flush()
