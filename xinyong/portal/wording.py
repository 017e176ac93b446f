"""What other apps hand the portal in Chinese, in the page's language (issue 15, the English pages): their
refusals (DomainError) by stable code, the conditions of repair by code, and their fixed words (states,
actions, grounds, kinds: portal/labels.py). The domain apps' own messages are never marked: at a Chinese path
the portal shows them exactly as given; on an English page it shows its own marked wording of the same code,
or the app's Chinese message when it has none for that code (a new code is found by the English tests'
leftover-Chinese check, not hidden)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext

from xinyong.core.errors import DomainError

# A refusal the portal pages may show, by code, in the portal's words (Chinese msgids, English in the
# catalog). A code whose Chinese carries values (a number, a name) has a wording without them.
ERRORS = {
    # search, progress, columns
    "query_code.not_found": gettext_noop("查询码不正确，或没有对应的申请"),
    "search.query_empty": gettext_noop("请输入要查询的名称或代码"),
    "search.query_too_short": gettext_noop("名称查询字数太少，请多输入几个字或输入完整的代码"),
    "search.query_too_long": gettext_noop("查询内容太长，请缩短后重试"),
    "search.cursor_invalid": gettext_noop("分页参数无效或已过期，请重新查询"),
    "unit.not_found": gettext_noop("所选单位不存在，请从列表中选择"),
    "subject.not_found": gettext_noop("未找到该代码对应的信用主体"),
    "plan.not_found": gettext_noop("规划尚未载入"),
    # the self-service pages' refusals
    "me.not_a_subject": gettext_noop("仅限已实名核验的信用主体账户，或正在代为办理的代理人使用"),
    "agency.out_of_scope": gettext_noop("授权委托书的委托事项不包括此项，代理人不能代为办理"),
    "agency.expired": gettext_noop("授权委托已过期，不能再代为办理"),
    "agency.revoked": gettext_noop("授权委托已撤销，不能再代为办理"),
    "agency.not_started": gettext_noop("授权委托尚未生效，目前还不能代为办理"),
    "agency.not_found": gettext_noop("没有该授权委托"),
    "report.download_gone": gettext_noop(
        "报告文件只能下载一次，本次会话中已没有待下载的报告；如需报告，请重新申请"
    ),
    # objections
    "objection.already_open": gettext_noop("该对象已有正在办理的异议，请等待其办结"),
    "objection.target_closed": gettext_noop("该信息已不能提出异议"),
    "objection.grounds_invalid": gettext_noop("请从列表中选择异议理由"),
    "objection.description_required": gettext_noop("请说明异议的具体内容"),
    "objection.applicant_required": gettext_noop("请填写申请人"),
    "objection.authorisation_required": gettext_noop("代理人提出异议须上传授权委托书"),
    "objection.not_subject": gettext_noop("只有信用主体本人或其授权代理人可以提出异议"),
    "record.not_found": gettext_noop("该信用信息不存在"),
    "record.erased": gettext_noop("该信用信息已删除"),
    "record.no_current_version": gettext_noop("该信用信息没有现行版本"),
    # repairs
    "repair.statement_required": gettext_noop("请填写申请说明"),
    "repair.applicant_required": gettext_noop("请填写申请人"),
    "repair.already_open": gettext_noop("该对象已有正在办理的信用修复申请"),
    "repair.not_negative": gettext_noop("该信息不是失信信息，无需信用修复"),
    "repair.under_objection": gettext_noop("该信息正在异议处理中，异议办结后才能申请信用修复"),
    "repair.not_public": gettext_noop("该信息不在公示中，无需信用修复"),
    "repair.not_repairable": gettext_noop("该名单不适用信用修复"),
    "repair.conditions_not_met": gettext_noop("不符合信用修复条件，请查看下列各项条件"),
    "repair.not_subject": gettext_noop("只有信用主体本人可以申请信用修复"),
    # evidence
    "evidence.invalid": gettext_noop("证明材料须为 PDF、JPG 或 PNG 文件，每个不超过 10 MB"),
    "evidence.too_many": gettext_noop("证明材料数量超过上限"),
    "evidence.too_large": gettext_noop("证明材料合计超过大小上限"),
    # reports and consents
    "report.kind_invalid": gettext_noop("请从列表中选择报告类型"),
    "report.purpose_required": gettext_noop("请说明报告用途"),
    "report.purpose_too_long": gettext_noop("报告用途不能超过 200 字"),
    "consent.purpose_required": gettext_noop("授权须写明用途"),
    "consent.validity_invalid": gettext_noop("授权有效期须在今天到一年以内"),
    "consent.already_revoked": gettext_noop("该授权已撤回"),
    "consent.not_found": gettext_noop("该授权不存在"),
    # tipoffs
    "tipoff.subject_invalid": gettext_noop("须填写被举报主体的名称或统一社会信用代码"),
    "tipoff.description_invalid": gettext_noop("须填写举报内容（失信行为的事实）"),
    "tipoff.category_unknown": gettext_noop("请从列表中选择失信行为类别"),
    "tipoff.unit_unknown": gettext_noop("请从列表中选择承办单位"),
    "tipoff.unit_not_competent": gettext_noop("所选单位不是该类别的信息提供单位，不能承办此类举报"),
    "tipoff.anonymous_with_identity": gettext_noop("匿名举报不填写举报人姓名、电话和身份号码"),
    "tipoff.reporter_name_required": gettext_noop("实名举报须填写举报人姓名"),
    "tipoff.reporter_name_too_long": gettext_noop("举报人姓名最多 30 个字"),
    "tipoff.reporter_phone_invalid": gettext_noop("联系电话应为 11 位手机号码或带区号的固定电话"),
    "tipoff.reporter_phone_required": gettext_noop("实名举报须填写联系电话"),
    "tipoff.reporter_id_invalid": gettext_noop("举报人身份号码无效"),
    "tipoff.code_not_found": gettext_noop("查询码无效或不存在"),
}

# The conditions of repair (remedies.services.conditions `Condition`): label by code; on English pages the
# detail is the portal's wording of (code, met), without the app's dates and names.
CONDITIONS = {
    "min_period": gettext_noop("已满最短公示期"),
    "obligations": gettext_noop("已履行法定义务"),
    "commitment": gettext_noop("已作出信用修复承诺"),
    "training": gettext_noop("已完成信用修复培训"),
    "no_repeat": gettext_noop("无同类严重失信行为再次发生"),
}
CONDITION_DETAILS = {
    ("min_period", True): gettext_noop("最短公示期已满"),
    ("min_period", False): gettext_noop("最短公示期未满"),
    ("obligations", True): gettext_noop("已上传证明材料"),
    ("obligations", False): gettext_noop("未上传履行法定义务的证明材料"),
    ("commitment", True): gettext_noop("已签署信用修复承诺"),
    ("commitment", False): gettext_noop("未签署针对本次修复对象的信用修复承诺"),
    ("training", True): gettext_noop("无需培训，或已提供认可的培训证书"),
    ("training", False): gettext_noop("须完成信用修复培训：未提供认可的培训证书编号"),
    ("no_repeat", True): gettext_noop("无同类严重失信行为再次发生，或不适用"),
    ("no_repeat", False): gettext_noop("又有同类严重失信行为，不得修复"),
}


def chinese() -> bool:
    """The page is in Chinese (the default language: every path without /en/)."""
    return (translation.get_language() or "zh-hans").startswith("zh")


def error_text(code: str, message: str) -> str:
    """A refusal's message in the page's language: as the app gave it on a Chinese page."""
    if chinese() or code not in ERRORS:
        return message
    return gettext(ERRORS[code])


def error_of(exc: DomainError) -> str:
    return error_text(exc.code, exc.message)


def word(text: str) -> str:
    """A fixed word of another app (portal/labels.py) in the page's language; as given on a Chinese page."""
    return gettext(text) if text and not chinese() else text


def step(text: str) -> str:
    """A step of a case's history (an action's label): the catalog's `step` context first, where the same
    Chinese is also a button's text (提交异议: "Submit objection" on the form, "Objection filed" as a
    step)."""
    if not text or chinese():
        return text
    found = pgettext("step", text)
    return found if found != text else gettext(text)


def conditions_shown(conditions: list[dict] | None) -> list[dict] | None:
    """The conditions of repair (as_dict) as the page shows them."""
    if conditions is None or chinese():
        return conditions
    shown = []
    for c in conditions:
        label, detail = CONDITIONS.get(c["code"]), CONDITION_DETAILS.get((c["code"], bool(c["met"])))
        shown.append(
            {
                **c,
                "label": gettext(label) if label else c["label"],
                "detail": gettext(detail) if detail else c["detail"],
            }
        )
    return shown
