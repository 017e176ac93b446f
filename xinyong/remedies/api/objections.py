"""/api/v1/objections: file an objection (the target is flagged at once when the subject or the providing unit
files it, else on acceptance — issue 12), follow it by query code, and the
credit office's and the providing units' handling."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.accounts.roles import CREDIT_OFFICE
from xinyong.core.api import FILE_RESPONSE
from xinyong.core.evidence import uploads_read
from xinyong.core.pagination import MAX_PAGE_SIZE, keyset_page
from xinyong.core.timeutil import now
from xinyong.remedies import selectors, services
from xinyong.remedies.api.shapes import (
    ERRORS,
    after_cursor,
    case_file,
    case_unit,
    cursor_of,
    objection_out,
    require_government,
    visible,
)
from xinyong.remedies.schemas import (
    ObjectionFileIn,
    ObjectionOut,
    ObjectionPageOut,
    ObjectionStatsOut,
    ProgressOut,
    ReasonIn,
    ReplyIn,
    VerifyIn,
)

objections_router = Router(tags=["objections"])


@objections_router.post(
    "",
    response={201: ObjectionOut, **ERRORS},
    auth=OptionalTokenAuth(),
    operation_id="objections_file",
    summary="提出异议（主体本人或提供单位提出的立即标注“异议处理中”，其他人提出的受理时标注）",
)
def objections_file(
    request: HttpRequest,
    body: Form[ObjectionFileIn],
    files: File[list[UploadedFile]] = None,
    authorisation: File[list[UploadedFile]] = None,
):
    actor = request_actor(request)
    objection = services.objection_file(
        actor=actor,
        target_kind=body.target_kind,
        target_id=body.target_id,
        grounds=body.grounds,
        description=body.description,
        applicant_name=body.applicant_name,
        evidence=uploads_read(files),
        agent_name=body.agent_name,
        authorisation=uploads_read(authorisation),
        now=now(),
    )
    found = selectors.objection_get(objection_id=objection.pk)
    own = subject_id_of(actor=actor) == found.subject_id
    return Status(201, objection_out(found, actor, own=own, show_code=True))


@objections_router.get(
    "/progress",
    response={200: ProgressOut, **ERRORS},
    operation_id="objections_progress",
    summary="按查询码查询异议办理进度（无需登录）",
)
def objections_progress(request: HttpRequest, code: str):
    return selectors.objection_progress(code=code)


@objections_router.get(
    "/stats",
    response={200: ObjectionStatsOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_stats",
    summary="各单位异议核实及时率",
)
def objections_stats(request: HttpRequest):
    require_government(request_actor(request))
    return {"rows": selectors.objection_stats(now=now())}


@objections_router.get(
    "",
    response={200: ObjectionPageOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_list",
    summary="异议列表（本单位待核实的，或信用办全部）",
)
def objections_list(
    request: HttpRequest,
    state: str | None = None,
    overdue: bool = False,
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
):
    actor = request_actor(request)
    require_government(actor)
    unit = None if actor.has_role(*CREDIT_OFFICE) else actor.unit_code
    rows = after_cursor(
        selectors.objection_list(unit_code=unit, state=state, overdue=overdue, now=now()), cursor
    )
    shape = lambda o: objection_out(o, actor, own=False)  # noqa: E731
    return keyset_page(request, rows, limit=limit, cursor_of=cursor_of, shape=shape)


@objections_router.get(
    "/{objection_id}",
    response={200: ObjectionOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_get",
    summary="一件异议（政府部门或信用主体本人）",
)
def objections_get(request: HttpRequest, objection_id: int):
    actor = request_actor(request)
    o = selectors.objection_get(objection_id=objection_id)
    return objection_out(
        o, actor, own=visible(actor, o.subject_id, "objection", objection_id, case_unit(o, "objection"))
    )


@objections_router.get(
    "/{objection_id}/evidence/{file_id}",
    response=ERRORS,
    openapi_extra={"responses": FILE_RESPONSE},
    auth=TokenAuth(),
    operation_id="objections_evidence",
    summary="下载异议的证明材料或授权委托书（读取记入审计）",
)
def objections_evidence(request: HttpRequest, objection_id: int, file_id: int):
    return case_file(
        request_actor(request), selectors.objection_get(objection_id=objection_id), "objection", file_id
    )


def _objection_answer(request: HttpRequest, objection_id: int) -> dict:
    return objection_out(
        selectors.objection_get(objection_id=objection_id), request_actor(request), own=False
    )


@objections_router.post(
    "/{objection_id}/accept",
    response={200: ObjectionOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_accept",
    summary="受理异议并转提供单位核实（信用办）",
)
def objections_accept(request: HttpRequest, objection_id: int, body: ReasonIn):
    services.objection_accept(
        actor=request_actor(request), objection_id=objection_id, reason=body.reason, now=now()
    )
    return _objection_answer(request, objection_id)


@objections_router.post(
    "/{objection_id}/refuse",
    response={200: ObjectionOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_refuse",
    summary="不予受理（须说明理由，即书面答复）",
)
def objections_refuse(request: HttpRequest, objection_id: int, body: ReasonIn):
    services.objection_refuse(
        actor=request_actor(request), objection_id=objection_id, reason=body.reason, now=now()
    )
    return _objection_answer(request, objection_id)


@objections_router.post(
    "/{objection_id}/verification",
    response={200: ObjectionOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_verify",
    summary="提供单位登记核实结果：已更正、维持或无法核实",
)
def objections_verify(request: HttpRequest, objection_id: int, body: VerifyIn):
    services.objection_verify(
        actor=request_actor(request),
        objection_id=objection_id,
        outcome=body.outcome,
        verification=body.verification,
        now=now(),
    )
    return _objection_answer(request, objection_id)


@objections_router.post(
    "/{objection_id}/reply",
    response={200: ObjectionOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="objections_reply",
    summary="书面答复申请人（信用办）",
)
def objections_reply(request: HttpRequest, objection_id: int, body: ReplyIn):
    services.objection_reply(
        actor=request_actor(request), objection_id=objection_id, reply=body.reply, now=now()
    )
    return _objection_answer(request, objection_id)
