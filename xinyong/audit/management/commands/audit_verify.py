"""`xinyong audit verify`: walk the hash chain and report the first broken link, and compare the chain with
the signed checkpoints outside the database (issue 12, ADR 0019); exit 1 if anything is wrong."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.anchor import AnchorError, anchor_file, checkpoints_read
from xinyong.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "校验审计事件哈希链，报告第一个断开的环节；并与库外的锚定检查点核对"

    def handle(self, *args, **options):
        try:
            anchors = checkpoints_read()
        except AnchorError as exc:
            raise CommandError(f"锚定检查点无效：{exc}") from exc
        report = audit_chain_verify(anchors=anchors)
        if not report.ok:
            intact = "" if report.rewritten else f"（此前 {report.checked} 个事件完好）"
            raise CommandError(f"审计链断开于第 {report.broken_seq} 号事件：{report.problem}{intact}")
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共 {report.checked} 个事件"))
        if anchors:
            latest = max(anchors, key=lambda p: p.seq)
            self.stdout.write(
                f"与 {len(anchors)} 个锚定检查点相符（最近锚定第 {latest.seq} 号事件，{latest.at}）"
            )
        else:
            self.stdout.write(
                self.style.WARNING(f"尚无锚定检查点（{anchor_file()}）：运行 xinyong audit anchor")
            )
