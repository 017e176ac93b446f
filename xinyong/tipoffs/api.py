"""/api/v1/tipoffs: dishonesty reports (失信行为举报).

Anyone files a report (multipart/form-data: form fields and evidence `files`, no account) and follows it by
query code; the handling unit's officers handle it. Who sees what: the reporter's progress shows no identity
and no officers' labels; the case view shows the identity masked; only the detail shows it in clear (audited);
other units and the public get 404 for a report's case and detail.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.core.api import FILE_RESPONSE, Problem, file_download
from xinyong.core.evidence import evidence_describe, uploads_read
from xinyong.core.pagination import MAX_PAGE_SIZE, sequence_page
from xinyong.core.timeutil import now, rfc3339
from xinyong.tipoffs import selectors, services
from xinyong.tipoffs.models import ACTION_LABELS, Tipoff, TipoffState
from xinyong.tipoffs.schemas import (
    TipoffCaseOut,
    TipoffCloseIn,
    TipoffConcludeIn,
    TipoffDetailOut,
    TipoffFiledOut,
    TipoffFileIn,
    TipoffInboxOut,
    TipoffProgressOut,
    TipoffRefuseIn,
    TipoffRewardIn,
    TipoffRouteIn,
)

router = Router(tags=["tipoffs"])

_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem}
_STATE_LABELS = dict(TipoffState.choices)


def _iso(instant: dt.datetime | None) -> str | None:
    return rfc3339(instant) if instant else None


def _due(t: Tipoff, at: dt.datetime) -> dict:
    due = selectors.tipoff_overdue(t, now=at)
    return {"kind": due.kind, "deadline": _iso(due.deadline), "overdue": due.overdue,
            "working_days_late": due.working_days}  # fmt: skip


def _case_out(t: Tipoff, at: dt.datetime) -> dict:
    return {
        "id": t.pk,
        "state": t.state,
        "state_label": _STATE_LABELS[t.state],
        "category": t.category.code,
        "category_name": t.category.name,
        "handling_unit": t.handling_unit.code,
        "handling_unit_name": t.handling_unit.name,
        "subject": {"id": t.subject_id, "text": t.subject_text},
        "description": t.description,
        "evidence": evidence_describe(t.evidence_ids),
        "anonymous": t.anonymous,
        "reporter_masked": t.reporter_masked,
        "filed_at": _iso(t.filed_at),
        "accept_deadline": _iso(t.accept_deadline),
        "accept_deadline_provisional": t.accept_deadline_provisional,
        "accepted_at": _iso(t.accepted_at),
        "conclude_deadline": _iso(t.conclude_deadline),
        "conclude_deadline_provisional": t.conclude_deadline_provisional,
        "refusal_reason": t.refusal_reason,
        "outcome": t.outcome,
        "findings": t.findings,
        "concluded_at": _iso(t.concluded_at),
        "reward": selectors.tipoff_reward_view(t),
        "closed_at": _iso(t.closed_at),
        "due": _due(t, at),
        "version": t.version,
        "transitions": [
            {
                "action": s.action,
                "action_label": ACTION_LABELS[s.action],
                "from_state": s.from_state,
                "to_state": s.to_state,
                "actor": s.actor,
                "unit_code": s.unit_code,
                "reason": s.reason,
                "at": _iso(s.at),
            }
            for s in t.transitions.all()
        ],
    }


def _case_answer(tipoff: Tipoff, at: dt.datetime) -> dict:
    """The case view after a step (no identity in clear). After a re-routing the reviewer is no longer a
    handler, yet gets this view of the report it has just routed (it saw the report before routing it)."""
    tipoff = (
        Tipoff.objects.select_related("category", "handling_unit")
        .prefetch_related("transitions")
        .get(pk=tipoff.pk)
    )
    return _case_out(tipoff, at)


# ── the reporter ────────────────────────────────────────────────────────────────────────────────────────


@router.post(
    "",
    response={201: TipoffFiledOut, **_ERRORS},
    operation_id="tipoffs_file",
    summary="提交失信行为举报（multipart/form-data：表单字段与证明材料 files；可匿名）",
)
def tipoffs_file(request: HttpRequest, body: Form[TipoffFileIn], files: File[list[UploadedFile]] = None):
    at = now()
    tipoff = services.tipoff_file(
        actor=request_actor(request),
        subject=body.subject,
        category=body.category,
        description=body.description,
        unit=body.unit,
        anonymous=body.anonymous,
        reporter_name=body.reporter_name,
        reporter_phone=body.reporter_phone,
        reporter_id_number=body.reporter_id_number,
        files=uploads_read(files),
        now=at,
    )
    return Status(
        201,
        {
            "query_code": tipoff.query_code,
            "state": tipoff.state,
            "state_label": _STATE_LABELS[tipoff.state],
            "handling_unit_name": tipoff.handling_unit.name,
            "filed_at": _iso(tipoff.filed_at),
            "accept_deadline": _iso(tipoff.accept_deadline),
            "evidence_count": len(tipoff.evidence_ids),
        },
    )


@router.get(
    "/progress",
    response={200: TipoffProgressOut, 404: Problem},
    operation_id="tipoffs_progress",
    summary="凭查询码查询举报办理进度（无需登录）",
)
def tipoffs_progress(request: HttpRequest, code: str = ""):
    return selectors.tipoff_progress(code=code)


# ── the handling unit ───────────────────────────────────────────────────────────────────────────────────


@router.get(
    "/inbox",
    response={200: TipoffInboxOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="tipoffs_inbox",
    summary="本单位待办举报（含超期标记，按工作日计算）",
)
def tipoffs_inbox(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
):
    actor, at = request_actor(request), now()
    rows = selectors.tipoff_inbox(actor=actor, now=at)

    def shape(row) -> dict:
        t = row[0]
        return {
            "id": t.pk,
            "state": t.state,
            "state_label": _STATE_LABELS[t.state],
            "category": t.category.code,
            "subject_text": t.subject_text,
            "filed_at": _iso(t.filed_at),
            "due": _due(t, at),
        }

    overdue = sum(1 for _, due in rows if due.overdue)
    extra = {"unit": actor.unit_code, "count": len(rows), "overdue": overdue}
    return sequence_page(request, rows, limit=limit, cursor=cursor, shape=shape, **extra)


@router.get(
    "/{tipoff_id}",
    response={200: TipoffDetailOut, **_ERRORS},
    auth=OptionalTokenAuth(),  # the public gets the same 404 as another unit
    operation_id="tipoffs_detail",
    summary="举报详情（仅承办单位；含举报人身份，读取记入审计）",
)
def tipoffs_detail(request: HttpRequest, tipoff_id: int):
    at = now()
    tipoff, identity = selectors.tipoff_detail(actor=request_actor(request), tipoff_id=tipoff_id, now=at)
    reporter = (
        {"name": identity.name, "phone": identity.phone, "id_number": identity.id_number}
        if identity
        else None
    )
    return {**_case_out(tipoff, at), "reporter": reporter}


@router.get(
    "/{tipoff_id}/evidence/{file_id}",
    response=_ERRORS,
    openapi_extra={"responses": FILE_RESPONSE},
    auth=OptionalTokenAuth(),  # the public gets the same 404 as another unit
    operation_id="tipoffs_evidence",
    summary="下载举报的证明材料（仅承办单位；读取记入审计）",
)
def tipoffs_evidence(request: HttpRequest, tipoff_id: int, file_id: int):
    found = selectors.tipoff_evidence(
        actor=request_actor(request), tipoff_id=tipoff_id, file_id=file_id, now=now()
    )
    return file_download(found.data, found.name, found.content_type)


def _step_route(path: str, operation_id: str, summary: str):
    return router.post(
        f"/{{tipoff_id}}/{path}",
        response={200: TipoffCaseOut, **_ERRORS},
        auth=TokenAuth(),
        operation_id=operation_id,
        summary=summary,
    )


@_step_route("acceptance", "tipoffs_accept", "受理举报")
def tipoffs_accept(request: HttpRequest, tipoff_id: int):
    at = now()
    tipoff = services.tipoff_accept(actor=request_actor(request), tipoff_id=tipoff_id, now=at)
    return _case_answer(tipoff, at)


@_step_route("refusal", "tipoffs_refuse", "不予受理（须说明理由）")
def tipoffs_refuse(request: HttpRequest, tipoff_id: int, body: TipoffRefuseIn):
    at = now()
    tipoff = services.tipoff_refuse(
        actor=request_actor(request), tipoff_id=tipoff_id, reason=body.reason, now=at
    )
    return _case_answer(tipoff, at)


@_step_route("routing", "tipoffs_route", "改派承办单位（信用办审核员）")
def tipoffs_route(request: HttpRequest, tipoff_id: int, body: TipoffRouteIn):
    at = now()
    tipoff = services.tipoff_route(
        actor=request_actor(request), tipoff_id=tipoff_id, unit=body.unit, reason=body.reason, now=at
    )
    return _case_answer(tipoff, at)


@_step_route("investigation", "tipoffs_investigate", "开始调查核实")
def tipoffs_investigate(request: HttpRequest, tipoff_id: int):
    at = now()
    tipoff = services.tipoff_investigate(actor=request_actor(request), tipoff_id=tipoff_id, now=at)
    return _case_answer(tipoff, at)


@_step_route("conclusion", "tipoffs_conclude", "作出认定（属实或不属实，须写明调查结论）")
def tipoffs_conclude(request: HttpRequest, tipoff_id: int, body: TipoffConcludeIn):
    at = now()
    tipoff = services.tipoff_conclude(
        actor=request_actor(request),
        tipoff_id=tipoff_id,
        substantiated=body.substantiated,
        findings=body.findings,
        now=at,
    )
    return _case_answer(tipoff, at)


@_step_route("reward", "tipoffs_reward", "作出奖励决定（仅举报属实）")
def tipoffs_reward(request: HttpRequest, tipoff_id: int, body: TipoffRewardIn):
    at = now()
    tipoff = services.tipoff_reward(
        actor=request_actor(request),
        tipoff_id=tipoff_id,
        grant=body.grant,
        amount=body.amount_yuan,
        text=body.text,
        now=at,
    )
    return _case_answer(tipoff, at)


@_step_route("closure", "tipoffs_close", "办结")
def tipoffs_close(request: HttpRequest, tipoff_id: int, body: TipoffCloseIn):
    at = now()
    tipoff = services.tipoff_close(
        actor=request_actor(request), tipoff_id=tipoff_id, reason=body.reason, now=at
    )
    return _case_answer(tipoff, at)
