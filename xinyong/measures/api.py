"""/api/v1/checks (应查必查 and 执行反馈), /api/v1/memoranda and /api/v1/matters (联合奖惩措施清单)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
from xinyong.accounts.roles import CREDIT_OFFICE, UNIT_OFFICERS
from xinyong.accounts.selectors import unit_get
from xinyong.core.api import Problem, text_matching
from xinyong.core.errors import PermissionDenied
from xinyong.core.pagination import MAX_PAGE_SIZE, sequence_page
from xinyong.core.timeutil import now
from xinyong.measures import selectors, services
from xinyong.measures.models import MeasureKind, Strength
from xinyong.measures.schemas import (
    CheckIn,
    CheckOut,
    FeedbackIn,
    FeedbackOut,
    MatterListOut,
    MemorandumListOut,
    OverdueOut,
    StatisticsOut,
)

router = Router(tags=["measures"])

_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
_KIND_LABELS = dict(MeasureKind.choices)
_STRENGTH_LABELS = dict(Strength.choices)


@router.post(
    "/checks",
    auth=TokenAuth(),
    response={201: CheckOut, **_ERRORS, 413: Problem},
    operation_id="checks_create",
    summary="联合奖惩核查（应查必查）",
)
def checks_create(request: HttpRequest, payload: CheckIn):
    """A unit's case or data officer checks 1–1,000 subjects for a matter and case: per subject its published
    list entries, the measures binding this unit for this matter (with legal basis), and a summary of its
    published negative records. Stored with a `check_id`; feedback is due by `feedback_due`."""
    at = now()
    check = services.check_run(
        actor=request_actor(request),
        matter_code=payload.matter,
        case_number=payload.case_number,
        identifiers=payload.subjects,
        now=at,
        unit=request.auth.unit if request.auth.unit_id else None,  # read with the token just now
    )
    return Status(201, selectors.check_view(check=check, now=at))


@router.get(
    "/checks/overdue",
    auth=TokenAuth(),
    response={200: OverdueOut, **_ERRORS},
    operation_id="checks_overdue",
    summary="超期未反馈的核查",
)
def checks_overdue(
    request: HttpRequest,
    unit: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
):
    """Checks of the caller's unit (the credit office may name any `unit`) whose feedback is overdue."""
    target = unit_get(name_or_code=_unit_scope(request, unit))
    rows = selectors.checks_overdue(unit=target, now=now())
    extra = {"unit": {"code": target.code, "name": target.name}, "count": len(rows)}
    return sequence_page(request, rows, limit=limit, cursor=cursor, shape=lambda row: row, **extra)


@router.get(
    "/checks/statistics",
    auth=TokenAuth(),
    response={200: StatisticsOut, **_ERRORS},
    operation_id="checks_statistics",
    summary="联合奖惩统计（奖惩到位率）",
)
def checks_statistics(
    request: HttpRequest,
    unit: str | None = None,
    matter: str | None = None,
    measure: str | None = None,
    month: text_matching(r"^\d{4}-(1[0-2]|0[1-9]|[1-9])$") | None = None,  # as strptime('%Y-%m') reads it
):
    """Checks made, measures applicable, applied, not applicable, exempted, overdue and the rate, per unit,
    matter and measure. A unit's officers see their own unit; the credit office sees every unit."""
    scope = _unit_scope(request, unit, allow_all=True)
    return selectors.check_statistics(now=now(), unit=scope, matter=matter, measure=measure, month=month)


@router.get(
    "/checks/{int:check_id}",
    auth=TokenAuth(),
    response={200: CheckOut, **_ERRORS},
    operation_id="checks_get",
    summary="核查结果及反馈情况",
)
def checks_get(request: HttpRequest, check_id: int):
    """The answer as given at check time, with the feedback filed since (its unit or the credit office)."""
    check = selectors.check_get(actor=request_actor(request), check_id=check_id)
    return selectors.check_view(check=check, now=now())


@router.post(
    "/checks/{int:check_id}/feedback",
    auth=TokenAuth(),
    response={201: FeedbackOut, **_ERRORS, 409: Problem, 413: Problem},
    operation_id="checks_feedback_create",
    summary="提交执行反馈",
)
def checks_feedback_create(request: HttpRequest, check_id: int, payload: FeedbackIn):
    """Per applicable measure: applied, not applicable (reason) or exempted (reason), with the date. Only the
    checking unit; one feedback per measure per subject; all items or none."""
    at = now()
    created = services.feedback_file(
        actor=request_actor(request),
        check_id=check_id,
        items=[item.dict() for item in payload.items],
        now=at,
    )
    check = selectors.check_get(actor=request_actor(request), check_id=check_id)
    view = selectors.check_view(check=check, now=at)
    codes = {m["measure_id"]: m["code"] for r in view["results"] for m in r["measures"]}
    return Status(
        201,
        {
            "check_id": check_id,
            "filed": [
                {
                    "feedback_id": f.pk,
                    "result_id": f.result_id,
                    "measure_code": codes[f.measure_id],
                    "outcome": f.outcome,
                    "reason": f.reason,
                    "applied_on": f.applied_on,
                    "filed_at": f.filed_at,
                }
                for f in created
            ],  # fmt: skip
            "feedback_pending": view["feedback_pending"],
            "late": bool(check.feedback_due and at > check.feedback_due),
        },
    )


def _unit_scope(request: HttpRequest, unit: str | None, *, allow_all: bool = False) -> str | None:
    """The unit a listing covers: the caller's own; the credit office may name any (or, if allowed, none)."""
    actor = request_actor(request)
    if actor.has_role(*CREDIT_OFFICE):
        return unit_get(name_or_code=unit).code if unit else (None if allow_all else actor.unit_code)
    if not actor.has_role(*UNIT_OFFICERS) or not actor.unit_code:
        raise PermissionDenied("auth.role_required", "需要单位经办人员或信用办角色")
    if unit and unit_get(name_or_code=unit).code != actor.unit_code:
        raise PermissionDenied("checks.other_unit", "只能查看本单位的核查")
    return actor.unit_code


# ── memoranda and matters (public reference) ─────────────────────────────────────────────────────────────


@router.get(
    "/memoranda", response=MemorandumListOut, operation_id="memoranda_list", summary="合作备忘录与措施清单"
)
def memoranda_list(request: HttpRequest):
    """The memoranda in force with their list types and measures (legal basis, implementing units,
    matters)."""
    memoranda = list(selectors.memoranda_list())
    return {"count": len(memoranda), "memoranda": [_memorandum_out(m) for m in memoranda]}


@router.get("/matters", response=MatterListOut, operation_id="matters_list", summary="行政事项")
def matters_list(request: HttpRequest):
    """The administrative matters measures bind (政府采购, 招标投标, …); a check takes the code or name."""
    matters = [{"code": m.code, "name": m.name} for m in selectors.matter_list()]
    return {"count": len(matters), "matters": matters}


def _memorandum_out(m) -> dict:
    return {
        "code": m.code,
        "title": m.title,
        "document_no": m.document_no,
        "signed_on": m.signed_on,
        "feedback_working_days": m.feedback_working_days,
        "active": m.active,
        "list_types": [
            {"code": t.code, "name": t.name} for t in sorted(m.list_types.all(), key=lambda t: t.code)
        ],
        "signing_units": [
            {"code": u.code, "name": u.name} for u in sorted(m.signing_units.all(), key=lambda u: u.code)
        ],
        "measures": [
            {
                "code": x.code,
                "kind": x.kind,
                "kind_label": _KIND_LABELS[x.kind],
                "strength": x.strength,
                "strength_label": _STRENGTH_LABELS[x.strength],
                "text": x.text,
                "legal_basis": x.legal_basis,
                "implementing_all": x.implementing_all,
                "implementing_units": [
                    {"code": u.code, "name": u.name}
                    for u in sorted(x.implementing_units.all(), key=lambda u: u.code)
                ],
                "matters": [
                    {"code": t.code, "name": t.name} for t in sorted(x.matters.all(), key=lambda t: t.code)
                ],
            }
            for x in m.measures.all()
        ],
    }
