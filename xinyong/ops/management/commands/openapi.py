"""`xinyong openapi [-o docs/openapi.json]`: write the API's OpenAPI document (committed and reviewed)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from xinyong.config.api import api


def openapi_text() -> str:
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "导出 OpenAPI 文档"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="写入文件（默认输出到标准输出）")

    def handle(self, *args, **opts):
        text = openapi_text()
        if opts["output"]:
            Path(opts["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {opts['output']}")
        else:
            self.stdout.write(text, ending="")
