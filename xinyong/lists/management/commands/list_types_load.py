"""`xinyong list_types_load [path]`: load the list types (default: the shipped lists/data/list_types.yaml)."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.lists.services import list_types_load


class Command(BaseCommand):
    help = "载入名单类型（list_types.yaml）；重复载入同一文件不做任何变更"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="名单类型文件（默认：随程序发布的文件）")

    def handle(self, *args, path=None, **opts):
        try:
            result = list_types_load(
                actor=Actor(label="system:cli", roles=frozenset({Role.ADMIN})), now=now(), path=path
            )
        except DomainError as err:
            details = "\n".join(f"  {e['message']}" for e in err.errors)
            raise CommandError(f"{err.message}\n{details}".rstrip()) from err
        self.stdout.write(result.summary())
