"""`xinyong govintegrity --month YYYY-MM`: the district government integrity evaluation of one month
(ADR 0037), computed or recomputed as the system actor; prints the ranking."""

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError

from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.govintegrity.scorecard import ScorecardError
from xinyong.govintegrity.services import district_evaluation_compute

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class Command(BaseCommand):
    help = "区政府政务诚信评价：计算（或重新计算，替换该月结果并记入审计日志）某月各区得分和排名"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args, **opts):
        match = MONTH.match(opts["month"])
        if match is None:
            raise CommandError(f"月份“{opts['month']}”格式应为 YYYY-MM")
        month = dt.date(int(match[1]), int(match[2]), 1)
        try:
            results = district_evaluation_compute(actor=Actor.system(), now=now(), month=month)
        except (DomainError, ScorecardError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        for r in results:
            note = "" if r.complete else "（数据不完整）"
            self.stdout.write(
                f"{r.rank:>3}  {r.district:<16}{r.score:>8}/{r.max_score:<8}{r.rate:>8}  {r.level}{note}"
            )
