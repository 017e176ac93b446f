"""Writes of the oversight app: loading the city plan into the database (plan task 55 督导考核).

:func:`plan_load` reads the shipped plan text (``data/beijing-credit-plan-2018-2020.txt``), parses it with
:mod:`xinyong.oversight.planfile`, resolves every responsible unit (责任单位) against the unit registry in
the database and upserts sections, tasks and task–unit links in one transaction with one audit event.
It expects ``accounts.reference.units_load`` to have run first (``xinyong up`` does so).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xinyong.accounts.selectors import unit_and_group_names
from xinyong.accounts.unitnames import normalize_unit_name
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.reference import AuditNote, Changes, LoadResult, ReferenceSpec, reference_load
from xinyong.oversight import planfile
from xinyong.oversight.models import PLAN_CODE, Plan, PlanSection, PlanTask, PlanTaskUnit

__all__ = ["DEFAULT_PLAN_PATH", "PLAN_CODE", "PLAN_TITLE", "PlanLoadResult", "plan_load"]

PLAN_TITLE = "本市2018-2020年社会信用体系建设重点任务及责任分工"
DEFAULT_PLAN_PATH = Path(__file__).resolve().parents[1] / "data" / "beijing-credit-plan-2018-2020.txt"
_CITY_PREFIX = "北京市"


@dataclass(kw_only=True)
class PlanLoadResult(LoadResult):
    """What :func:`plan_load` found and did; ``changed`` is false when the same text was loaded before."""

    code: str
    sha256: str
    sections: int
    tasks: int
    unit_links: int
    group_links: int
    notes: int
    audit_payload: dict = field(default_factory=dict, repr=False, compare=False)  # when changed

    def summary(self) -> str:
        """Short Chinese line for ``xinyong up``: ``9 个部分，55 项任务，推断 12 处``."""
        text = f"{self.sections} 个部分，{self.tasks} 项任务，推断 {self.notes} 处"
        return text if self.changed else f"{text}（未变更）"


@dataclass(frozen=True)
class _PlanFile:
    """The plan text as read and parsed, with its file name and SHA-256."""

    source_name: str
    digest: str
    parsed: planfile.ParsedPlan


@dataclass(frozen=True)
class _Target:
    """A unit or a group a plan name resolves to."""

    unit_id: int | None
    group_id: int | None
    name: str


@dataclass(frozen=True)
class _Link:
    """One responsible unit or group of a task, ready to be written."""

    unit_id: int | None
    group_id: int | None
    position: int
    lead: bool


def plan_load(*, actor: Actor, now: dt.datetime, path: str | Path | None = None) -> PlanLoadResult:
    """Load the plan text into Plan / PlanSection / PlanTask / PlanTaskUnit (docs/domain.md, plan task 55).

    Idempotent: a text whose SHA-256 matches the loaded plan changes nothing and writes no audit event.
    Every unit name must resolve to a unit or group already in the database, else ``plan.unknown_unit``
    (listing names and task numbers) and nothing is written. Appends ``plan.load`` with counts and notes.
    """
    return reference_load(PLAN, actor=actor, now=now, path=path)


def _read(raw: bytes, source: Path) -> _PlanFile:
    return _PlanFile(source.name, hashlib.sha256(raw).hexdigest(), _parse(raw))


def _write(document: _PlanFile, changes: Changes) -> PlanLoadResult:
    plan = Plan.objects.select_for_update().filter(code=PLAN_CODE).first()
    if plan is not None and plan.sha256 == document.digest:
        return _unchanged_result(plan)
    parsed = document.parsed
    links, loader_notes = _resolve_tasks(parsed.tasks)
    notes = [*parsed.notes, *loader_notes]
    previous = plan.sha256 if plan is not None else None
    changes.add("created" if plan is None else "updated", PLAN_CODE)
    plan = _upsert_plan(plan, document.source_name, document.digest, parsed.preamble, notes, changes.now)
    task_changes = _sync_tasks(plan, _sync_sections(plan, parsed.sections), parsed.tasks, links)
    result = _changed_result(plan, parsed, links, changes)
    result.audit_payload = _audit_payload(result, document.source_name, previous, task_changes, notes)
    return result


def _audit(document: _PlanFile, result: PlanLoadResult, changes: Changes) -> AuditNote:
    return AuditNote("plan.load", "plan", result.code, result.audit_payload)


def _parse(raw: bytes) -> planfile.ParsedPlan:
    """Decode and parse the text; format errors become ``plan.format_error`` with the line number."""
    try:
        return planfile.parse_plan(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DomainError("plan.format_error", "规划文本不是 UTF-8 编码") from exc
    except planfile.PlanFormatError as exc:
        raise DomainError("plan.format_error", str(exc), extra={"line": exc.line}) from exc


def _name_index() -> dict[str, _Target]:
    """Every normalised unit name (UnitName, name, full name) and group name or alias → its target."""
    index: dict[str, _Target] = {}
    for name, unit_id, group_id, own_name in unit_and_group_names():
        index.setdefault(normalize_unit_name(name), _Target(unit_id, group_id, own_name))
    index.pop("", None)
    return index


def _lookup(index: dict[str, _Target], name: str) -> _Target | None:
    """Resolve like ``UnitRegistry.resolve``: the normalised name, then ``北京市X`` as ``市X``."""
    key = normalize_unit_name(name)
    hit = index.get(key)
    if hit is None and key.startswith(_CITY_PREFIX):
        hit = index.get("市" + key.removeprefix(_CITY_PREFIX))
    return hit


def _resolve_tasks(tasks: Sequence[planfile.PlanTask]) -> tuple[dict[int, list[_Link]], list[str]]:
    """Links per task number and the loader's own notes; any unknown name is ``plan.unknown_unit``."""
    index = _name_index()
    unknown: dict[str, list[int]] = {}
    links: dict[int, list[_Link]] = {}
    notes: list[str] = []
    for task in tasks:
        targets = []
        for name in (*task.unit_names, *task.groups):
            target = _lookup(index, name)
            if target is None:
                unknown.setdefault(name, []).append(task.number)
            else:
                targets.append((name, target))
        links[task.number] = _task_links(task.number, targets, notes)
    if unknown:
        raise _unknown_units_error(unknown)
    return links, notes


def _task_links(number: int, targets: list[tuple[str, _Target]], notes: list[str]) -> list[_Link]:
    """Plan order, repeats dropped (two names of one unit), the first unit listed leads (牵头)."""
    seen: dict[tuple[int | None, int | None], str] = {}
    links: list[_Link] = []
    for name, target in targets:
        key = (target.unit_id, target.group_id)
        if key in seen:
            notes.append(f"任务{number}：“{name}”与“{seen[key]}”为同一单位，只计一次")
            continue
        seen[key] = name
        lead = target.unit_id is not None and not any(link.unit_id for link in links)
        links.append(_Link(target.unit_id, target.group_id, len(links), lead))
    return links


def _unknown_units_error(unknown: dict[str, list[int]]) -> DomainError:
    """``plan.unknown_unit``: each unknown name with the tasks that use it."""
    parts = [f"{name}（任务{'、'.join(map(str, numbers))}）" for name, numbers in unknown.items()]
    return DomainError(
        "plan.unknown_unit",
        f"规划中有单位名录未收录的责任单位：{'；'.join(parts)}。请先在单位名录中补充后再载入。",
        errors=[
            {"field": "units", "code": "unknown_unit", "message": name, "tasks": numbers}
            for name, numbers in unknown.items()
        ],
    )


def _upsert_plan(
    plan: Plan | None, source_name: str, digest: str, preamble: str, notes: list[str], now: dt.datetime
) -> Plan:
    """Create the plan row or refresh its source, hash, preamble, notes and load time."""
    values = {
        "title": PLAN_TITLE,
        "source_name": source_name,
        "sha256": digest,
        "preamble": preamble,
        "notes": notes,
        "loaded_at": now,
    }
    if plan is None:
        return Plan.objects.create(code=PLAN_CODE, **values)
    for key, value in values.items():
        setattr(plan, key, value)
    plan.save(update_fields=list(values))
    return plan


def _sync_sections(plan: Plan, sections: Sequence[planfile.PlanSection]) -> dict[int, PlanSection]:
    """Upsert sections by number; sections no longer in the text are removed after their tasks move."""
    existing = {section.number: section for section in plan.sections.all()}
    result: dict[int, PlanSection] = {}
    for parsed in sections:
        values = {"numeral": parsed.numeral, "title": parsed.title, "inferred": parsed.inferred}
        section = existing.get(parsed.number)
        if section is None:
            section = PlanSection.objects.create(plan=plan, number=parsed.number, **values)
        elif _differs(section, values):
            _save(section, values)
        result[parsed.number] = section
    return result


def _sync_tasks(
    plan: Plan,
    sections: dict[int, PlanSection],
    tasks: Sequence[planfile.PlanTask],
    links: dict[int, list[_Link]],
) -> dict[str, list[int]]:
    """Upsert tasks by number and remove those gone from the text; returns created / updated / removed."""
    existing = {task.number: task for task in plan.tasks.prefetch_related("links")}
    changes: dict[str, list[int]] = {"created": [], "updated": [], "removed": []}
    for parsed in tasks:
        values = {
            "section": sections[parsed.section_number],
            "text": parsed.text,
            "units_raw": parsed.units_raw,
            "open_ended": parsed.open_ended,
        }
        change = _sync_task(
            plan, existing.pop(parsed.number, None), parsed.number, values, links[parsed.number]
        )
        if change is not None:
            changes[change].append(parsed.number)
    changes["removed"] = sorted(existing)
    PlanTask.objects.filter(pk__in=[task.pk for task in existing.values()]).delete()
    plan.sections.exclude(number__in=list(sections)).delete()
    return changes


def _sync_task(
    plan: Plan, task: PlanTask | None, number: int, values: dict, links: list[_Link]
) -> str | None:
    """Create or update one task and its links; ``created``, ``updated`` or ``None`` (unchanged)."""
    if task is None:
        task = PlanTask.objects.create(plan=plan, number=number, **values)
        _write_links(task, links)
        return "created"
    fields_changed, links_changed = _differs(task, values), _links_differ(task, links)
    if fields_changed:
        _save(task, values)
    if links_changed:
        _write_links(task, links)
    return "updated" if fields_changed or links_changed else None


def _differs(obj: PlanSection | PlanTask, values: dict) -> bool:
    """True when any of ``values`` differs from the object's current field."""
    return any(getattr(obj, key) != value for key, value in values.items())


def _save(obj: PlanSection | PlanTask, values: dict) -> None:
    """Set and save only the given fields."""
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save(update_fields=list(values))


def _links_differ(task: PlanTask, links: Iterable[_Link]) -> bool:
    """Compare the stored links (prefetched) with the wanted ones."""
    have = [_Link(row.unit_id, row.group_id, row.position, row.lead) for row in task.links.all()]
    return sorted(have, key=lambda link: link.position) != list(links)


def _write_links(task: PlanTask, links: list[_Link]) -> None:
    """Replace the task's links with the wanted ones."""
    PlanTaskUnit.objects.filter(task=task).delete()
    PlanTaskUnit.objects.bulk_create(
        PlanTaskUnit(
            task=task, unit_id=link.unit_id, group_id=link.group_id, position=link.position, lead=link.lead
        )
        for link in links
    )


def _changed_result(
    plan: Plan, parsed: planfile.ParsedPlan, links: dict[int, list[_Link]], changes: Changes
) -> PlanLoadResult:
    """Counts of what was just written."""
    all_links = [link for task_links in links.values() for link in task_links]
    return PlanLoadResult(
        code=plan.code,
        sha256=plan.sha256,
        sections=len(parsed.sections),
        tasks=len(parsed.tasks),
        unit_links=sum(link.unit_id is not None for link in all_links),
        group_links=sum(link.group_id is not None for link in all_links),
        notes=len(plan.notes),
        **changes.result_fields(),
    )


def _unchanged_result(plan: Plan) -> PlanLoadResult:
    """Counts of the plan as stored, for a load that changed nothing."""
    links = PlanTaskUnit.objects.filter(task__plan=plan)
    return PlanLoadResult(
        code=plan.code,
        sha256=plan.sha256,
        sections=plan.sections.count(),
        tasks=plan.tasks.count(),
        unit_links=links.filter(unit__isnull=False).count(),
        group_links=links.filter(group__isnull=False).count(),
        notes=len(plan.notes),
    )


def _audit_payload(
    result: PlanLoadResult,
    source_name: str,
    previous: str | None,
    changes: dict[str, list[int]],
    notes: list[str],
) -> dict:
    """The ``plan.load`` audit payload: source, hashes, counts, task changes and the inferences."""
    return {
        "source": source_name,
        "sha256": result.sha256,
        "previous_sha256": previous,
        "sections": result.sections,
        "tasks": result.tasks,
        "unit_links": result.unit_links,
        "group_links": result.group_links,
        "tasks_created": changes["created"],
        "tasks_updated": changes["updated"],
        "tasks_removed": changes["removed"],
        "notes": notes,
    }


PLAN = ReferenceSpec(name="plan", default_path=DEFAULT_PLAN_PATH, invalid="plan.format_error",
                     parse=_read, write=_write, audit=_audit, append=audit_append, encoding=None)  # fmt: skip
