"""`xinyong createadmin`: the first credit-office account (password from --password, env or prompt)."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_get
from xinyong.accounts.services import admin_user_create
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now

CREDIT_OFFICE = "bj-jingxinwei"


class Command(BaseCommand):
    help = "创建信用办管理员账号"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", help="默认读取环境变量 XINYONG_ADMIN_PASSWORD，否则交互输入")
        parser.add_argument("--unit", default=CREDIT_OFFICE, help="所属单位（默认市经济信息化委/市信用办）")

    def handle(self, *args, **opts):
        password = opts["password"] or os.environ.get("XINYONG_ADMIN_PASSWORD") or self._prompt()
        try:
            validate_password(password)
            unit = unit_get(name_or_code=opts["unit"])
            user = admin_user_create(
                actor=Actor(label="cli", roles=frozenset({Role.ADMIN})),
                username=opts["username"],
                password=password,
                unit=unit,
                now=now(),
            )
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建管理员 {user.username}（{unit.name}），登录：/admin/"))

    def _prompt(self) -> str:
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        return first
