"""Parser for the city plan text (本市2018-2020年社会信用体系建设重点任务及责任分工). Pure Python, no Django.

The text is a preamble, section headings (``一、加快推进政务诚信建设``), numbered tasks (``1.…``)
and, after each task, one ``责任单位:`` line. :func:`parse_plan` reads it line by line, checks its
invariants (tasks numbered 1..N without gaps, every task with at least one responsible unit) and raises
:class:`PlanFormatError` with the line number when they fail. Everything it has to infer is written to
``ParsedPlan.notes``.

Known quirks of the 2018–2020 plan, handled here:

* section 二 has no heading line: its title and first task come from :data:`KNOWN_MISSING_SECTIONS`;
* units are separated by ``、``, ``，`` or ``,``; the colon may be ``:`` or ``：``;
  task numbers are ``N.`` or ``N．``; blank lines are ignored;
* ``X等部门`` means "X and other departments": the unit is X;
* one unit is written both ``北京市通信管理局`` and ``市通信管理局``: the ``北京市X`` form
  becomes ``市X`` when the plan uses ``市X`` elsewhere.

Names starting with ``各`` (``各区政府``, ``各有关部门``) are groups, not units; the unit registry
(``xinyong.accounts.unitnames``) maps both units and groups to codes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "KNOWN_MISSING_SECTIONS",
    "ParsedPlan",
    "PlanFormatError",
    "PlanSection",
    "PlanTask",
    "SectionHint",
    "parse_plan",
]

_SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(\S.*)$")
_TASK_RE = re.compile(r"^(\d{1,3})\s*[.．](?!\d)\s*(.*)$")
_UNITS_RE = re.compile(r"^责任单位\s*[:：]\s*(.*)$")
_UNIT_SEPARATOR_RE = re.compile(r"[、，,；;]")
_WHITESPACE_RE = re.compile(r"\s+")
_OPEN_LIST_SUFFIXES = ("等有关部门", "等相关部门", "等部门", "等单位")
_GROUP_PREFIX = "各"
_CITY_PREFIX = "北京市"
_DIGITS = "一二三四五六七八九"


class PlanFormatError(ValueError):
    """The plan text breaks an invariant; ``line`` is the 1-based line number (``None``: whole text)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        """Keep the message and line apart, and show both."""
        self.message = message
        self.line = line
        super().__init__(f"第{line}行：{message}" if line is not None else message)


@dataclass(frozen=True)
class PlanSection:
    """A part of the plan (``一、加快推进政务诚信建设``); ``inferred`` when the text lacks its heading."""

    number: int
    numeral: str
    title: str
    inferred: bool


@dataclass(frozen=True)
class PlanTask:
    """One numbered task with its responsible units (责任单位) as written and as parsed.

    ``unit_names`` are single units in plan order (suffix ``等部门`` removed, ``北京市X`` merged
    into ``市X``); ``groups`` are names standing for several units (``各区政府``, ``各有关部门``).
    ``open_ended`` is true when a name carried ``等部门`` (or ``等单位`` …): the list names some of the
    units responsible, not all of them, and that applies to the whole list.
    """

    number: int
    section_number: int
    text: str
    units_raw: str
    unit_names: list[str]
    groups: list[str]
    open_ended: bool = False


@dataclass(frozen=True)
class ParsedPlan:
    """The whole plan: preamble, sections, tasks and the notes on what was inferred."""

    preamble: str
    sections: list[PlanSection]
    tasks: list[PlanTask]
    notes: list[str]


@dataclass(frozen=True)
class SectionHint:
    """Editorial knowledge for a section whose heading is missing: its title and its first task."""

    number: int
    title: str
    first_task: int


# The published 2018–2020 plan has nine parts; the heading of part 二 is missing from the text, and tasks
# 11–16 (enterprise, industry and market credit) are its tasks. A hint is used only when the gap is found.
KNOWN_MISSING_SECTIONS: tuple[SectionHint, ...] = (SectionHint(2, "加快推进商务诚信建设", 11),)


@dataclass
class _Heading:
    """A section heading as read, with the index of the first task after it."""

    number: int
    numeral: str
    title: str
    line: int
    start: int


@dataclass
class _Draft:
    """A task being read: its text lines and, once seen, its ``责任单位`` value."""

    number: int
    line: int
    text: list[str]
    units_raw: str = ""


@dataclass
class _Reader:
    """Line-by-line state machine: preamble, headings, tasks and their ``责任单位`` lines."""

    preamble: list[str] = field(default_factory=list)
    headings: list[_Heading] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)
    open_task: _Draft | None = None

    def feed(self, line_no: int, line: str) -> None:
        """Consume one stripped line."""
        if line and not (
            self._heading(line_no, line) or self._task(line_no, line) or self._units(line_no, line)
        ):
            self._other(line_no, line)

    def finish(self) -> None:
        """Check the last task and that there was at least one."""
        self._close_task()
        if not self.drafts:
            raise PlanFormatError("没有找到任何编号任务")

    def _close_task(self) -> None:
        """A task must have its ``责任单位`` line before the next task or heading."""
        if self.open_task is not None:
            raise PlanFormatError(f"任务{self.open_task.number}缺少“责任单位”行", self.open_task.line)

    def _heading(self, line_no: int, line: str) -> bool:
        """Section heading: numbers must increase."""
        match = _SECTION_RE.match(line)
        if match is None:
            return False
        self._close_task()
        number = _numeral_value(match[1], line_no)
        if self.headings and number <= self.headings[-1].number:
            raise PlanFormatError(f"部分编号“{match[1]}”没有递增", line_no)
        self.headings.append(_Heading(number, match[1], match[2].strip(), line_no, len(self.drafts)))
        return True

    def _task(self, line_no: int, line: str) -> bool:
        """Task line: numbers run 1, 2, 3 … without gaps or repeats."""
        match = _TASK_RE.match(line)
        if match is None:
            return False
        self._close_task()
        number, expected = int(match[1]), len(self.drafts) + 1
        if number != expected:
            raise PlanFormatError(f"任务编号应为{expected}，实为{number}", line_no)
        self.open_task = _Draft(number, line_no, [match[2].strip()] if match[2].strip() else [])
        self.drafts.append(self.open_task)
        return True

    def _units(self, line_no: int, line: str) -> bool:
        """``责任单位`` line: belongs to the open task, which must have text; must name something."""
        match = _UNITS_RE.match(line)
        if match is None:
            return False
        task = self.open_task
        if task is None:
            raise PlanFormatError("“责任单位”行前没有对应的任务（缺少任务编号？）", line_no)
        if not task.text:
            raise PlanFormatError(f"任务{task.number}没有内容", task.line)
        if not _split_units(match[1]):
            raise PlanFormatError(f"任务{task.number}的责任单位为空", line_no)
        task.units_raw, self.open_task = match[1].strip(), None
        return True

    def _other(self, line_no: int, line: str) -> None:
        """Any other line continues the preamble or the open task's text; elsewhere it is an error."""
        if self.open_task is not None:
            self.open_task.text.append(line)
        elif not self.drafts and not self.headings:
            self.preamble.append(line)
        else:
            raise PlanFormatError(
                "无法识别的行：不是部分标题、编号任务或“责任单位”行（缺少任务编号？）", line_no
            )


def parse_plan(text: str, *, section_hints: Sequence[SectionHint] = KNOWN_MISSING_SECTIONS) -> ParsedPlan:
    """Parse the plan text into sections and tasks, checking its invariants.

    ``section_hints`` fill numbering gaps in the section headings (a missing heading); a gap without a hint
    is a :class:`PlanFormatError`. Every inference is recorded in ``ParsedPlan.notes``.
    """
    reader = _Reader()
    for line_no, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        reader.feed(line_no, line.strip())
    reader.finish()
    notes: list[str] = []
    sections, starts = _build_sections(reader.headings, reader.drafts, section_hints, notes)
    section_of = _section_numbers(sections, starts, len(reader.drafts))
    plan_names = {name for draft in reader.drafts for name in _unit_names_as_written(draft.units_raw)}
    tasks = [_build_task(draft, section_of[i], plan_names, notes) for i, draft in enumerate(reader.drafts)]
    return ParsedPlan("\n".join(reader.preamble), sections, tasks, notes)


def _numeral_value(numeral: str, line_no: int) -> int:
    """Chinese numeral 一 … 九十九 → int."""
    tens, ten, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or (not ten and not tens) or not set(tens + ones) <= set(_DIGITS):
        raise PlanFormatError(f"无法识别的部分编号“{numeral}”", line_no)
    if not ten:
        return _DIGITS.index(tens) + 1
    return (_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_DIGITS.index(ones) + 1 if ones else 0)


def _numeral(number: int) -> str:
    """int 1 … 99 → Chinese numeral."""
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + (_DIGITS[ones - 1] if ones else "")


def _build_sections(
    headings: list[_Heading], drafts: list[_Draft], hints: Sequence[SectionHint], notes: list[str]
) -> tuple[list[PlanSection], list[int]]:
    """Sections 1..last heading, with gaps filled from hints; returns sections and their first task index."""
    found = {heading.number: heading for heading in headings}
    sections: list[PlanSection] = []
    starts: list[int] = []
    for number in range(1, (headings[-1].number if headings else 0) + 1):
        heading = found.get(number)
        if heading is not None:
            sections.append(PlanSection(number, heading.numeral, heading.title, False))
            starts.append(heading.start)
            continue
        next_line = min(h.line for h in headings if h.number > number)
        section, start = _inferred_section(number, hints, starts, next_line)
        sections.append(section)
        starts.append(start)
    _check_starts(sections, starts, headings, drafts)
    notes.extend(_section_notes(sections, starts, drafts))
    return sections, starts


def _inferred_section(
    number: int, hints: Sequence[SectionHint], starts: list[int], next_line: int
) -> tuple[PlanSection, int]:
    """A section whose heading is missing, from its hint; the hint must fall after the previous section."""
    numeral = _numeral(number)
    hint = next((hint for hint in hints if hint.number == number), None)
    if hint is None:
        raise PlanFormatError(f"缺少第{numeral}部分的标题，无法判断其任务范围", next_line)
    start = hint.first_task - 1
    if (starts and start <= starts[-1]) or (not starts and start != 0):
        raise PlanFormatError(f"推断的第{numeral}部分起始任务{hint.first_task}与前一部分冲突", next_line)
    return PlanSection(number, numeral, hint.title, True), start


def _check_starts(
    sections: list[PlanSection], starts: list[int], headings: list[_Heading], drafts: list[_Draft]
) -> None:
    """Every task lies in a section, and an inferred section ends before the next heading."""
    if not sections or starts[0] != 0:
        raise PlanFormatError("任务1不属于任何部分（缺少部分标题）", drafts[0].line)
    for i, section in enumerate(sections):
        end = starts[i + 1] if i + 1 < len(sections) else len(drafts)
        if section.inferred and starts[i] >= end:
            line = min(h.line for h in headings if h.number > section.number)
            raise PlanFormatError(f"推断的第{section.numeral}部分没有任务（起始任务超出范围）", line)


def _section_numbers(sections: list[PlanSection], starts: list[int], task_count: int) -> list[int]:
    """Section number of each task, by task index."""
    section_of = [0] * task_count
    for section, start in zip(sections, starts, strict=True):
        section_of[start:] = [section.number] * (task_count - start)
    return section_of


def _section_notes(sections: list[PlanSection], starts: list[int], drafts: list[_Draft]) -> list[str]:
    """Notes on inferred and empty sections."""
    notes = []
    for i, section in enumerate(sections):
        end = starts[i + 1] if i + 1 < len(sections) else len(drafts)
        label = f"“{section.numeral}、{section.title}”"
        if section.inferred:
            first, last = drafts[starts[i]].number, drafts[end - 1].number
            span = f"任务{first}" if first == last else f"任务{first}–{last}"
            notes.append(f"第{section.numeral}部分缺少标题，{span}归入{label}（推断）")
        elif starts[i] >= end:
            notes.append(f"第{section.numeral}部分{label}下没有任务")
    return notes


def _split_units(units_raw: str) -> list[str]:
    """Split a ``责任单位`` value on ``、``, ``，``, ``,`` (and ``；``); drop whitespace and empty items."""
    return [name for part in _UNIT_SEPARATOR_RE.split(units_raw) if (name := _WHITESPACE_RE.sub("", part))]


def _strip_suffix(name: str) -> str:
    """``市财政局等部门`` → ``市财政局``."""
    for suffix in _OPEN_LIST_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _unit_names_as_written(units_raw: str) -> list[str]:
    """Unit names of one task without suffixes, before any merging."""
    return [_strip_suffix(part) for part in _split_units(units_raw)]


def _build_task(draft: _Draft, section_number: int, plan_names: set[str], notes: list[str]) -> PlanTask:
    """Turn a draft into a task: split the units, separate groups from units and drop repeats."""
    if any(not _WHITESPACE_RE.sub("", part) for part in _UNIT_SEPARATOR_RE.split(draft.units_raw)):
        notes.append(f"任务{draft.number}：责任单位中有空项，已忽略")
    unit_names: list[str] = []
    groups: list[str] = []
    for part in _split_units(draft.units_raw):
        name = _clean_name(draft.number, part, plan_names, notes)
        target = groups if name.startswith(_GROUP_PREFIX) else unit_names
        if name in target:
            notes.append(f"任务{draft.number}：“{name}”重复出现，只计一次")
        else:
            target.append(name)
    open_ended = any(_strip_suffix(part) != part for part in _split_units(draft.units_raw))
    return PlanTask(
        draft.number, section_number, "".join(draft.text), draft.units_raw, unit_names, groups, open_ended
    )


def _clean_name(task_number: int, part: str, plan_names: set[str], notes: list[str]) -> str:
    """Strip ``等部门`` and merge ``北京市X`` into ``市X``, noting each change."""
    name = _strip_suffix(part)
    if name != part:
        notes.append(f"任务{task_number}：“{part}”按“{name}”处理")
    if name.startswith(_GROUP_PREFIX):
        return name
    return _merge_city_prefix(task_number, name, plan_names, notes)


def _merge_city_prefix(task_number: int, name: str, plan_names: set[str], notes: list[str]) -> str:
    """``北京市X`` → ``市X`` when the plan itself writes ``市X`` elsewhere (one unit, two names)."""
    short = "市" + name[len(_CITY_PREFIX) :]
    if not name.startswith(_CITY_PREFIX) or short not in plan_names:
        return name
    notes.append(f"任务{task_number}：“{name}”与计划其他处的“{short}”为同一单位，按“{short}”处理")
    return short
