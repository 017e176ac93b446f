"""`xinyong retention_sweep`: delete natural persons' negative records 5 years after the conduct ended
(征信业管理条例第十六条). Idempotent; catches up after days off."""

from django.core.management.base import BaseCommand

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.records.retention import retention_sweep


class Command(BaseCommand):
    help = "保存期满处理：自然人不良信息自不良行为或者事件终止之日起满 5 年的，予以删除（可随时、反复运行）"

    def handle(self, *args, **opts):
        actor = Actor(label="system:retention", roles=frozenset({Role.ADMIN}))
        result = retention_sweep(actor=actor, now=now())
        self.stdout.write(
            f"{result.today}：{result.erased} 条自然人不良信息保存期满，已删除"
            f"（删除 {result.deleted} 个版本，{result.tombstoned} 个版本因其他案件引用保留为删除标记）"
        )
