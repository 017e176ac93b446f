"""`xinyong plan`: who answers for which plan task (责任分工, plan task 55 督导考核).

``xinyong plan`` prints one row per unit (tasks named directly or through 各区政府 / 各有关部门),
``xinyong plan --unit 市工商局`` (name, alias or code) one unit's tasks with section and involvement,
``xinyong plan --notes`` what the loader had to infer from the plan text.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.accounts.models import Unit, UnitType
from xinyong.accounts.selectors import unit_get
from xinyong.core.errors import DomainError
from xinyong.oversight import selectors
from xinyong.oversight.models import Plan

TEXT_PREVIEW = 24
_INVOLVEMENT_LABELS = {selectors.INVOLVEMENT_LEAD: "牵头", selectors.INVOLVEMENT_DIRECT: "参与"}


class Command(BaseCommand):
    help = "规划任务分工：各单位的任务数与任务编号；--unit 查看某单位的任务；--notes 查看载入时的推断"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="单位名称、别名或代码，如 市工商局 或 bj-gongshangju")
        parser.add_argument("--notes", action="store_true", help="列出载入规划文本时的推断说明")

    def handle(self, *args: object, unit: str | None, notes: bool, **opts: object) -> None:
        try:
            plan = selectors.plan_get()
            if notes:
                self._notes(plan)
            if unit:
                self._unit(unit_get(name_or_code=unit))
            elif not notes:
                self._overview(plan)
        except DomainError as exc:
            hint = "（可运行 xinyong plan 查看各单位）" if exc.code == "unit.not_found" else ""
            raise CommandError(exc.message + hint) from exc

    def _overview(self, plan: Plan) -> None:
        """One row per unit with tasks: name, code, number of tasks, task numbers."""
        rows = selectors.plan_unit_overview(plan_code=plan.code)
        self._say(f"{plan.title}：{plan.tasks.count()} 项任务，{len(rows)} 个单位承担")
        cells = [[r.unit.name, r.unit.code, str(len(r.numbers)), number_ranges(r.numbers)] for r in rows]
        self._table(["单位", "代码", "任务数", "任务编号"], cells, right=(2,))

    def _unit(self, unit: Unit) -> None:
        """One unit's tasks: number, section, involvement and the start of the task text."""
        tasks = selectors.plan_tasks_for_unit(unit=unit)
        kind = UnitType(unit.type).label
        self._say(f"{unit.name}（{unit.code}，{kind}）：{len(tasks)} 项任务{_tally(tasks)}")
        if not tasks:
            self._say("规划中没有该单位的任务。")
            return
        rows = [_unit_task_row(item) for item in tasks]
        self._table(["任务", "部分", "参与方式", "内容"], rows, right=(0,))

    def _notes(self, plan: Plan) -> None:
        """The loader's inferences, numbered."""
        self._say(f"载入推断（{len(plan.notes)} 处）：")
        for i, note in enumerate(plan.notes, start=1):
            self._say(f"{i:>3}. {note}")

    def _table(self, header: list[str], rows: list[list[str]], right: Sequence[int] = ()) -> None:
        """Columns padded to display width (a Chinese character is two columns wide)."""
        widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = [_pad(cell, widths[i], right=i in right) for i, cell in enumerate(row)]
            self._say("  ".join(cells).rstrip())

    def _say(self, line: str) -> None:
        self.stdout.write(line)


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def number_ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5, 6]`` → ``1-3, 5, 6``: runs of three or more become ranges."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{run[0]}-{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run)) for run in runs]
    return ", ".join(parts)


def _pad(cell: str, width: int, *, right: bool) -> str:
    """Pad to ``width`` display columns, on the left for numbers."""
    fill = " " * (width - display_width(cell))
    return fill + cell if right else cell + fill


def _unit_task_row(item: selectors.UnitTask) -> list[str]:
    """Number, section, involvement label and a preview of the text."""
    task, section = item.task, item.task.section
    text = task.text if len(task.text) <= TEXT_PREVIEW else task.text[:TEXT_PREVIEW] + "…"
    return [str(task.number), f"{section.numeral}、{section.title}", _involvement_label(item), text]


def _involvement_label(item: selectors.UnitTask) -> str:
    """牵头 / 参与 / 经“各区政府”."""
    if item.via is not None:
        return f"经“{item.via.name}”"
    return _INVOLVEMENT_LABELS[item.involvement]


def _tally(tasks: list[selectors.UnitTask]) -> str:
    """``（牵头 1，参与 17，经单位组 3）``; empty when there are no tasks."""
    counts = Counter("group" if item.via else item.involvement for item in tasks)
    parts = [
        f"{label} {counts[key]}"
        for key, label in (("lead", "牵头"), ("direct", "参与"), ("group", "经单位组"))
        if counts[key]
    ]
    return f"（{'，'.join(parts)}）" if parts else ""
