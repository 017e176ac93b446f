"""Reads of the loaded plan: tasks, and which tasks fall to a unit (plan task 55 督导考核).

A unit answers for a task when the task names it (``lead`` if it is listed first, else ``direct``) or names
a group it belongs to: ``各区政府`` (fixed members, the 16 districts) or ``各有关部门`` (open membership:
every unit whose type is in the group's ``member_types``). The involvement is then the group's code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from xinyong.accounts.models import Unit, UnitGroup
from xinyong.accounts.selectors import unit_group_list, unit_list_all
from xinyong.core.errors import NotFound
from xinyong.oversight.models import PLAN_CODE, Plan, PlanSection, PlanTask, PlanTaskUnit

__all__ = [
    "INVOLVEMENT_DIRECT",
    "INVOLVEMENT_LEAD",
    "PLAN_CODE",
    "UnitTask",
    "UnitTaskNumbers",
    "plan_get",
    "plan_task_get",
    "plan_task_list",
    "plan_tasks_for_unit",
    "plan_unit_overview",
    "unit_groups_of",
]

INVOLVEMENT_LEAD = "lead"
INVOLVEMENT_DIRECT = "direct"


@dataclass(frozen=True)
class UnitTask:
    """A task of one unit and how the unit is involved: ``lead``, ``direct`` or a group code (``via``)."""

    task: PlanTask
    involvement: str
    via: UnitGroup | None = None


@dataclass(frozen=True)
class UnitTaskNumbers:
    """One unit and the numbers of every task it answers for (directly or through a group)."""

    unit: Unit
    numbers: list[int]


def plan_get(*, code: str = PLAN_CODE) -> Plan:
    """The loaded plan, its sections with ``task_count``; ``plan.not_found`` before ``plan_load`` has run."""
    sections = PlanSection.objects.annotate(task_count=Count("tasks")).order_by("number")
    plan = Plan.objects.prefetch_related(Prefetch("sections", queryset=sections)).filter(code=code).first()
    if plan is None:
        raise NotFound("plan.not_found", f"规划尚未载入：{code}（请先运行 xinyong up）")
    return plan


def plan_task_list(
    *, section: int | None = None, unit: Unit | None = None, plan_code: str = PLAN_CODE
) -> QuerySet[PlanTask]:
    """Tasks in number order with section and links; ``unit`` keeps tasks naming it or one of its groups."""
    tasks = _tasks(plan_code)
    if section is not None:
        tasks = tasks.filter(section__number=section)
    if unit is not None:
        groups = [group.pk for group in unit_groups_of(unit=unit)]
        matching = PlanTaskUnit.objects.filter(Q(unit=unit) | Q(group__in=groups)).values("task_id")
        tasks = tasks.filter(pk__in=matching)
    return tasks


def plan_task_get(*, number: int, plan_code: str = PLAN_CODE) -> PlanTask:
    """One task by its number; ``plan.task_not_found`` when the plan has no such task."""
    task = _tasks(plan_code).filter(number=number).first()
    if task is None:
        raise NotFound("plan.task_not_found", f"规划中没有任务{number}", number=number)
    return task


def plan_tasks_for_unit(*, unit: Unit, plan_code: str = PLAN_CODE) -> list[UnitTask]:
    """Every task of ``unit``, saying how it is involved (lead > direct > first group named)."""
    groups = {group.pk: group for group in unit_groups_of(unit=unit)}
    return [_involvement(task, unit, groups) for task in plan_task_list(unit=unit, plan_code=plan_code)]


def plan_unit_overview(*, plan_code: str = PLAN_CODE) -> list[UnitTaskNumbers]:
    """Units with at least one task, most tasks first (then by code), with their task numbers."""
    direct: defaultdict[int, set[int]] = defaultdict(set)
    by_group: defaultdict[int, set[int]] = defaultdict(set)
    links = PlanTaskUnit.objects.filter(task__plan__code=plan_code)
    for unit_id, group_id, number in links.values_list("unit", "group", "task__number"):
        (direct[unit_id] if unit_id is not None else by_group[group_id]).add(number)
    groups = list(unit_group_list())
    overview = []
    for unit in unit_list_all():
        numbers = direct[unit.pk].union(*(by_group[group.pk] for group in _member_of(unit, groups)))
        if numbers:
            overview.append(UnitTaskNumbers(unit, sorted(numbers)))
    return sorted(overview, key=lambda row: (-len(row.numbers), row.unit.code))


def unit_groups_of(*, unit: Unit) -> list[UnitGroup]:
    """The groups ``unit`` belongs to: fixed groups listing it, open groups admitting its type."""
    return _member_of(unit, unit_group_list())


def _member_of(unit: Unit, groups: Iterable[UnitGroup]) -> list[UnitGroup]:
    """The ``groups`` (members prefetched) that ``unit`` belongs to; member_types is a short JSON list."""
    return [
        group
        for group in groups
        if (unit.type in group.member_types if group.open_membership else unit in group.members.all())
    ]


def _tasks(plan_code: str) -> QuerySet[PlanTask]:
    """Tasks of one plan with their section and ordered links (unit, group) in two prefetch queries."""
    links = PlanTaskUnit.objects.select_related("unit", "group").order_by("position")
    return (
        PlanTask.objects.filter(plan__code=plan_code)
        .select_related("section")
        .prefetch_related(Prefetch("links", queryset=links))
        .order_by("number")
    )


def _involvement(task: PlanTask, unit: Unit, groups: dict[int, UnitGroup]) -> UnitTask:
    """How ``unit`` takes part in ``task``: named (lead or direct) or through the first matching group."""
    for link in task.links.all():
        if link.unit_id == unit.pk:
            return UnitTask(task, INVOLVEMENT_LEAD if link.lead else INVOLVEMENT_DIRECT)
    via = next(groups[link.group_id] for link in task.links.all() if link.group_id in groups)
    return UnitTask(task, via.code, via)
