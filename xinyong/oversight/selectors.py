"""Reads of the loaded plan: tasks, and which tasks fall to a unit (plan task 55 督导考核).

A unit answers for a task when the task names it (``lead`` if it is listed first, else ``direct``) or names
a group it belongs to: ``各区政府`` (fixed members, the 16 districts) or ``各有关部门`` (open membership:
every unit whose type is in the group's ``member_types``). The involvement is then the group's code.

Progress reports (ADR 0038): a report is owed per period by every active unit a task names, and by every
active member of a fixed group it names (各区政府: each district reports); an open group (各有关部门) owes
none of its own — the task's named units report for it. :func:`plan_obligations` pairs each owed report with
the report filed, if any; overdue is past the deadline with nothing submitted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from xinyong.accounts.models import Unit, UnitGroup
from xinyong.accounts.selectors import unit_group_list, unit_list_all
from xinyong.core.errors import NotFound
from xinyong.core.timeutil import BEIJING, business_date
from xinyong.oversight.models import (
    PLAN_CODE,
    Plan,
    PlanProgressReport,
    PlanSection,
    PlanTask,
    PlanTaskUnit,
    ReportState,
)
from xinyong.oversight.periods import Period, periods_started

__all__ = [
    "INVOLVEMENT_DIRECT",
    "Obligation",
    "plan_obligations",
    "plan_report_get",
    "plan_report_list",
    "plan_report_owers",
    "plan_reports_overdue",
    "plan_reports_published",
    "progress_report_timeliness",
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


@dataclass(frozen=True)
class Obligation:
    """A report owed by ``unit`` on ``task`` for ``period``, with the report filed (None before any draft)."""

    task: PlanTask
    unit: Unit
    period: Period
    report: PlanProgressReport | None

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.first_submitted_at is not None

    def overdue(self, now: dt.datetime) -> bool:
        """Past the deadline and never submitted (逾期未报)."""
        return now > self.period.due_at and not self.submitted

    def on_time(self) -> bool:
        report = self.report
        return (
            report is not None
            and report.first_submitted_at is not None
            and (report.first_submitted_at <= self.period.due_at)
        )


def plan_report_owers(*, plan_code: str = PLAN_CODE) -> dict[int, list[Unit]]:
    """Task id → the units that owe its reports, in plan order: named active units, then the active members
    of each fixed group named (各区政府); open groups (各有关部门) owe none (module docstring)."""
    owers: dict[int, dict[int, Unit]] = defaultdict(dict)
    groups = {group.pk: group for group in unit_group_list()}
    links = PlanTaskUnit.objects.filter(task__plan__code=plan_code).select_related("unit")
    for link in links.order_by("task", "position"):
        candidates = [link.unit] if link.unit is not None else []
        if link.group_id is not None and not groups[link.group_id].open_membership:
            candidates = sorted(groups[link.group_id].members.all(), key=lambda u: u.code)
        for unit in candidates:
            if unit.active:
                owers[link.task_id].setdefault(unit.pk, unit)
    return {task_id: list(units.values()) for task_id, units in owers.items()}


def plan_obligations(
    *, on: dt.date, unit: Unit | None = None, period: str | None = None, plan_code: str = PLAN_CODE
) -> list[Obligation]:
    """Every report owed for the periods begun by ``on`` (newest period first, then task number), each with
    its report; ``unit`` and ``period`` (code) narrow the list."""
    periods = [p for p in periods_started(on=on) if period is None or p.code == period]
    owers = plan_report_owers(plan_code=plan_code)
    reports = PlanProgressReport.objects.filter(
        task__plan__code=plan_code, period__in=[p.code for p in periods]
    )
    if unit is not None:
        reports = reports.filter(unit=unit)
    filed = {(r.task_id, r.unit_id, r.period): r for r in reports}
    tasks = PlanTask.objects.filter(plan__code=plan_code).order_by("number")
    return [
        Obligation(task, owing, p, filed.get((task.pk, owing.pk, p.code)))
        for p in periods
        for task in tasks
        for owing in owers.get(task.pk, [])
        if unit is None or owing.pk == unit.pk
    ]


def plan_reports_overdue(*, now: dt.datetime, unit: Unit | None = None) -> list[Obligation]:
    """Reports past their deadline and not submitted (逾期未报), for the console's flags and counts."""
    return [o for o in plan_obligations(on=business_date(now), unit=unit) if o.overdue(now)]


def _obligations_due_in(month: str | dt.date) -> list[Obligation]:
    """The reports whose deadline falls in ``month`` (``"2026-10"`` or any date in it, Beijing dates)."""
    first = dt.date.fromisoformat(f"{month}-01") if isinstance(month, str) else month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return [
        o
        for o in plan_obligations(on=last)
        if o.period.due_at.astimezone(BEIJING).date().replace(day=1) == first
    ]


def progress_report_timeliness(*, month: str | dt.date) -> dict[int, tuple[int, int]]:
    """Unit id → (reports due with their deadline in ``month``, of them first submitted by the deadline).

    ``month`` is ``"2026-10"`` or any date in the month (Beijing dates). A unit with nothing due that month
    is absent. Read by the metrics layer (evaluation indicator "plan reports on time", issue 16).
    """
    counts: dict[int, tuple[int, int]] = {}
    for obligation in _obligations_due_in(month):
        due, on_time = counts.get(obligation.unit.pk, (0, 0))
        counts[obligation.unit.pk] = (due + 1, on_time + int(obligation.on_time()))
    return counts


def progress_reports_due_of_month(
    *, month: str | dt.date, unit_id: int, limit: int
) -> list[tuple[int | None, str, bool]]:
    """The reports behind one unit's `progress_report_timeliness` figure: (report id or None when nothing was
    filed, label, first submitted by the deadline), in task order, at most ``limit``."""
    rows = []
    for o in [o for o in _obligations_due_in(month) if o.unit.pk == unit_id][:limit]:
        label = f"任务{o.task.number} {o.period.code} 进度报告" + ("" if o.submitted else "（未报送）")
        rows.append((o.report.pk if o.report is not None else None, label, o.on_time()))
    return rows


def plan_report_list(
    *, state: str | None = None, period: str | None = None, unit: Unit | None = None
) -> QuerySet[PlanProgressReport]:
    """Filed reports (drafts included only when asked by ``state``), newest period first."""
    reports = PlanProgressReport.objects.select_related("task", "unit")
    reports = reports.filter(state=state) if state else reports.exclude(state=ReportState.DRAFT)
    if period:
        reports = reports.filter(period=period)
    if unit is not None:
        reports = reports.filter(unit=unit)
    return reports.order_by("-period", "task__number", "unit__code")


def plan_report_get(*, report_id: int) -> PlanProgressReport:
    """One report with its task, unit, evidence and history; ``plan_report.not_found`` otherwise."""
    report = (
        PlanProgressReport.objects.select_related("task", "unit")
        .prefetch_related("evidence", "transitions")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound("plan_report.not_found", f"进度报告 {report_id} 不存在")
    return report


def plan_reports_published(*, plan_code: str = PLAN_CODE) -> dict[int, list[PlanProgressReport]]:
    """Task id → the latest accepted report of each unit (unit order as filed), for the public 规划进度."""
    accepted = (
        PlanProgressReport.objects.filter(task__plan__code=plan_code, state=ReportState.ACCEPTED)
        .select_related("unit")
        .order_by("task", "unit__code", "-period")
    )
    latest: dict[tuple[int, int], PlanProgressReport] = {}
    for report in accepted:
        latest.setdefault((report.task_id, report.unit_id), report)
    published: dict[int, list[PlanProgressReport]] = defaultdict(list)
    for (task_id, _unit), report in latest.items():
        published[task_id].append(report)
    return dict(published)
