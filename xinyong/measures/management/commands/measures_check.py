"""`xinyong check CODE [CODE …] --matter 政府采购 --unit 市财政局 [--case C]`: a check (应查必查) for an
operator, answered as the API answers it (stored, audited, with a check id), printed readably or as JSON.

The operator acts as a case officer of the unit named. A check of a person needs a real case number
(`--case`); for legal entities a case number naming the command line and the time is made up if none is
given.
"""

from __future__ import annotations

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_get
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import BEIJING, now
from xinyong.measures import lookups, selectors, services

KIND_LABELS = {"reward": "守信激励", "punishment": "失信惩戒"}
STRENGTH_LABELS = {"prohibit": "禁止", "restrict": "限制", "prioritise": "优先", "simplify": "简化"}


class Command(BaseCommand):
    help = "联合奖惩核查：某单位办理某事项时查询主体的名单、适用措施和失信记录"

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="统一社会信用代码、注册号、组织机构代码或公民身份号码")
        parser.add_argument("--matter", required=True, help="行政事项代码或名称，如 政府采购")
        parser.add_argument("--unit", required=True, help="办理单位代码或名称，如 市财政局")
        parser.add_argument("--case", default="", help="案件编号（查询自然人时必填）")
        parser.add_argument("--json", action="store_true", help="输出与 API 相同的 JSON")

    def handle(self, *args, **opts):
        at = now()
        try:
            unit = unit_get(name_or_code=opts["unit"])
            case = opts["case"].strip() or _default_case(opts["codes"], at)
            actor = Actor(
                label=f"cli:{getpass.getuser()}", unit_code=unit.code, roles=frozenset({Role.CASE_OFFICER})
            )
            check = services.check_run(
                actor=actor, matter_code=opts["matter"], case_number=case, identifiers=opts["codes"], now=at
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}：{exc.message}") from exc
        view = selectors.check_view(check=check, now=at)
        if opts["json"]:
            self.stdout.write(json.dumps(view, ensure_ascii=False, default=str, indent=2))
        else:
            self.stdout.write(check_text(view))


def _default_case(codes: list[str], at) -> str:
    if any(p.key is not None and p.key.kind in ("ric_hash", "taxno") and "*" in p.key.display
           for p in lookups.parse_identifiers(codes)):  # fmt: skip
        raise DomainError("check.case_number_required", "查询自然人须提供案件编号（--case）")
    return f"命令行核查-{at.astimezone(BEIJING):%Y%m%d%H%M%S}"


def check_text(view: dict) -> str:
    """The check answer as an operator reads it (Simplified Chinese, one block per subject)."""
    due = view["feedback_due"]
    lines = [
        f"核查 #{view['check_id']} · {view['unit']['name']} · "
        f"{view['matter']['name']}（{view['matter']['code']}）"
        f" · 案件编号 {view['case_number']}",
        f"核查时间 {view['checked_at'].astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）；"
        + (
            f"反馈截止 {due:%Y-%m-%d %H:%M:%S}；待反馈措施 {view['feedback_pending']} 项"
            if due
            else "无适用措施，无需反馈"
        ),
    ]
    for r in view["results"]:
        lines.extend(_result_lines(r))
    return "\n".join(lines)


def _result_lines(r: dict) -> list[str]:
    head = f"[{r['index'] + 1}] {r['identifier']}"
    if not r["known"]:
        label = "未找到" if r["error"]["code"] == "subject.not_found" else "标识无效"
        return [f"{head}  {label}：{r['error']['message']}（{r['error']['code']}）"]
    lines = [f"{head}  {r['subject']['name']}（{r['subject']['code']}）"]
    if not r["entries"]:
        lines.append("    名单：无")
    for e in r["entries"]:
        until = f"至 {e['until']}" if e["until"] else "无固定期限"
        lines.append(f"    名单：{e['list_type_name']}（{e['list_type']}），{e['since']} 起，{until}")
    lines.append(f"    适用措施（{len(r['measures'])} 项）：" if r["measures"] else "    适用措施：无")
    for m in r["measures"]:
        lines.append(
            f"      {m['code']}【{KIND_LABELS[m['kind']]}·{STRENGTH_LABELS[m['strength']]}】{m['text']}"
        )
        lines.append(f"        依据：{m['legal_basis']}")
        source = m["memorandum_title"] + (f"（{m['document_no']}）" if m["document_no"] else "")
        lines.append(f"        来源：{source}")
    lines.append(f"    失信记录：{r['records_summary']}")
    return lines
