"""`xinyong import abandon SUBMISSION_ID`: roll an interrupted import back (issue 18, ADR 0026).

An import stopped part-way (killed, crashed) leaves its written chunks staged and invisible; re-running the
same file or body carries it on. When it should not be, this deletes its staged records and rejected
rows in short transactions, marks the submission abandoned and writes the audit event `submission.abandon`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.intake.receiving import submission_abandon


class Command(BaseCommand):
    help = "放弃一个未导入完成的归集批次：删除其已暂存（从未公开）的信息和退回行，批次标记为已放弃（留审计）"

    def add_arguments(self, parser):
        parser.add_argument("submission_id", type=int, help="归集批次编号（导入时显示的 批次 #N）")
        parser.add_argument("--reason", default="", help="放弃原因（写入审计记录）")

    def handle(self, *args, **opts):
        actor = Actor(label="cli", roles=frozenset({Role.ADMIN}))  # an operator at the server's console
        reason = opts["reason"] or "操作员放弃未完成的导入"
        try:
            deleted = submission_abandon(
                actor=actor, submission_id=opts["submission_id"],
                reason=reason, now=now(),
            )  # fmt: skip
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）", returncode=2) from exc
        self.stdout.write(
            f"批次 #{opts['submission_id']} 已放弃：删除暂存信息 {deleted['records']:,} 条、"
            f"退回行 {deleted['rejected_rows']:,} 行"
        )
