"""The registration pages (实名注册, issue 14): choose a kind, fill one form with the documents, read the
query code. Server-rendered, no script; every check is the service's (accounts/registration.py), and its
refusals come back as an error summary at the top and an error beside each field (GOV.UK pattern). In Chinese
at their paths and in English under /en/ (issue 15): the refusals by code in accounts/wording.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from xinyong.accounts.documents import DOCUMENT_LABELS, DOCUMENTS, DocumentKind, document_field
from xinyong.accounts.models import AgencyScope, ApplicationKind
from xinyong.accounts.registration import application_submit
from xinyong.accounts.wording import refusal, word
from xinyong.core.errors import DomainError
from xinyong.core.pagelimits import page_limited
from xinyong.core.timeutil import now

SESSION_KEY = "registration_code"
StrOrPromise = str | Promise
INTRO: dict[str, StrOrPromise] = {
    ApplicationKind.ENTERPRISE: gettext_lazy(
        "企业、社会组织等法人和非法人组织开通法人账户：上传营业执照（或登记证书）。"
        "经办人不是法定代表人的，另上传法定代表人签字并加盖公章的授权委托书。"
    ),
    ApplicationKind.PERSON: gettext_lazy("年满 18 周岁的个人开通个人账户：上传本人身份证件。"),
    ApplicationKind.AGENT: gettext_lazy(
        "受企业或个人委托代为办理异议、信用修复等事项：上传代理人身份证件和授权委托书，"
        "并写明委托事项和委托截止日期（最长 5 年）。"
    ),
}
LABELS = {
    "name": {"enterprise": gettext_lazy("企业名称"), "person": gettext_lazy("姓名"),
             "agent": gettext_lazy("代理人姓名")},
    "subject_code": {"enterprise": gettext_lazy("统一社会信用代码"),
                     "agent": gettext_lazy("被代理企业的统一社会信用代码")},
    "resident_id": {"person": gettext_lazy("公民身份号码"), "agent": gettext_lazy("被代理人的公民身份号码")},
    "contact": {"": gettext_lazy("联系电话或电子邮箱")}, "username": {"": gettext_lazy("用户名")},
    "password": {"": gettext_lazy("密码")}, "scope": {"": gettext_lazy("委托事项")},
    "agency_valid_to": {"": gettext_lazy("委托截止日期")},
}  # fmt: skip
HINTS = {
    "subject_code": gettext_lazy("18 位，见营业执照"),
    "resident_id": gettext_lazy("18 位；平台只保存其摘要和遮蔽形式，不保存完整号码"),
    "contact": gettext_lazy("手机号码或电子邮箱，用于通知核验结果"),
    "username": gettext_lazy("登录时使用：字母、数字和 @ . + - _"),
    "password": gettext_lazy("至少 10 位，不要只用数字或常见密码"),
    "agency_valid_to": gettext_lazy("格式：年-月-日，须晚于今天，最长 5 年"),
    "scope": gettext_lazy("可多选"),
    document_field(DocumentKind.AUTHORISATION): gettext_lazy("PDF、JPG 或 PNG，每个文件不超过 10 MB"),
}
DATE_INVALID = gettext_lazy("委托截止日期格式应为 年-月-日，如 2027-06-30")


def _fields(kind: str, values: dict, errors: dict) -> list[dict]:
    """The form's fields, in page order, each with its label, hint, value and error."""
    names = ["name"]
    if kind == ApplicationKind.AGENT:
        names += ["subject_code", "resident_id", "scope", "agency_valid_to"]
    else:
        names += ["subject_code" if kind == ApplicationKind.ENTERPRISE else "resident_id"]
    names += ["contact", "username", "password"]
    required, optional = DOCUMENTS[kind]
    fields = [_field(kind, name, values, errors) for name in names]
    for doc_kind in (*required, *optional):
        name = document_field(doc_kind)
        label = word(DOCUMENT_LABELS[doc_kind]) + (_("（选填）") if doc_kind in optional else "")
        hint = HINTS[document_field(DocumentKind.AUTHORISATION)]
        fields.append({"name": name, "label": label, "type": "file", "hint": hint, "error": errors.get(name)})
    return fields


def _field(kind: str, name: str, values: dict, errors: dict) -> dict:
    label = LABELS[name].get(kind) or LABELS[name][""]
    kinds = {"password": "password", "agency_valid_to": "date", "scope": "checkboxes"}
    field: dict = {"name": name, "label": label, "type": kinds.get(name, "text"), "hint": HINTS.get(name, "")}
    if kind == ApplicationKind.AGENT and name in ("subject_code", "resident_id"):
        field["hint"] = _("被代理的是企业填统一社会信用代码，是个人填公民身份号码，二者填其一")
    if name == "scope":
        chosen = values.get("scope", [])
        field["choices"] = [(v, word(text), v in chosen) for v, text in AgencyScope.choices]
    else:
        field["value"] = "" if name == "password" else values.get(name, "")
    field["error"] = errors.get(name)
    return field


@require_GET
def register_start(request: HttpRequest) -> HttpResponse:
    kinds = [(kind, word(label), INTRO[kind]) for kind, label in ApplicationKind.choices]
    return render(request, "accounts/register_start.html", {"kinds": kinds})


@require_http_methods(["GET", "POST"])
@page_limited("filing", "upload", methods=("POST",))
def register_form(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ApplicationKind.values:
        raise Http404(_("没有这类申请"))
    if request.method == "GET":
        return _page(request, kind, {}, [], 200)
    limit = settings.XINYONG_ANON_UPLOAD_MAX_BYTES + 1024 * 1024
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        message = f"上传的材料合计过大：一次提交不得超过 {settings.XINYONG_ANON_UPLOAD_MAX_BYTES} 字节"
        error = {"field": "documents", "code": "account.upload_too_large", "message": message}
        return _page(request, kind, {}, [error], 413)
    values: dict = {
        name: request.POST.get(name, "").strip()
        for name in ("name", "subject_code", "resident_id", "contact", "username", "agency_valid_to")
    }
    values["scope"] = request.POST.getlist("scope")
    valid_to, date_error = _date(values["agency_valid_to"])
    documents = [
        (d, request.FILES[document_field(d)]) for d in DOCUMENT_LABELS if document_field(d) in request.FILES
    ]
    try:
        application = application_submit(
            kind=kind, username=values["username"], password=request.POST.get("password", ""),
            name=values["name"], subject_code=values["subject_code"], resident_id=values["resident_id"],
            contact=values["contact"], documents=documents, scope=values["scope"] if kind == "agent" else (),
            agency_valid_to=valid_to, now=now(),
        )  # fmt: skip
    except DomainError as err:
        date_fix = {"code": "account.agency_valid_to_invalid", "message": date_error}
        given = err.errors or [{"field": "", "code": err.code, "message": err.message}]
        errors = [e if e["field"] != "agency_valid_to" or not date_error else {**e, **date_fix}
                  for e in given]  # fmt: skip
        return _page(request, kind, values, errors, err.status)
    request.session[SESSION_KEY] = application.query_code
    return redirect("accounts:register_submitted")


def _date(raw: str) -> tuple[dt.date | None, str]:
    if not raw:
        return None, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return None, str(DATE_INVALID)


def _page(request: HttpRequest, kind: str, values: dict, errors: list[dict], status: int) -> HttpResponse:
    errors = [{**e, "message": refusal(_code(e), e["message"])} for e in errors]
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(error.get("field") or "", error["message"])
    fields = _fields(kind, values, by_field)
    names = [f["name"] for f in fields]
    first_file = next(f["name"] for f in fields if f["type"] == "file")
    summary = [
        {"target": e["field"] if e.get("field") in names else first_file, "message": e["message"]}
        for e in errors
    ]
    if "documents" in by_field:
        next(f for f in fields if f["name"] == first_file)["error"] = by_field["documents"]
    label = word(ApplicationKind(kind).label)
    context = {"kind": kind, "kind_label": label, "intro": INTRO[kind], "fields": fields, "summary": summary}
    return render(request, "accounts/register_form.html", context, status=status)


def _code(error: dict) -> str:
    """A refusal's code; a blank required text (core.errors.required_text: `required`) by its field."""
    code = error.get("code") or ""
    return f"account.{error.get('field')}_required" if code == "required" else code


@require_GET
def register_submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("accounts:register_start")
    return render(request, "accounts/register_submitted.html", {"code": code})
