"""`xinyong audit verify`: walk the hash chain and report the first broken link (exit 1 if broken)."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "校验审计事件哈希链，报告第一个断开的环节"

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"审计链断开于第 {report.broken_seq} 号事件：{report.problem}"
                f"（此前 {report.checked} 个事件完好）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共 {report.checked} 个事件"))
