"""/api/v1/repairs: read the conditions, apply (refused at once unless every condition holds), follow the
application by query code, and the credit office's check and the deciding unit's decision."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
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
    repair_out,
    require_government,
    visible,
)
from xinyong.remedies.schemas import (
    ProgressOut,
    RepairApplyIn,
    RepairCheckIn,
    RepairDecisionIn,
    RepairOut,
    RepairPageOut,
    RepairPreviewIn,
    RepairPreviewOut,
)

repairs_router = Router(tags=["repairs"])


@repairs_router.post(
    "/preview",
    response={200: RepairPreviewOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="repairs_preview",
    summary="逐项核验信用修复条件（不提交申请）",
)
def repairs_preview(request: HttpRequest, body: RepairPreviewIn):
    target, conditions = services.repair_preview(
        actor=request_actor(request),
        target_kind=body.target_kind,
        target_id=body.target_id,
        evidence_count=body.evidence_count,
        certificate_no=body.certificate_no,
        now=now(),
    )
    return {
        "target_kind": target.kind,
        "target_id": target.id,
        "deciding_unit": target.deciding_unit.code,
        "all_met": all(c.met for c in conditions),
        "conditions": [c.as_dict() for c in conditions],
    }


@repairs_router.post(
    "",
    response={201: RepairOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="repairs_apply",
    summary="申请信用修复（不符合条件的当即拒绝并逐项说明；修复免费）",
)
def repairs_apply(request: HttpRequest, body: Form[RepairApplyIn], files: File[list[UploadedFile]] = None):
    actor = request_actor(request)
    repair = services.repair_apply(
        actor=actor,
        target_kind=body.target_kind,
        target_id=body.target_id,
        statement=body.statement,
        applicant_name=body.applicant_name,
        evidence=uploads_read(files),
        certificate_no=body.certificate_no,
        now=now(),
    )
    found = selectors.repair_get(repair_id=repair.pk)
    own = subject_id_of(actor=actor) == found.subject_id
    return Status(201, repair_out(found, actor, own=own, show_code=True))


@repairs_router.get(
    "/progress",
    response={200: ProgressOut, **ERRORS},
    operation_id="repairs_progress",
    summary="按查询码查询信用修复进度（无需登录）",
)
def repairs_progress(request: HttpRequest, code: str):
    return selectors.repair_progress(code=code)


@repairs_router.get(
    "",
    response={200: RepairPageOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="repairs_list",
    summary="信用修复申请列表（本单位待决定的，或信用办全部）",
)
def repairs_list(
    request: HttpRequest,
    state: str | None = None,
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
):
    actor = request_actor(request)
    require_government(actor)
    unit = None if actor.has_role(*CREDIT_OFFICE) else actor.unit_code
    rows = after_cursor(selectors.repair_list(unit_code=unit, state=state), cursor)
    shape = lambda r: repair_out(r, actor, own=False)  # noqa: E731
    return keyset_page(request, rows, limit=limit, cursor_of=cursor_of, shape=shape)


@repairs_router.get(
    "/{repair_id}",
    response={200: RepairOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="repairs_get",
    summary="一件信用修复申请（政府部门或信用主体本人）",
)
def repairs_get(request: HttpRequest, repair_id: int):
    actor = request_actor(request)
    r = selectors.repair_get(repair_id=repair_id)
    return repair_out(r, actor, own=visible(actor, r.subject_id, "repair", repair_id, case_unit(r, "repair")))


@repairs_router.get(
    "/{repair_id}/evidence/{file_id}",
    response=ERRORS,
    openapi_extra={"responses": FILE_RESPONSE},
    auth=TokenAuth(),
    operation_id="repairs_evidence",
    summary="下载信用修复申请的证明材料（读取记入审计）",
)
def repairs_evidence(request: HttpRequest, repair_id: int, file_id: int):
    return case_file(request_actor(request), selectors.repair_get(repair_id=repair_id), "repair", file_id)


@repairs_router.post(
    "/{repair_id}/check",
    response={200: RepairOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="repairs_check",
    summary="初审（信用办）：通过则转认定单位决定，不通过即不予修复",
)
def repairs_check(request: HttpRequest, repair_id: int, body: RepairCheckIn):
    actor = request_actor(request)
    services.repair_check(actor=actor, repair_id=repair_id, passed=body.passed, reason=body.reason, now=now())
    return repair_out(selectors.repair_get(repair_id=repair_id), actor, own=False)


@repairs_router.post(
    "/{repair_id}/decision",
    response={200: RepairOut, **ERRORS},
    auth=TokenAuth(),
    operation_id="repairs_decide",
    summary="认定单位作出修复决定（初审人不能决定）",
)
def repairs_decide(request: HttpRequest, repair_id: int, body: RepairDecisionIn):
    actor = request_actor(request)
    services.repair_decide(
        actor=actor, repair_id=repair_id, approve=body.approve, reason=body.reason, now=now()
    )
    return repair_out(selectors.repair_get(repair_id=repair_id), actor, own=False)
