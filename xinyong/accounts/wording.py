"""The subject-facing account pages in the page's language (issue 15, the English pages; accounts/urls.py):
the fixed words those pages take from the models and services (account kinds, documents, agency scopes and
states) and the refusals of registration and of acting for a subject, by stable code. As in the portal
(portal/wording.py), the services' own messages are never marked: at a Chinese path a page shows them exactly
as given; on an English page it shows the wording of the same code here (English in the accounts catalog,
accounts/locale/en), or the service's Chinese message when there is none for that code."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from xinyong.accounts.acting import STATUS_LABELS
from xinyong.accounts.documents import DOCUMENT_LABELS
from xinyong.accounts.models import AgencyScope, ApplicationKind

# The fixed Chinese words the pages show, each marked once so that the catalog holds its English.
WORDS = (
    gettext_noop("法人账户"),
    gettext_noop("个人账户"),
    gettext_noop("代理人"),
    gettext_noop("营业执照"),
    gettext_noop("身份证件"),
    gettext_noop("授权委托书"),
    gettext_noop("异议申诉"),
    gettext_noop("信用修复"),
    gettext_noop("信用报告"),
    gettext_noop("查询记录"),
    gettext_noop("查询授权"),
    gettext_noop("有效"),
    gettext_noop("已过期"),
    gettext_noop("已撤销"),
    gettext_noop("尚未生效"),
)

# A refusal the pages may show, by code, in the pages' words (Chinese msgids, English in the catalog). A code
# whose Chinese carries values (a name, a date, a limit) has a wording without them.
REFUSALS = {
    "account.kind_invalid": gettext_noop("请选择申请类型：法人账户、个人账户或代理人"),
    "account.username_required": gettext_noop("请填写用户名"),
    "account.username_invalid": gettext_noop("用户名只能包含字母、数字和 @ . + - _，不超过 150 个字符"),
    "account.username_taken": gettext_noop("该用户名已被使用，请换一个"),
    "account.password_required": gettext_noop("请设置密码"),
    "account.password_weak": gettext_noop(
        "密码太弱：至少 10 位，不要只用数字或常见密码，不要与用户名或姓名相似"
    ),
    "account.name_required": gettext_noop("请填写名称或姓名"),
    "account.name_too_long": gettext_noop("名称或姓名太长"),
    "account.contact_required": gettext_noop("请填写联系电话或电子邮箱"),
    "account.contact_too_long": gettext_noop("联系电话或电子邮箱不得超过 100 个字"),
    "account.subject_code_required": gettext_noop("请填写统一社会信用代码"),
    "account.resident_id_required": gettext_noop("请填写公民身份号码"),
    "account.principal_ambiguous": gettext_noop(
        "统一社会信用代码和公民身份号码只填其一：被代理的是企业填前者，是个人填后者"
    ),
    "account.principal_required": gettext_noop(
        "请填写被代理主体的统一社会信用代码或公民身份号码（二者填其一）"
    ),
    "account.document_required": gettext_noop("请上传此项材料"),
    "account.document_repeated": gettext_noop("此项材料只需上传一个文件"),
    "account.document_unexpected": gettext_noop("此类申请不需要此项材料"),
    "account.agency_terms_unexpected": gettext_noop("只有代理人申请填写委托事项和委托截止日期"),
    "account.agency_valid_to_invalid": gettext_noop("委托截止日期格式应为 年-月-日，如 2027-06-30"),
    "account.upload_too_large": gettext_noop("上传的材料合计过大，请减少文件数量或压缩文件后重试"),
    "agency.scope_required": gettext_noop("请至少选择一项委托事项"),
    "agency.scope_invalid": gettext_noop("委托事项不在可选范围内"),
    "agency.end_required": gettext_noop("请填写委托截止日期"),
    "agency.end_past": gettext_noop("委托截止日期须晚于今天"),
    "agency.too_long": gettext_noop("委托期限最长 5 年"),
    "agency.required": gettext_noop("请选择要代为办理的授权委托"),
    "agency.not_found": gettext_noop("没有该授权委托"),
    "agency.expired": gettext_noop("授权委托已过期，不能再代为办理"),
    "agency.revoked": gettext_noop("授权委托已撤销，不能再代为办理"),
    "agency.not_started": gettext_noop("授权委托尚未生效，目前还不能代为办理"),
    "evidence.invalid": gettext_noop("证明材料须为 PDF、JPG 或 PNG 文件，每个不超过 10 MB"),
    "evidence.too_many": gettext_noop("上传的文件数量超过上限"),
    "evidence.too_large": gettext_noop("上传的材料合计过大，请减少文件数量或压缩文件后重试"),
    "uscc": gettext_noop("统一社会信用代码不正确，请核对营业执照上的 18 位代码"),
    "ric": gettext_noop("公民身份号码不正确，请核对身份证件上的 18 位号码"),
    "ric.minor": gettext_noop("申请人须年满 18 周岁"),
}


def in_chinese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def word(value) -> str:
    """A fixed word (a kind, a document, a scope, a state) in the active language."""
    return gettext(str(value)) if value else ""


def refusal(code: str, message: str) -> str:
    """A service's refusal in the page's language: as given at a Chinese path; else the wording of its code
    (an identifier rule by its family, `uscc.…` or `ric.…`), or the message as given when there is none."""
    if in_chinese():
        return message
    wording = REFUSALS.get(code) or REFUSALS.get(code.partition(".")[0])
    return gettext(wording) if wording else message


def every_word() -> list[str]:
    """The words the pages pass through `word`, as the models and services name them (the catalog's test)."""
    return [
        *ApplicationKind.labels,
        *DOCUMENT_LABELS.values(),
        *AgencyScope.labels,
        *STATUS_LABELS.values(),
    ]
