"""The plan endpoints (/api/v1/plan): the plan, its tasks and each unit's tasks (plan task 55 督导考核), and
the units' progress reports with the credit office's review (ADR 0038).

The plan is public reference data: no token needed. Progress reports need a token: a unit's officers file and
read their own unit's, the credit office reads all and reviews. Handlers translate; services decide.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
from xinyong.accounts.roles import CREDIT_OFFICE, UNIT_OFFICERS
from xinyong.accounts.selectors import unit_get
from xinyong.core.actor import Actor
from xinyong.core.api import MAX_PAGE_SIZE, Problem
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.evidence import uploads_read
from xinyong.core.pagination import cursor_int, keyset_page, sequence_page
from xinyong.core.timeutil import now
from xinyong.oversight import selectors, services
from xinyong.oversight.models import Plan, PlanProgressReport, PlanSection, PlanTask, Progress, ReportState
from xinyong.oversight.schemas import (
    PlanOut,
    PlanReportFileIn,
    PlanReportListOut,
    PlanReportOut,
    PlanReportOverdueOut,
    PlanReportReviewIn,
    PlanTaskListOut,
    PlanTaskOut,
    UnitTaskListOut,
)

router = Router(tags=["plan"])
_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
_PROGRESS = dict(Progress.choices)
_STATES = dict(ReportState.choices)


@router.get("", response={200: PlanOut, 404: Problem}, operation_id="plan_get", summary="规划概况与载入推断")
def plan_get(request: HttpRequest) -> dict:
    """The loaded plan: source file, SHA-256, parts with task counts and the loader's notes."""
    return _plan_out(selectors.plan_get())


@router.get(
    "/tasks",
    response={200: PlanTaskListOut, 404: Problem},
    operation_id="plan_tasks_list",
    summary="规划任务列表",
)
def plan_tasks_list(
    request: HttpRequest,
    section: int | None = Query(None, description="部分序号 1–9", examples=[2]),
    unit: str | None = Query(
        None, description="单位代码、名称或别名；含经单位组承担的任务", examples=["市工商局"]
    ),
    limit: int = Query(100, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
) -> dict:
    """Tasks in number order, by part and by unit (named directly or through 各区政府 / 各有关部门)."""
    tasks = selectors.plan_task_list(section=section, unit=unit_get(name_or_code=unit) if unit else None)
    rows = tasks.filter(number__gt=_cursor_after(cursor))
    cursor_of = lambda task: {"after": task.number}  # noqa: E731
    return keyset_page(request, rows, limit=limit, cursor_of=cursor_of, shape=_task_out, count=tasks.count())


@router.get(
    "/tasks/{number}",
    response={200: PlanTaskOut, 404: Problem},
    operation_id="plan_task_get",
    summary="规划任务详情",
)
def plan_task_get(request: HttpRequest, number: int) -> dict:
    """One task by number; 404 ``plan.task_not_found``."""
    return _task_out(selectors.plan_task_get(number=number))


@router.get(
    "/units/{unit}/tasks",
    response={200: UnitTaskListOut, 404: Problem},
    operation_id="plan_unit_tasks_list",
    summary="某单位承担的规划任务",
)
def plan_unit_tasks_list(request: HttpRequest, unit: str) -> dict:
    """A unit's tasks (code, name or alias) with its involvement; 404 ``unit.not_found``."""
    found = unit_get(name_or_code=unit)
    tasks = selectors.plan_tasks_for_unit(unit=found)
    return {
        "unit": {"code": found.code, "name": found.name, "type": found.type},
        "count": len(tasks),
        "tasks": [_unit_task_out(item) for item in tasks],
    }


def _cursor_after(cursor: str | None) -> int:
    """The last task number of the previous page (0 for the first page)."""
    if not cursor:
        return 0
    return cursor_int(cursor, "after")


def _section_out(section: PlanSection) -> dict:
    return {
        "number": section.number,
        "numeral": section.numeral,
        "title": section.title,
        "inferred": section.inferred,
    }


def _task_out(task: PlanTask) -> dict:
    links = list(task.links.all())
    return {
        "number": task.number,
        "section": _section_out(task.section),
        "text": task.text,
        "units": [
            {"code": link.unit.code, "name": link.unit.name, "lead": link.lead} for link in links if link.unit
        ],
        "groups": [{"code": link.group.code, "name": link.group.name} for link in links if link.group],
        "open_ended": task.open_ended,
    }


def _unit_task_out(item: selectors.UnitTask) -> dict:
    via = {"code": item.via.code, "name": item.via.name} if item.via else None
    return {**_task_out(item.task), "involvement": item.involvement, "via_group": via}


def _plan_out(plan: Plan) -> dict:
    sections = list(plan.sections.all())
    return {
        "code": plan.code,
        "title": plan.title,
        "source_name": plan.source_name,
        "sha256": plan.sha256,
        "loaded_at": plan.loaded_at,
        "task_count": sum(section.task_count for section in sections),
        "sections": [{**_section_out(section), "task_count": section.task_count} for section in sections],
        "notes": plan.notes,
    }


# ── progress reports (ADR 0038) ──────────────────────────────────────────────────────────────────────────


@router.post(
    "/reports",
    auth=TokenAuth(),
    response={201: PlanReportOut, **_ERRORS, 413: Problem},
    operation_id="plan_reports_file",
    summary="填报规划任务进度（本单位；可附证明材料，multipart/form-data）",
)
def plan_reports_file(
    request: HttpRequest,
    body: Form[PlanReportFileIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja: optional files
):
    """Create or edit the caller's unit's report on a task for a period; ``submit`` also submits it (a
    returned report is resubmitted). 400 ``plan_report.not_owed``, ``evidence.invalid``; 409 when the report
    is under review or accepted."""
    report = services.plan_report_save(
        actor=request_actor(request), task_number=body.task, period=body.period, progress=body.progress,
        narrative=body.narrative, evidence=uploads_read(files), now=now(), submit=body.submit,
    )  # fmt: skip
    return Status(201, _report_out(selectors.plan_report_get(report_id=report.pk)))


@router.get(
    "/reports",
    auth=TokenAuth(),
    response={200: PlanReportListOut, **_ERRORS},
    operation_id="plan_reports_list",
    summary="规划任务进度报告列表（本单位；市信用办可看全部）",
)
def plan_reports_list(
    request: HttpRequest,
    state: str | None = Query(None, description="draft、submitted、returned、accepted；默认不含草稿"),
    period: str | None = Query(None, description="报送期代码", examples=["2026Q3"]),
    unit: str | None = Query(None, description="单位代码或名称（市信用办）", examples=["bj-caizhengju"]),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
) -> dict:
    """Reports by state, period and unit, newest period first. A unit's officers see their own unit's."""
    target = _unit_scope(request_actor(request), unit)
    reports = list(selectors.plan_report_list(state=state, period=period, unit=target))
    return sequence_page(request, reports, limit=limit, cursor=cursor, shape=_report_out, count=len(reports))


@router.get(
    "/reports/overdue",
    auth=TokenAuth(),
    response={200: PlanReportOverdueOut, **_ERRORS},
    operation_id="plan_reports_overdue",
    summary="逾期未报的规划任务进度报告（本单位；市信用办可看全部）",
)
def plan_reports_overdue(
    request: HttpRequest,
    unit: str | None = Query(None, description="单位代码或名称（市信用办）", examples=["bj-caizhengju"]),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
) -> dict:
    """Reports past their deadline with nothing submitted (a draft counts as not submitted)."""
    target = _unit_scope(request_actor(request), unit)
    rows = selectors.plan_reports_overdue(now=now(), unit=target)
    return sequence_page(request, rows, limit=limit, cursor=cursor, shape=_overdue_out, count=len(rows))


@router.get(
    "/reports/{int:report_id}",
    auth=TokenAuth(),
    response={200: PlanReportOut, **_ERRORS},
    operation_id="plan_report_get",
    summary="规划任务进度报告详情（含证明材料说明和审核记录）",
)
def plan_report_get(request: HttpRequest, report_id: int) -> dict:
    """One report; another unit's report is 404 ``plan_report.not_found``, as one that does not exist."""
    actor = request_actor(request)
    report = selectors.plan_report_get(report_id=report_id)
    if not actor.has_role(*CREDIT_OFFICE) and actor.unit_code != report.unit.code:
        raise NotFound("plan_report.not_found", f"进度报告 {report_id} 不存在")
    return _report_out(report)


@router.post(
    "/reports/{int:report_id}/review",
    auth=TokenAuth(),
    response={200: PlanReportOut, **_ERRORS},
    operation_id="plan_report_review",
    summary="审核规划任务进度报告：采纳或退回（市信用办；不能审核本人填报的报告）",
)
def plan_report_review(request: HttpRequest, report_id: int, body: PlanReportReviewIn) -> dict:
    """Accept, or return with a reason (400 ``plan_report.reason_required``); 409 unless submitted."""
    actor = request_actor(request)
    if body.decision == "accept":
        services.plan_report_accept(actor=actor, report_id=report_id, now=now())
    else:
        services.plan_report_return(actor=actor, report_id=report_id, reason=body.reason, now=now())
    return _report_out(selectors.plan_report_get(report_id=report_id))


def _unit_scope(actor: Actor, unit: str | None):
    """The unit a list is about: the credit office names any (or none: all); an officer only its own."""
    if actor.has_role(*CREDIT_OFFICE):
        return unit_get(name_or_code=unit) if unit else None
    own = services.reporting_unit(actor) if actor.has_role(*UNIT_OFFICERS) else None
    if own is None or (unit and unit_get(name_or_code=unit).pk != own.pk):
        raise PermissionDenied("plan_report.own_unit_only", "只能查看本单位的进度报告")
    return own


def _unit_ref(unit) -> dict:
    return {"code": unit.code, "name": unit.name, "type": unit.type}


def _report_out(report: PlanProgressReport) -> dict:
    return {
        "id": report.pk, "task": report.task.number, "unit": _unit_ref(report.unit), "period": report.period,
        "due_at": report.due_at, "progress": report.progress, "progress_label": _PROGRESS[report.progress],
        "narrative": report.narrative, "state": report.state, "state_label": _STATES[report.state],
        "first_submitted_at": report.first_submitted_at, "submitted_at": report.submitted_at,
        "late_working_days": report.late_working_days, "reviewed_at": report.reviewed_at,
        "return_reason": report.return_reason,
        "evidence": [
            {"id": e.pk, "name": e.name, "content_type": e.content_type, "size": e.size, "sha256": e.sha256}
            for e in report.evidence.all()
        ],
        "history": [
            {"action": t.action, "from_state": t.from_state, "to_state": t.to_state, "actor": t.actor,
             "reason": t.reason, "at": t.at}
            for t in report.transitions.all()
        ],
    }  # fmt: skip


def _overdue_out(obligation: selectors.Obligation) -> dict:
    return {
        "task": obligation.task.number, "unit": _unit_ref(obligation.unit), "period": obligation.period.code,
        "due_at": obligation.period.due_at, "state": obligation.report.state if obligation.report else None,
    }  # fmt: skip
