"""`xinyong token create` prints a new API token once — a person's (`--user`), a subject account's
(`--subject`) or a unit's system integration (`--unit --role --name`); `xinyong token revoke PREFIX` ends
one (issue 14)."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.people import subject_account_user, user_by_username
from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_get
from xinyong.accounts.services import (
    DEFAULT_TOKEN_DAYS,
    api_token_revoke,
    integration_token_create,
    person_token_create,
    user_token_create,
)
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now

SUBJECT_TOKEN_DAYS = 90


class Command(BaseCommand):
    help = "创建或吊销接口令牌：本人令牌（--user）、主体账户令牌（--subject）、单位系统对接令牌（--unit）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help="创建令牌（令牌只显示这一次）",
            description="三选一：--user 用户名（工作人员本人令牌，随本人的单位和角色）；--subject 主体代码"
            "（主体账户的令牌）；--unit 单位 --role 角色 --name 对接系统名称（单位的系统对接令牌）",
        )
        create.add_argument("--user", help="工作人员的用户名：本人令牌，按本人当前的单位和角色使用")
        create.add_argument("--subject", help="信用主体代码（统一社会信用代码或身份证号）：该主体账户的令牌")
        create.add_argument(
            "--unit", help="单位代码或名称，如 bj-jingxinwei 或 市经济信息化委（系统对接令牌）"
        )
        create.add_argument("--role", help="系统对接令牌的角色：data_officer, case_officer, institution …")
        create.add_argument(
            "--days", type=int, default=None, help=f"有效天数（默认 {DEFAULT_TOKEN_DAYS}，主体 90）"
        )
        create.add_argument(
            "--name", default="", help="对接系统名称（--unit 时必填，如 区政务服务系统）或用途"
        )
        revoke = sub.add_parser("revoke", help="吊销令牌，下一次请求即失效")
        revoke.add_argument("prefix", help="令牌前缀（xy_ 之后的 8 位）或完整令牌")
        revoke.add_argument("--reason", default="")

    def handle(self, *args, **opts):
        actor = Actor(label="cli", roles=frozenset({Role.ADMIN}))
        try:
            if opts["action"] == "create":
                self._create(actor, opts)
            else:
                self._revoke(actor, opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, actor, opts):
        chosen = [k for k in ("user", "subject", "unit") if opts[k]]
        if len(chosen) != 1:
            raise CommandError("请在 --user、--subject、--unit 中选择一个")
        days = opts["days"]
        if opts["user"]:
            user = user_by_username(opts["user"])
            issued = person_token_create(
                actor=actor,
                user=user,
                now=now(),
                days=_or(days, DEFAULT_TOKEN_DAYS),
                name=opts["name"],
            )
            roles = ",".join(user.roles)
            owner = f"本人：{user.username}（{user.full_name}，{user.unit.name}） 角色：随本人（{roles}）"
        elif opts["subject"]:
            user = subject_account_user(subject_code=opts["subject"])
            issued = user_token_create(actor=actor, user=user, now=now(), days=_or(days, SUBJECT_TOKEN_DAYS))
            owner = f"主体账户：{user.username}（{user.full_name}）"
        else:
            if not opts["role"]:
                raise CommandError("系统对接令牌须给出 --role")
            unit = unit_get(name_or_code=opts["unit"])
            issued = integration_token_create(
                actor=actor,
                unit=unit,
                role=opts["role"],
                name=opts["name"],
                now=now(),
                days=_or(days, DEFAULT_TOKEN_DAYS),
            )
            owner = f"单位：{unit.name}（{unit.code}） 系统：{issued.token.name} 角色：{opts['role']}"
        self.stderr.write(f"{owner} 失效：{issued.token.expires_at:%Y-%m-%d}")
        self.stderr.write("请立即保存以下令牌，它不会再次显示：")
        self.stdout.write(issued.secret)

    def _revoke(self, actor, opts):
        prefix = opts["prefix"].removeprefix("xy_").split("_")[0]
        token = api_token_revoke(actor=actor, prefix=prefix, now=now(), reason=opts["reason"])
        owner = token.unit.name if token.unit_id else "个人账户"
        self.stdout.write(f"已吊销令牌 {token.prefix}（{owner}）")


def _or(days: int | None, default: int) -> int:
    return default if days is None else days
