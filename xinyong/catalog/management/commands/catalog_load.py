"""`xinyong catalog_load [--catalog PATH] [--rules PATH]`: load the rules table, then the catalog."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinyong.catalog.services import LoadResult, catalog_load, rules_load
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError


class Command(BaseCommand):
    help = "载入规则表（rules.yaml）和公共信用信息目录（catalog.yaml）；内容未变时不做任何改动"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--catalog", default=None, help="目录文件（默认：随程序发布的 catalog.yaml）")
        parser.add_argument("--rules", default=None, help="规则表文件（默认：随程序发布的 rules.yaml）")

    def handle(self, *args, catalog: str | None, rules: str | None, **options) -> None:
        actor, now = Actor.system(), timeutil.now()
        try:
            self._report("规则表", rules_load(actor=actor, now=now, path=rules))
            self._report("目录", catalog_load(actor=actor, now=now, path=catalog))
        except DomainError as exc:
            details = "".join(f"\n  {e['message']}" for e in exc.errors[1:])
            raise CommandError(f"{exc.code}: {exc.message}{details}") from exc

    def _report(self, what: str, result: LoadResult) -> None:
        if not result.changed:
            self.stdout.write(f"{what} {result.version}：无变化")
            return
        self.stdout.write(
            f"{what} {result.version}：新增 {len(result.created)}，更新 {len(result.updated)}，"
            f"停用 {len(result.deactivated)}（审计事件 #{result.audit_seq}）"
        )
