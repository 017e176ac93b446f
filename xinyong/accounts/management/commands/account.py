"""`xinyong account create|deactivate|reactivate|list`: officers and subject accounts (issue 14)."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.people import (
    officer_create,
    officer_list,
    person_deactivate,
    person_reactivate,
    subject_account_create,
    user_by_username,
)
from xinyong.accounts.policy import ROLE_LABELS
from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_get
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now

OPERATOR = Actor(label="cli", roles=frozenset({Role.ADMIN}))


class Command(BaseCommand):
    help = "管理账户：新建工作人员或主体账户（打印一次性设置密码链接）、停用、恢复、列出"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help="新建账户并打印一次性设置密码链接（3 天内有效，设置密码后失效）",
            description="工作人员：--unit UNIT --role ROLE [--role ROLE2] --name 姓名 [--username U]；"
            "主体账户：--subject 统一社会信用代码或身份证号",
        )
        create.add_argument("--unit", help="工作人员所属单位（代码或名称，如 市工商局）")
        create.add_argument(
            "--role", action="append", default=[], help="角色，可重复：data_officer、case_officer、reviewer …"
        )
        create.add_argument("--name", default="", help="工作人员姓名")
        create.add_argument("--username", default=None, help="用户名（默认按单位代码自动生成）")
        create.add_argument("--subject", help="为该信用主体新建账户（统一社会信用代码或身份证号）")
        deactivate = sub.add_parser("deactivate", help="停用账户：吊销其全部令牌并结束其会话")
        deactivate.add_argument("username", help="用户名")
        deactivate.add_argument("--reason", required=True, help="停用原因（记入审计）")
        reactivate = sub.add_parser("reactivate", help="恢复已停用的账户（已吊销的令牌不恢复）")
        reactivate.add_argument("username", help="用户名")
        reactivate.add_argument("--reason", default="", help="恢复原因（记入审计）")
        listing = sub.add_parser("list", help="列出工作人员账户")
        listing.add_argument("--unit", help="只列出该单位的（代码或名称）")

    def handle(self, *args, **opts):
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, opts):
        if opts["subject"]:
            if opts["unit"] or opts["role"]:
                raise CommandError("--subject 不能与 --unit、--role 同时使用")
            user, link = subject_account_create(actor=OPERATOR, subject_code=opts["subject"], now=now())
            self.stderr.write(f"已新建主体账户 {user.username}（{user.full_name}）")
        else:
            if not opts["unit"] or not opts["role"] or not opts["name"].strip():
                raise CommandError("新建工作人员须给出 --unit、--role 和 --name（主体账户用 --subject）")
            unit = unit_get(name_or_code=opts["unit"])
            user, link = officer_create(
                actor=OPERATOR,
                unit=unit,
                roles=opts["role"],
                full_name=opts["name"],
                username=opts["username"],
                now=now(),
            )
            roles = "、".join(ROLE_LABELS.get(r, r) for r in user.roles)
            self.stderr.write(f"已新建工作人员 {user.username}（{user.full_name}，{unit.name}，{roles}）")
        self.stderr.write("请把以下一次性链接交给本人设置密码（3 天内有效，只显示这一次）：")
        self.stdout.write(link)

    def _deactivate(self, opts):
        user = user_by_username(opts["username"])
        revoked = person_deactivate(actor=OPERATOR, user=user, now=now(), reason=opts["reason"])
        self.stdout.write(f"已停用 {user.username}，吊销令牌 {revoked} 个，其会话已结束")

    def _reactivate(self, opts):
        user = person_reactivate(
            actor=OPERATOR, user=user_by_username(opts["username"]), now=now(), reason=opts["reason"]
        )
        self.stdout.write(f"已恢复 {user.username}（原有令牌仍为吊销状态，如需请另发）")

    def _list(self, opts):
        unit = unit_get(name_or_code=opts["unit"]) if opts["unit"] else None
        for user in officer_list(unit=unit):
            state = "启用" if user.is_active else "停用"
            roles = ",".join(user.roles)
            self.stdout.write(f"{user.username}\t{user.full_name}\t{user.unit.code}\t{roles}\t{state}")
