"""`xinyong timeliness [--unit U] [--month YYYY-MM]`: 双公示 timeliness per unit and month."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.selectors import unit_get
from xinyong.core.errors import DomainError
from xinyong.records.selectors import timeliness_report


class Command(BaseCommand):
    help = "双公示报送及时性：按单位、按月统计按时、超期与用时中位数（工作日）"

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="单位代码或名称")
        parser.add_argument("--month", help="YYYY-MM（按接收月份）")

    def handle(self, *args, **opts):
        try:
            unit = unit_get(name_or_code=opts["unit"]) if opts["unit"] else None
            rows = timeliness_report(unit=unit, month=opts["month"])
        except (DomainError, ValueError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(f"{'单位':<16}{'月份':<9}{'总数':>7}{'按时':>7}{'超期':>7}{'中位用时':>9}  临时")
        for r in rows:
            median = "-" if r["median_delay_working_days"] is None else f"{r['median_delay_working_days']:g}"
            self.stdout.write(
                f"{r['unit_name']:<16}{r['month']:<9}{r['total']:>7}{r['on_time']:>7}{r['late']:>7}"
                f"{median:>9}  {r['provisional']}"
            )
        if not rows:
            self.stdout.write("（无数据）")
