"""`xinyong audit anchor`: sign the audit chain's head into the checkpoint file outside the database
(issue 12, ADR 0019). Run it from cron, or let `xinyong worker` do it (--anchor-every)."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.anchor import AnchorError, anchor_file
from xinyong.audit.services import audit_anchor
from xinyong.core.timeutil import now


class Command(BaseCommand):
    help = "把审计链当前链尾签名写入库外的检查点文件（锚定）"

    def handle(self, *args, **options):
        try:
            point, written = audit_anchor(now=now())
        except AnchorError as exc:
            raise CommandError(str(exc)) from exc
        if point is None:
            self.stdout.write("审计链为空，无需锚定")
        elif written:
            done = f"已锚定第 {point.seq} 号事件（{point.at}）→ {anchor_file()}"
            self.stdout.write(self.style.SUCCESS(done))
        else:
            self.stdout.write(f"链尾第 {point.seq} 号事件已锚定（{point.at}），无新事件")
