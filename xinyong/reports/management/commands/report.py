"""`xinyong report CODE -o FILE.pdf [--kind compliance] [--purpose 招投标]`: issue a credit report from the
command line (as the operator, role admin); prints the number, the verification code and the SHA-256."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.reports.services import report_issue
from xinyong.subjects.selectors import subject_lookup


class Command(BaseCommand):
    help = "出具信用报告（PDF）：全量报告或专项信用报告"

    def add_arguments(self, parser):
        parser.add_argument("code", help="信用主体代码：统一社会信用代码、注册号或身份证件号码")
        parser.add_argument("-o", "--output", help="输出文件（默认：<报告编号>.pdf，写在当前目录）")
        parser.add_argument("--kind", choices=["full", "compliance"], default="full",
                            help="full：公共信用信息报告（默认）；compliance：专项信用报告")  # fmt: skip
        parser.add_argument("--purpose", default="信用状况查询", help="报告用途（印在报告上）")
        parser.add_argument("--case-number", default="", help="案件编号（为自然人出具报告时必填）")

    def handle(self, *args, **opts):
        actor = Actor(label="cli", roles=frozenset({Role.ADMIN}))
        start = time.perf_counter()
        try:
            subject = subject_lookup(raw=opts["code"]).subject
            issued = report_issue(actor=actor, subject=subject, kind=opts["kind"], purpose=opts["purpose"],
                                  case_number=opts["case_number"], now=now())  # fmt: skip
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        seconds = time.perf_counter() - start
        report = issued.report
        path = Path(opts["output"] or f"{report.number}.pdf")
        path.write_bytes(issued.pdf)
        say = self.stdout.write
        say(
            f"已出具{report.get_kind_display()}：{path}"
            f"（{report.pages} 页，{report.size:,} 字节，{seconds:.2f} 秒）"
        )
        say(f"  报告编号：{report.number}")
        say(f"  验证码：{issued.code}")
        say(
            f"  信用主体：{report.subject_name}（{report.subject_code}），"
            f"收录信息 {len(report.record_ids)} 条、名单 {len(issued.entry_ids)} 条"
        )
        say(f"  SHA-256：{report.sha256}")
