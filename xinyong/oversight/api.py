"""The plan endpoints (/api/v1/plan): the plan, its tasks and each unit's tasks (plan task 55 督导考核).

Public reference data: no token needed. Handlers translate; the selectors decide.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from xinyong.accounts.selectors import unit_get
from xinyong.core.api import MAX_PAGE_SIZE, Problem
from xinyong.core.pagination import cursor_int, keyset_page
from xinyong.oversight import selectors
from xinyong.oversight.models import Plan, PlanSection, PlanTask
from xinyong.oversight.schemas import PlanOut, PlanTaskListOut, PlanTaskOut, UnitTaskListOut

router = Router(tags=["plan"])


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
