"""Portal page 办理进度查询: an applicant without an account types the query code of an objection (YY), a
repair application (XF), a dishonesty report (JB) or an account registration (ZC, issue 14) and reads where
it stands (docs/interfaces.md Web portal: "objection and repair applications with progress by query code").
The same answers as the API's progress endpoints; a wrong code and a malformed one read alike."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET

from xinyong.accounts.registrationreads import application_progress
from xinyong.core.errors import DomainError
from xinyong.core.querycode import query_code_normalise
from xinyong.portal.wording import error_of, step, word
from xinyong.remedies import selectors
from xinyong.remedies.selectors import WRONG_CODE
from xinyong.tipoffs.selectors import tipoff_progress

KINDS = {
    "YY": gettext_noop("异议"),
    "XF": gettext_noop("信用修复申请"),
    "JB": gettext_noop("失信行为举报"),
    "ZC": gettext_noop("实名注册申请"),
}
DEADLINE_LABELS = {
    "accept_due": gettext_noop("受理期限"),
    "verify_due": gettext_noop("核实期限"),
    "overall_due": gettext_noop("答复期限"),
    "decide_due": gettext_noop("决定期限"),
    "share_due": gettext_noop("结果共享期限"),
    "accept_deadline": gettext_noop("受理期限"),
    "conclude_deadline": gettext_noop("办结期限"),
}


def _when(value: str | None) -> str:
    if not value:
        return ""
    return dateformat.format(dt.datetime.fromisoformat(value), gettext("Y年m月d日 H:i"))


@require_GET
def progress_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    context = {"code": code, "case": None, "error": None}
    status = 200
    if code:
        try:
            context["case"] = _case(code)
        except DomainError as exc:
            context["error"], status = error_of(exc), exc.status
    return render(request, "portal/progress.html", context, status=status)


def _case(code: str) -> dict:
    normal = query_code_normalise(code)
    prefix = normal[:2]
    if prefix == "YY":
        found = selectors.objection_progress(code=normal)
    elif prefix == "XF":
        found = selectors.repair_progress(code=normal)
    elif prefix == "JB":
        found = _tipoff(tipoff_progress(code=normal))
    elif prefix == "ZC":
        found = application_progress(code=normal)
    else:
        raise DomainError("query_code.not_found", WRONG_CODE, status=404)
    deadlines = [(gettext(DEADLINE_LABELS[k]), _when(v)) for k, v in found["deadlines"].items() if v]
    steps = [
        {"label": step(s["action_label"]), "at": _when(s["at"]), "reason": s.get("reason", "")}
        for s in found["steps"]
    ]
    return {
        "kind": gettext(KINDS[prefix]),
        "code": normal,
        "state_label": word(found["state_label"]),
        "filed_at": _when(found["filed_at"]),
        "deadlines": deadlines,
        "result": word(found["result"]) if prefix == "ZC" else found["result"],
        "reply": found["reply"],
        "steps": steps,
    }


def _tipoff(found: dict) -> dict:
    """A dishonesty report's progress (tipoffs.selectors) in the page's shape."""
    reward = found["reward"]
    decided = reward["decision"] != "none"
    reward_line = word(reward["decision_label"])
    if reward["text"]:
        reward_line += gettext("：%(text)s") % {"text": reward["text"]}
    deadlines = {"accept_deadline": found["accept_deadline"], "conclude_deadline": found["conclude_deadline"]}
    result = found["findings"] or found["refusal_reason"]
    return {**found, "deadlines": deadlines, "result": result, "reply": reward_line if decided else ""}
