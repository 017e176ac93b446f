"""Reads of account registrations (issue 14): the applicant's progress by query code (办理进度查询, the same
answer shape as the remedies' progress so the portal page shows it), and the back office's look-ups."""

from __future__ import annotations

from xinyong.accounts.models import AccountApplication, ApplicationStatus
from xinyong.core.errors import NotFound
from xinyong.core.querycode import query_code_normalise
from xinyong.core.timeutil import rfc3339

WRONG_CODE = "查询码不正确，或没有对应的申请"
NEXT_STEP: dict[str, str] = {
    ApplicationStatus.PENDING: "请携带所提交材料的原件到信用办窗口核验；核验通过后即可使用账户办理业务",
    ApplicationStatus.VERIFIED: "核验通过，账户已开通：请登录后办理业务",
}


def application_get(*, application_id: int) -> AccountApplication:
    found = AccountApplication.objects.select_related("user").filter(pk=application_id).first()
    if found is None:
        raise NotFound("account.application_not_found", f"实名注册申请 {application_id} 不存在")
    return found


def application_progress(*, code: str) -> dict:
    """Where an application stands, without names of officers or identity numbers; a wrong code and a
    malformed one read alike (404)."""
    normal = query_code_normalise(code)
    app = AccountApplication.objects.filter(query_code=normal).first() if normal else None
    if app is None:
        raise NotFound("query_code.not_found", WRONG_CODE)
    steps = [{"action_label": "提交实名注册申请", "at": rfc3339(app.submitted_at), "reason": ""}]
    if app.decided_at is not None:
        label = "核验通过" if app.status == ApplicationStatus.VERIFIED else "不予通过"
        reason = app.reason if app.status == ApplicationStatus.REJECTED else ""
        steps.append({"action_label": label, "at": rfc3339(app.decided_at), "reason": reason})
    return {
        "kind_label": app.get_kind_display(),
        "state_label": app.get_status_display(),
        "filed_at": rfc3339(app.submitted_at),
        "deadlines": {},
        "result": app.reason if app.status == ApplicationStatus.REJECTED else NEXT_STEP[app.status],
        "reply": "",
        "steps": steps,
    }
