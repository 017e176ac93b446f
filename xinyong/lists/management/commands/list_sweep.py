"""`xinyong list_sweep`: entries past the last day of their term leave their list. Idempotent; catches up."""

from django.core.management.base import BaseCommand

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, now
from xinyong.lists.services import list_entries_expire


class Command(BaseCommand):
    help = "名单到期处理：期限届满的名单条目移出名单（可随时、反复运行）"

    def handle(self, *args, **opts):
        at = now()
        exited = list_entries_expire(
            actor=Actor(label="system:list_sweep", roles=frozenset({Role.ADMIN})), now=at
        )
        self.stdout.write(f"{business_date(at)}：{exited} 个名单条目期满移出")
