"""`xinyong token create --unit UNIT --role ROLE` prints a new API token once;
`xinyong token revoke PREFIX` ends one."""

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_get
from xinyong.accounts.services import DEFAULT_TOKEN_DAYS, api_token_create, api_token_revoke
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now


class Command(BaseCommand):
    help = "创建或吊销单位接口令牌"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建令牌（令牌只显示这一次）")
        create.add_argument(
            "--unit", required=True, help="单位代码或名称，如 bj-jingxinwei 或 市经济信息化委"
        )
        create.add_argument("--role", required=True, help="data_officer, case_officer, institution …")
        create.add_argument("--days", type=int, default=DEFAULT_TOKEN_DAYS, help="有效天数")
        create.add_argument("--name", default="", help="用途说明")
        create.add_argument(
            "--officer", default="", help="使用该令牌的经办人姓名（四眼原则按经办人区分同一单位的不同人）"
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
        unit = unit_get(name_or_code=opts["unit"])
        issued = api_token_create(
            actor=actor,
            unit=unit,
            role=opts["role"],
            now=now(),
            days=opts["days"],
            name=opts["name"],
            officer=opts["officer"],
        )
        self.stderr.write(
            f"单位：{unit.name}（{unit.code}） 角色：{opts['role']} 失效：{issued.token.expires_at:%Y-%m-%d}"
        )
        self.stderr.write("请立即保存以下令牌，它不会再次显示：")
        self.stdout.write(issued.secret)

    def _revoke(self, actor, opts):
        prefix = opts["prefix"].removeprefix("xy_").split("_")[0]
        token = api_token_revoke(actor=actor, prefix=prefix, now=now(), reason=opts["reason"])
        owner = token.unit.name if token.unit_id else "个人账户"
        self.stdout.write(f"已吊销令牌 {token.prefix}（{owner}）")
