"""/me/acting/ (issue 14): an agent (代理人) chooses the one subject it acts for, from its powers of attorney
(accounts/acting.py has the rule). Live agencies can be chosen; expired, revoked or not yet valid ones are
listed as such and refused if chosen (403 with the reason). The choice is kept in the session and checked
again on every request (accounts/actors.py). The signed-in subject's other pages (/me/, the query log,
objections, repairs) call apps above `accounts` and live in portal/selfservice/. In Chinese at its path and in
English under /en/me/acting/ (issue 15: the refusals by code in accounts/wording.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from xinyong.accounts.acting import (
    ACTING_SESSION_KEY,
    LIVE,
    STATUS_LABELS,
    acting_start,
    acting_stop,
    agencies_of,
    agency_refusal,
    agency_status,
    scope_labels,
)
from xinyong.accounts.actors import request_actor
from xinyong.accounts.sessions import localised
from xinyong.accounts.wording import in_chinese, refusal, word
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now


@login_required
@require_http_methods(["GET", "POST"])
def acting_page(request: HttpRequest) -> HttpResponse:
    """GET: the agent's powers of attorney; POST `agency=<id>`: act for its subject; POST `stop`: stop."""
    error, status = None, 200
    if request.method == "POST":
        try:
            return _choose(request)
        except DomainError as exc:
            error, status = refusal(exc.code, exc.message), exc.status
    return render(request, "accounts/acting.html", _context(request, error), status=status)


def _choose(request: HttpRequest) -> HttpResponse:
    actor, at = request_actor(request), now()
    if "stop" in request.POST:
        current = request.session.pop(ACTING_SESSION_KEY, None)
        if isinstance(current, int):
            acting_stop(actor=actor, agency_id=current, now=at)
        return redirect(_own_page())
    raw = request.POST.get("agency", "")
    if not raw.isdigit():
        raise DomainError("agency.required", "请选择要代为办理的授权委托")
    agency = acting_start(actor=actor, user_id=request.user.pk or 0, agency_id=int(raw), now=at)
    request.session[ACTING_SESSION_KEY] = agency.pk
    return redirect(_own_page())


def _own_page() -> str:
    """/me/, or /en/me/ on the English page."""
    return localised("/me/")


def _context(request: HttpRequest, error: str | None) -> dict:
    today, current = business_date(now()), request.session.get(ACTING_SESSION_KEY)
    rows = []
    for agency in agencies_of(user_id=request.user.pk or 0):
        state = agency_status(agency, today=today)
        rows.append(
            {
                "id": agency.pk,
                "subject": agency.subject.name,
                "code": agency.subject.uscc or agency.subject.person_masked,
                "scope": ("、" if in_chinese() else ", ").join(word(s) for s in scope_labels(agency.scope)),
                "valid_from": agency.valid_from,
                "valid_to": agency.valid_to,
                "status": word(STATUS_LABELS[state]),
                "live": state == LIVE,
                "current": agency.pk == current,
            }
        )
    gone = None
    if isinstance(current, int) and not any(r["current"] and r["live"] for r in rows):
        refused = agency_refusal(user_id=request.user.pk or 0, agency_id=current, now=now())
        gone = refusal(refused.code, refused.message)
    return {"rows": rows, "error": error, "refusal": gone, "acting": isinstance(current, int)}
