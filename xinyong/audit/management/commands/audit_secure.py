"""`xinyong audit secure --owner-role xinyong_audit_owner --app-role xinyong`: give the audit tables to an
owner role so that the application's role can only append and read them (issue 12, ADR 0019). PostgreSQL
only; run it with a superuser's XINYONG_DATABASE_URL, after `xinyong up --no-serve` (or any migrate)."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.audit.roles import audit_roles_secure
from xinyong.core.errors import DomainError


class Command(BaseCommand):
    help = "（PostgreSQL）审计表交由独立属主角色，应用角色只能追加和读取审计事件"

    def add_arguments(self, parser):
        parser.add_argument("--owner-role", default="xinyong_audit_owner", help="审计表属主角色（不登录）")
        parser.add_argument("--app-role", required=True, help="应用连接数据库所用的角色")

    def handle(self, *args, **opts):
        try:
            result = audit_roles_secure(owner_role=opts["owner_role"], app_role=opts["app_role"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        for sql in result.statements:
            self.stdout.write(f"  {sql}")
        held = [name for name, has in result.privileges.items() if has]
        if held:
            raise CommandError(f"应用角色 {opts['app_role']} 仍持有：{'、'.join(held)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"审计表属主为 {opts['owner_role']}；应用角色 {opts['app_role']} 只能追加和读取审计事件"
                "（不能修改、删除、清空，也不能停用触发器）"
            )
        )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"警告：{warning}"))
