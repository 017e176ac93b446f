"""The authorisation model, in one place (issue 12; ADR 0017).

Three questions, each answered here and nowhere else:

1. **Which roles may a unit hold?** (`unit_may_hold`) The credit office's roles — `reviewer`, `admin`,
   `auditor` — exist only for the credit office (a unit whose registry roles include `reviewer`, or of type
   `credit_office`); `subject` is never a unit's role (a subject's token belongs to its verified account).
   Token creation refuses the rest, and a token that holds such a role anyway (issued before this rule) acts
   with no role at all (`effective_roles`).
2. **Which roles may call an operation, on which objects?** (`OPERATIONS`) Every API operation has one entry:
   the roles allowed to call it (the gate, enforced for every operation before its input is read; an
   operation without an entry is refused to everyone and a test names it), and the
   object rule (`scope`) that the operation's service applies to the objects it touches — own unit, deciding
   unit, providing unit, the subject itself. `docs/authz.md` is generated from this table.
3. **Are two actors the same person?** (`same_person`) Four eyes compares people (issue 14): a person's
   session and all of that person's tokens are one person; two officers are two people; a unit's token is
   one person with the tokens of the same named integration, and tokens of a unit from before issue 14
   keep the named-officer rule (`ApiToken.officer`).
4. **What may an agent do for the subject it acts for?** (`AGENCY_SCOPES`, `agency_actor`) Issue 14: the
   operations (API operation ids, and the self-service pages' own reads, `me_*`) that each matter of a power
   of attorney (`AgencyScope`) covers; anything else is refused to an agent (403 `agency.out_of_scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from xinyong.accounts.foureyes import require_distinct_person, same_person  # noqa: F401 - re-exported
from xinyong.accounts.models import AgencyScope
from xinyong.accounts.roles import (
    CASE_HANDLERS,
    CREDIT_OFFICE,
    GOVERNMENT,
    OFFICE,
    OFFICIALS,
    RECORDS_OVERSIGHT,
    REGISTRARS,
    SUBMITTERS,
    UNIT_OFFICERS,
    Role,
)
from xinyong.accounts.unitnames import CREDIT_OFFICE_FUNCTION
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied

ANONYMOUS = "anonymous"
NO_ROLE = "none"  # a token whose role its unit cannot hold
ROLE_LABELS = {
    ANONYMOUS: "匿名",
    Role.PUBLIC: "公众令牌",
    Role.SUBJECT: "信用主体",
    Role.INSTITUTION: "机构用户",
    Role.DATA_OFFICER: "数据报送员",
    Role.CASE_OFFICER: "业务经办员",
    Role.REVIEWER: "信用办审核员",
    Role.ADMIN: "信用办管理员",
    Role.AUDITOR: "信用办审计员",
}
TABLE_ROLES = tuple(ROLE_LABELS)
USER_ONLY_ROLES = frozenset({Role.SUBJECT})

# Role groups of the table (the named groups of accounts/roles.py, and the table's own columns).
EVERYONE = frozenset(TABLE_ROLES)
SUBJECT = frozenset({Role.SUBJECT})
REVIEWER = frozenset({Role.REVIEWER})

# Object rules (what the service checks on the objects of the call), with their Chinese labels.
SCOPES = {
    "public": "公开信息（按角色分级显示）",
    "own_unit": "本单位的对象；信用办可看全部",
    "own_unit_only": "仅本单位的对象",
    "deciding_unit": "认定单位的工作人员；信用办",
    "proposing_or_deciding": "提议单位或认定单位的工作人员；信用办；主体本人",
    "providing_unit": "提供单位的工作人员；信用办；主体本人",
    "credit_office": "仅信用办",
    "subject_self": "仅主体本人",
    "subject_or_government": "主体本人；政务人员（自然人须说明案件）",
    "query_code": "凭查询码",
    "handling_unit": "承办单位的工作人员；信用办",
    "handling_unit_only": "仅承办单位（培训单位）的工作人员",
    "proposing_or_deciding_unit": "提议单位或认定单位的工作人员；信用办",
    "subject_or_officer": "主体本人；经办人员或信用办审核员代为登记",
    "subject_or_unit": "主体本人；受理单位（培训单位）的工作人员代为登记",
    "government_all": "政务人员（各单位汇总，不含个人信息）",
    "none": "（无规则：一律拒绝）",
}


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    scope: str
    four_eyes: bool = False


def _r(roles, scope: str, *, four_eyes: bool = False) -> Rule:
    return Rule(frozenset(roles), scope, four_eyes)


PUBLIC = _r(EVERYONE, "public")
TOKEN_HOLDERS = EVERYONE - {ANONYMOUS}

OPERATIONS: dict[str, Rule] = {
    # calendar, search, reports
    "calendar_add_working_days": PUBLIC,
    "search_subjects": PUBLIC,
    "reports_issue": _r(SUBJECT | OFFICIALS, "subject_or_government"),
    "reports_notice_letter": _r(SUBJECT | OFFICIALS, "proposing_or_deciding"),
    "reports_verify": PUBLIC,
    "reports_verify_file": PUBLIC,
    # subjects
    "subjects_profile": PUBLIC,
    "subjects_profile_lookup": PUBLIC,  # the same profile with the code in the body (no ID in a URL)
    "subjects_corrections_create": _r(REGISTRARS, "own_unit"),
    "subjects_corrections_decide": _r(OFFICE, "credit_office", four_eyes=True),
    "subjects_get": PUBLIC,
    "me_query_log": _r(SUBJECT, "subject_self"),
    "me_consents_grant": _r(SUBJECT, "subject_self"),
    "me_consents_list": _r(SUBJECT, "subject_self"),
    "me_consents_revoke": _r(SUBJECT, "subject_self"),
    # lists
    "lists_types_list": PUBLIC,
    "lists_entry_propose": _r(CASE_HANDLERS, "own_unit_only"),
    "lists_entry_list": PUBLIC,
    "lists_entry_review": _r(CASE_HANDLERS, "deciding_unit", four_eyes=True),
    "lists_entry_statement": _r(SUBJECT | CASE_HANDLERS, "proposing_or_deciding"),
    "lists_entry_decide": _r(CASE_HANDLERS, "deciding_unit", four_eyes=True),
    "lists_entry_publish": _r(CASE_HANDLERS, "deciding_unit"),
    "lists_entry_exit": _r(CASE_HANDLERS, "deciding_unit"),
    "lists_entry_withdraw": _r(CASE_HANDLERS, "proposing_or_deciding_unit"),
    "lists_entry_get": PUBLIC,
    "lists_notice_list": _r(SUBJECT, "subject_self"),
    "lists_notice_read": _r(SUBJECT, "subject_self"),
    "lists_notice_letter": _r(SUBJECT, "subject_self"),
    # measures (联合奖惩)
    "checks_create": _r(UNIT_OFFICERS, "own_unit_only"),
    "checks_overdue": _r(GOVERNMENT, "own_unit"),
    "checks_statistics": _r(GOVERNMENT, "own_unit"),
    "checks_get": _r(GOVERNMENT, "own_unit"),
    "checks_feedback_create": _r(UNIT_OFFICERS, "own_unit_only"),
    "memoranda_list": PUBLIC,
    "matters_list": PUBLIC,
    # pushes
    "pushes_inbox": _r(OFFICIALS, "own_unit_only"),
    "pushes_mark_read": _r(OFFICIALS, "own_unit_only"),
    "pushes_webhook_register": _r(OFFICIALS, "own_unit"),
    "pushes_webhook_disable": _r(OFFICIALS, "own_unit"),
    "pushes_failed_list": _r(OFFICE, "credit_office"),
    # objections and repairs (异议、信用修复)
    "objections_file": _r(EVERYONE, "public"),
    "objections_list": _r(GOVERNMENT, "own_unit"),
    "objections_progress": _r(EVERYONE, "query_code"),
    "objections_stats": _r(GOVERNMENT, "own_unit"),
    "objections_get": _r(GOVERNMENT | SUBJECT, "providing_unit"),
    "objections_evidence": _r(GOVERNMENT | SUBJECT, "providing_unit"),
    "objections_accept": _r(REVIEWER, "credit_office"),
    "objections_refuse": _r(REVIEWER, "credit_office"),
    "objections_verify": _r(CASE_HANDLERS, "providing_unit"),
    "objections_reply": _r(REVIEWER, "credit_office"),
    "repairs_preview": _r(TOKEN_HOLDERS, "subject_or_officer"),
    "repairs_apply": _r(TOKEN_HOLDERS, "subject_or_officer"),
    "repairs_list": _r(GOVERNMENT, "own_unit"),
    "repairs_progress": _r(EVERYONE, "query_code"),
    "repairs_get": _r(GOVERNMENT | SUBJECT, "providing_unit"),
    "repairs_evidence": _r(GOVERNMENT | SUBJECT, "providing_unit"),
    "repairs_check": _r(REVIEWER, "credit_office"),
    "repairs_decide": _r(CASE_HANDLERS, "deciding_unit", four_eyes=True),
    # commitments and training
    "commitments_templates_list": PUBLIC,
    "commitments_sign": _r(TOKEN_HOLDERS, "subject_or_unit"),
    "commitments_overdue_list": _r(GOVERNMENT, "own_unit"),
    "commitments_get": _r(EVERYONE, "subject_or_government"),
    "commitments_verify": _r(CASE_HANDLERS, "handling_unit"),
    "commitments_withdraw": _r(SUBJECT, "subject_self"),
    "training_courses_list": PUBLIC,
    "training_enrol": _r(TOKEN_HOLDERS, "subject_or_unit"),
    "training_complete": _r(TOKEN_HOLDERS, "handling_unit_only"),
    "training_certificate_check": PUBLIC,
    # tipoffs (举报)
    "tipoffs_file": _r(EVERYONE, "public"),
    "tipoffs_progress": _r(EVERYONE, "query_code"),
    "tipoffs_inbox": _r(CASE_HANDLERS, "handling_unit_only"),
    "tipoffs_detail": _r(EVERYONE, "handling_unit_only"),
    "tipoffs_evidence": _r(EVERYONE, "handling_unit_only"),
    "tipoffs_accept": _r(CASE_HANDLERS, "handling_unit_only"),
    "tipoffs_refuse": _r(CASE_HANDLERS, "handling_unit_only"),
    "tipoffs_route": _r(REVIEWER, "credit_office"),
    "tipoffs_investigate": _r(CASE_HANDLERS, "handling_unit_only"),
    "tipoffs_conclude": _r(CASE_HANDLERS, "handling_unit_only"),
    "tipoffs_reward": _r(CASE_HANDLERS, "handling_unit_only"),
    "tipoffs_close": _r(CASE_HANDLERS, "handling_unit_only"),
    # records (双公示报送)
    "submissions_create": _r(SUBMITTERS, "own_unit_only"),
    "submissions_get": _r(SUBMITTERS | RECORDS_OVERSIGHT, "own_unit"),
    "submissions_rejected": _r(SUBMITTERS | RECORDS_OVERSIGHT, "own_unit"),
    "records_withdraw": _r(SUBMITTERS, "own_unit"),
    "timeliness_report": _r(GOVERNMENT, "government_all"),
    "publicity_list": PUBLIC,
    "publicity_export": PUBLIC,
    # catalog, units, plan
    "catalog_categories_list": PUBLIC,
    "catalog_categories_get": PUBLIC,
    "catalog_rules_in_force": PUBLIC,
    "units_me": _r(TOKEN_HOLDERS, "own_unit_only"),
    "units_list": PUBLIC,
    "plan_get": PUBLIC,
    "plan_tasks_list": PUBLIC,
    "plan_task_get": PUBLIC,
    "plan_unit_tasks_list": PUBLIC,
    "plan_reports_file": _r(UNIT_OFFICERS, "own_unit_only"),
    "plan_reports_list": _r(GOVERNMENT, "own_unit"),
    "plan_reports_overdue": _r(GOVERNMENT, "own_unit"),
    "plan_report_get": _r(GOVERNMENT, "own_unit"),
    "plan_report_review": _r(OFFICE, "credit_office", four_eyes=True),
}


# ── 1. roles a unit may hold ───────────────────────────────────────────────────────────────────────────


def is_credit_office(unit) -> bool:
    """The credit office: the unit with the registry role `reviewer` (市经济信息化委), or of type 信用办."""
    return unit is not None and (CREDIT_OFFICE_FUNCTION in (unit.roles or []) or unit.type == "credit_office")


def unit_may_hold(unit, role: str) -> bool:
    """Whether a unit's token may carry `role` (issue 12: the credit office's roles only for it)."""
    if role in USER_ONLY_ROLES:
        return False
    return role not in CREDIT_OFFICE or is_credit_office(unit)


def refuse_unheld_role(unit, role: str) -> None:
    """Token creation: 400 `token.role_not_for_unit` for a role the unit cannot hold."""
    if not unit_may_hold(unit, role):
        from xinyong.core.errors import DomainError

        where = "信用办（市经济信息化委）" if role in CREDIT_OFFICE else "主体本人的账户"
        raise DomainError("token.role_not_for_unit", f"{unit.name}不能持有角色 {role}：该角色只属于{where}")


def effective_roles(unit, role: str) -> frozenset[str]:
    """The roles a unit token acts with: none when its unit cannot hold its role (a token issued before
    the rule); a user's own token (`unit` None) keeps its role."""
    if unit is None or unit_may_hold(unit, role):
        return frozenset({role})
    return frozenset()


def person_roles(unit, roles, *, superuser: bool = False) -> frozenset[str]:
    """The roles a person (an officer, issue 14) acts with, by session or by their own token: the account's
    roles that its unit may hold (a role the unit cannot hold acts as none), plus `admin` for a superuser;
    a subject's account keeps `subject`."""
    held = frozenset(
        r for r in roles or [] if r == Role.SUBJECT or (unit is not None and unit_may_hold(unit, r))
    )
    return held | {Role.ADMIN} if superuser else held


PERSON_ROLES = frozenset(TABLE_ROLES) - {ANONYMOUS, Role.PUBLIC, Role.SUBJECT}


def officer_roles_check(unit, roles) -> list[str]:
    """An officer's roles, validated (issue 14): at least one; each a known officer role (not `subject` or
    `public`) that the unit may hold. The roles without repeats, in the order given; 400 problems naming
    the role otherwise."""
    from xinyong.core.errors import DomainError

    wanted = list(dict.fromkeys(str(r).strip() for r in roles or [] if str(r).strip()))
    if not wanted:
        raise DomainError("account.roles_required", "请至少选择一个角色")
    for role in wanted:
        if role not in PERSON_ROLES:
            choices = "、".join(sorted(PERSON_ROLES))
            raise DomainError("account.role_invalid", f"工作人员不能持有角色 {role}（可选：{choices}）")
        if not unit_may_hold(unit, role):
            raise DomainError(
                "account.role_not_for_unit",
                f"{unit.name}的工作人员不能持有角色 {role}：该角色只属于信用办（市经济信息化委）",
            )
    return wanted


# ── 2. who may call an operation ───────────────────────────────────────────────────────────────────────


def actor_role(actor: Actor) -> str:
    """The table column of an actor: anonymous, its one role, or `none` (a token without a usable role)."""
    if not actor.is_authenticated:
        return ANONYMOUS
    for role in TABLE_ROLES:
        if role in actor.roles:
            return role
    return NO_ROLE


def operation_allowed(operation_id: str, actor: Actor) -> bool:
    """The gate: may this actor call the operation at all (its objects are the service's to check).
    An operation without a rule is refused to everyone (fail closed; a test names it)."""
    rule = OPERATIONS.get(operation_id)
    if rule is None:
        return False
    role = actor_role(actor)
    if role == NO_ROLE:  # a token whose role is void may do what anyone may
        return ANONYMOUS in rule.roles
    return role in rule.roles


def require_operation(operation_id: str, actor: Actor) -> None:
    """403 `auth.operation_forbidden` unless the actor's role may call the operation."""
    if not operation_allowed(operation_id, actor):
        rule = OPERATIONS.get(operation_id, Rule(frozenset(), "credit_office"))
        allowed = "、".join(ROLE_LABELS[r] for r in TABLE_ROLES if r in rule.roles) or "无"
        raise PermissionDenied("auth.operation_forbidden", f"当前身份不能调用此接口（允许：{allowed}）")


def missing_operations(operation_ids) -> list[str]:
    """Operations of the API without a policy entry (a test and the API's start-up refuse them)."""
    return sorted(set(operation_ids) - set(OPERATIONS))


def officer_of_unit_or_office(actor: Actor, unit_code: str) -> bool:
    """A unit's data and evidence: the data and case officers of `unit_code`, or the credit office."""
    if actor.has_role(*CREDIT_OFFICE):
        return True
    return bool(actor.unit_code) and actor.unit_code == unit_code and actor.has_role(*UNIT_OFFICERS)


# ── 3. four eyes: accounts/foureyes.py (`same_person`, `require_distinct_person`), re-exported here ─────

# ── 4. agents acting for a subject (issue 14) ─────────────────────────────────────────────────────────────

AGENCY_SCOPES: dict[str, str] = {
    **dict.fromkeys(("objections_file", "objections_get", "objections_evidence"), AgencyScope.OBJECTION),
    **dict.fromkeys(
        ("repairs_preview", "repairs_apply", "repairs_get", "repairs_evidence"), AgencyScope.REPAIR
    ),
    "reports_issue": AgencyScope.REPORT,
    "me_query_log": AgencyScope.QUERY_LOG,
    **dict.fromkeys(("me_consents_grant", "me_consents_list", "me_consents_revoke"), AgencyScope.CONSENT),
    # the self-service pages' own reads (/me/): the subject's standing, its objections, its repairs
    "me_standing": AgencyScope.REPORT,
    "me_objections": AgencyScope.OBJECTION,
    "me_repairs": AgencyScope.REPAIR,
}


def agency_actor(operation: str, actor: Actor) -> Actor:
    """The Actor that does `operation`: unchanged for anyone but an agent; an agent acting under a live
    power of attorney whose scope covers the operation becomes the subject for it (`subject` role:
    `access.subject_id_of` then answers the subject it acts for). Refused (403) under an agency no longer
    live (`agency.expired`, `agency.revoked`, `agency.not_started`) and outside the scope
    (`agency.out_of_scope`)."""
    if actor.agency_id is None:
        return actor
    if actor.acting_for is None:
        from xinyong.accounts.acting import agency_refusal
        from xinyong.core.timeutil import now

        raise agency_refusal(user_id=actor.user_id or 0, agency_id=actor.agency_id, now=now())
    needed = AGENCY_SCOPES.get(operation)
    if needed is None or needed not in actor.agency_scope:
        matter = AgencyScope(needed).label if needed else "此项业务"
        raise PermissionDenied(
            "agency.out_of_scope", f"授权委托书的委托事项不包括“{matter}”，代理人不能代为办理"
        )
    return replace(actor, roles=actor.roles | {Role.SUBJECT})


# ── the table for docs/authz.md ────────────────────────────────────────────────────────────────────────

MARKS = {"yes": "✓", "no": "—"}


def table_markdown(operations: list[tuple[str, str, str, str]]) -> str:
    """The role × operation table: `operations` are (operation id, method, path, summary) in API order."""
    head = ["接口", "方法与路径", *(ROLE_LABELS[r] for r in TABLE_ROLES), "对象范围"]
    lines = [
        "# 权限模型：角色 × 接口",
        "",
        "由 `xinyong authz table -o docs/authz.md` 从 `xinyong/accounts/policy.py` 生成，请勿手改（issue 12，"
        "ADR 0017）。✓ 可以调用；— 拒绝（403 `auth.operation_forbidden`）。对象范围由服务按右列规则检查"
        "（他单位对象：403 或 404）。信用办审核员、管理员、审计员只属于信用办；其他单位的此类令牌不能创建，"
        "旧令牌按“无角色”处理（只能调用匿名可调用的接口）。带 ⁴ 的接口执行四眼原则：提议人与审核人须为"
        "不同的人：同一人的会话和本人令牌都是这个人；不同的工作人员（同一单位亦可）是不同的人；单位的系统对接令牌"
        "按对接系统区分；issue 14 之前的单位令牌按登记的经办人 `officer` 区分。",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for op_id, method, path, summary in operations:
        rule = OPERATIONS.get(op_id, Rule(frozenset(), "none"))
        cells = [MARKS["yes"] if r in rule.roles else MARKS["no"] for r in TABLE_ROLES]
        name = f"`{op_id}`{'⁴' if rule.four_eyes else ''} {summary}".strip()
        lines.append(f"| {name} | `{method} {path}` | " + " | ".join(cells) + f" | {SCOPES[rule.scope]} |")
    return "\n".join(lines) + "\n"
