"""Portal page 办理进度查询: an applicant without an account types the query code of an objection (YY), a
repair application (XF), a dishonesty report (JB) or an account registration (ZC, issue 14) and reads where
it stands (docs/interfaces.md Web portal: "objection and repair applications with progress by query code").
The same answers as the API's progress endpoints; a wrong code and a malformed one read alike."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinyong.accounts.registrationreads import application_progress
from xinyong.core.errors import DomainError
from xinyong.core.querycode import query_code_normalise
from xinyong.remedies import selectors
from xinyong.remedies.selectors import WRONG_CODE
from xinyong.tipoffs.selectors import tipoff_progress

KINDS = {"YY": "异议", "XF": "信用修复申请", "JB": "失信行为举报", "ZC": "实名注册申请"}
DEADLINE_LABELS = {
    "accept_due": "受理期限",
    "verify_due": "核实期限",
    "overall_due": "答复期限",
    "decide_due": "决定期限",
    "share_due": "结果共享期限",
    "accept_deadline": "受理期限",
    "conclude_deadline": "办结期限",
}


def _when(value: str | None) -> str:
    if not value:
        return ""
    return dt.datetime.fromisoformat(value).strftime("%Y年%m月%d日 %H:%M")


@require_GET
def progress_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    context = {"code": code, "case": None, "error": None}
    status = 200
    if code:
        try:
            context["case"] = _case(code)
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
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
    deadlines = [(DEADLINE_LABELS[k], _when(v)) for k, v in found["deadlines"].items() if v]
    steps = [
        {"label": s["action_label"], "at": _when(s["at"]), "reason": s.get("reason", "")}
        for s in found["steps"]
    ]
    return {
        "kind": KINDS[prefix],
        "code": normal,
        "state_label": found["state_label"],
        "filed_at": _when(found["filed_at"]),
        "deadlines": deadlines,
        "result": found["result"],
        "reply": found["reply"],
        "steps": steps,
    }


def _tipoff(found: dict) -> dict:
    """A dishonesty report's progress (tipoffs.selectors) in the page's shape."""
    reward = found["reward"]
    decided = reward["decision"] != "none"
    reward_line = reward["decision_label"] + (f"：{reward['text']}" if reward["text"] else "")
    deadlines = {"accept_deadline": found["accept_deadline"], "conclude_deadline": found["conclude_deadline"]}
    result = found["findings"] or found["refusal_reason"]
    return {**found, "deadlines": deadlines, "result": result, "reply": reward_line if decided else ""}
