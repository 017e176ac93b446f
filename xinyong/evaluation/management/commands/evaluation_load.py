"""`xinyong evaluation load [--file PATH]`: store the scorecard versions of scorecards.yaml not stored yet
(`xinyong up` does the same with the packaged file)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.evaluation.services import scorecards_load


class Command(BaseCommand):
    help = "载入考核评分表（scorecards.yaml）的新版本；已载入的版本不可更改"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=None, help="评分表文件（默认：随程序发布的 scorecards.yaml）")

    def handle(self, *args: object, file: str | None, **options: object) -> None:
        try:
            result = scorecards_load(actor=Actor.system(), now=timeutil.now(), path=file)
        except DomainError as exc:
            details = "".join(f"\n  {e['message']}" for e in exc.errors[1:])
            raise CommandError(f"{exc.code}: {exc.message}{details}") from exc
        self.stdout.write(result.summary() + (f"：{'、'.join(result.created)}" if result.created else ""))
