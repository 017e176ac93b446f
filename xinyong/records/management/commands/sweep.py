"""`xinyong sweep`: end publication at the maximum period. Idempotent; catches up after days off."""

from django.core.management.base import BaseCommand

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.records.services import records_sweep


class Command(BaseCommand):
    help = "到期处理：公示期满的信息结束公示（可随时、反复运行）"

    def handle(self, *args, **opts):
        result = records_sweep(actor=Actor(label="system:sweep", roles=frozenset({Role.ADMIN})), now=now())
        self.stdout.write(f"{result.today}：{result.expired} 条信息公示期满，已结束公示")
