"""`xinyong authz table [-o docs/authz.md]`: write the role × operation table of the authorisation model
(issue 12, accounts/policy.py); a test fails when the committed file drifts."""

from pathlib import Path

from django.core.management.base import BaseCommand

from xinyong.accounts.policy import table_markdown
from xinyong.config.api import api


def api_operations() -> list[tuple[str, str, str, str]]:
    """Every operation of the API as (operation id, method, path, summary), in the API's order."""
    out = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                full = "/api/v1/" + f"{prefix}/{path}".strip("/").replace("//", "/")
                out.append((op.operation_id, ",".join(op.methods), full.rstrip("/"), op.summary or ""))
    return out


def authz_text() -> str:
    return table_markdown(api_operations())


class Command(BaseCommand):
    help = "导出权限模型（角色 × 接口）表"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="写入文件（默认输出到标准输出）")

    def handle(self, *args, **opts):
        text = authz_text()
        if opts["output"]:
            Path(opts["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {opts['output']}")
        else:
            self.stdout.write(text, ending="")
