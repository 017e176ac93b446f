"""Load memoranda.yaml (联合奖惩措施清单) into the database (DESIGN §3 Memorandum and measure, principle 3).

The whole file is parsed and validated first (spec.py), names of units, list types and matters are resolved,
then everything is upserted in one transaction; one audit event (`memoranda.load`) and one `MemorandaVersion`
row are written when something changed. Loading the same file twice changes nothing and writes nothing: rows
are compared with the file's content, so a row edited behind the loader's back is put right on the next load.
Nothing is deleted: a memorandum or measure dropped from the file is deactivated (checks refer to it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from xinyong.accounts.roles import OFFICE
from xinyong.accounts.selectors import unit_group_members, unit_ids_by_name
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.lists.selectors import list_type_ids
from xinyong.measures import rulebook
from xinyong.measures.models import Matter, Measure, MemorandaVersion, Memorandum
from xinyong.measures.spec import INVALID, MeasureSpec, MemorandaSpec, MemorandumSpec, parse_memoranda

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "memoranda.yaml"


@dataclass(frozen=True)
class MemorandaLoadResult:
    """What a load did: codes created / updated / deactivated (matters, memoranda and measures alike)."""

    sha256: str
    matters: int
    memoranda: int
    measures: int
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deactivated: tuple[str, ...] = ()
    audit_seq: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def summary(self) -> str:
        """One line for operators, e.g. "事项 12，备忘录 5，措施 20：新增 37，更新 0，停用 0"."""
        sizes = f"事项 {self.matters}，备忘录 {self.memoranda}，措施 {self.measures}"
        counts = f"新增 {len(self.created)}，更新 {len(self.updated)}，停用 {len(self.deactivated)}"
        return f"{sizes}：{counts}" + ("" if self.changed else "（未变更）")


@dataclass
class _Resolved:
    units: dict[str, int]  # name / alias / code → unit id
    groups: dict[str, tuple[bool, tuple[int, ...]]]  # group name or alias → (open, member ids)
    list_types: dict[str, int]
    problems: list[dict]


def memoranda_load(*, actor: Actor, now: dt.datetime, path: str | Path | None = None) -> MemorandaLoadResult:
    """Load the memoranda and their measures (idempotent, strict, audited).

    Refuses the whole file (`memoranda.invalid`) for unknown keys, units, list types or matters, and
    (`measure.legal_basis_required`) for a measure without a legal basis, naming the measure: DESIGN §3,
    a measure must come from law or the national measures list. List types come from the lists app, which
    loads first.
    """
    actor.require(*OFFICE)
    spec = parse_memoranda(_read(path or DEFAULT_PATH))
    with transaction.atomic():
        resolved = _resolve(spec)
        changes: dict[str, list[str]] = {"created": [], "updated": [], "deactivated": []}
        matters = _matters_apply(spec, changes)
        for memo_spec in spec.memoranda:
            memo = _memorandum_apply(memo_spec, resolved, changes)
            for measure_spec in memo_spec.measures:
                _measure_apply(memo, measure_spec, resolved, matters, changes)
        _deactivate(spec, changes)
        result = MemorandaLoadResult(
            spec.sha256,
            len(spec.matters),
            len(spec.memoranda),
            sum(len(m.measures) for m in spec.memoranda),
            *(tuple(changes[k]) for k in ("created", "updated", "deactivated")),
        )
        if result.changed:
            result = _record(actor, now, result)
    return result


def _read(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(INVALID, f"无法读取措施清单 {path}：{exc}") from exc


def _resolve(spec: MemorandaSpec) -> _Resolved:
    list_types = list_type_ids()
    resolved = _Resolved(unit_ids_by_name(), unit_group_members(), list_types, [])
    for memo in spec.memoranda:
        path = f"memoranda[{memo.code}]"
        _units(memo.signing_units, f"{path}.signing_units", resolved, allow_open=False)
        for code in memo.list_types:
            if code not in list_types:
                _problem(
                    resolved,
                    f"{path}.list_types",
                    "unknown_list_type",
                    f"名单类型 {code} 不存在（须先载入名单类型）",
                )
        for measure in memo.measures:
            _units(
                measure.implementing_units, f"{path}.measures[{measure.code}].implementing_units", resolved
            )
    if resolved.problems:
        first = resolved.problems[0]["message"]
        more = (
            f"（另有 {len(resolved.problems) - 1} 处问题，见 errors）" if len(resolved.problems) > 1 else ""
        )
        raise DomainError(INVALID, f"措施清单校验未通过：{first}{more}", errors=resolved.problems)
    return resolved


def _problem(resolved: _Resolved, path: str, code: str, text: str) -> None:
    resolved.problems.append({"field": path, "code": code, "message": f"{path}：{text}"})


def _units(
    names: tuple[str, ...], path: str, resolved: _Resolved, *, allow_open: bool = True
) -> tuple[set[int], bool]:
    """Unit ids named (closed groups such as 各区政府 expanded) and whether 各有关部门 (open) is named."""
    ids: set[int] = set()
    everyone = False
    for name in names:
        if name in resolved.units:
            ids.add(resolved.units[name])
        elif name in resolved.groups and (allow_open or not resolved.groups[name][0]):
            is_open, members = resolved.groups[name]
            everyone |= is_open
            ids.update(members)
        else:
            _problem(resolved, path, "unknown_unit", f"单位 {name} 不在单位名录中")
    return ids, everyone


def _matters_apply(spec: MemorandaSpec, changes: dict[str, list[str]]) -> dict[str, Matter]:
    existing = {m.code: m for m in Matter.objects.all()}
    for item in spec.matters:
        matter = existing.get(item.code)
        if matter is None:
            existing[item.code] = Matter.objects.create(code=item.code, name=item.name)
            changes["created"].append(f"matter:{item.code}")
        elif matter.name != item.name:
            matter.name = item.name
            matter.save(update_fields=["name"])
            changes["updated"].append(f"matter:{item.code}")
    return existing


def _memorandum_apply(spec: MemorandumSpec, resolved: _Resolved, changes: dict[str, list[str]]) -> Memorandum:
    wanted = {
        "title": spec.title,
        "document_no": spec.document_no,
        "signed_on": spec.signed_on,
        "feedback_working_days": spec.feedback_working_days,
        "active": spec.active,
    }
    memo = Memorandum.objects.filter(code=spec.code).first()
    label = f"memorandum:{spec.code}"
    if memo is None:
        memo = Memorandum.objects.create(code=spec.code, **wanted)
        changes["created"].append(label)
        dirty = False
    else:
        dirty = _update_fields(memo, wanted)
    signers, _ = _units(spec.signing_units, "", resolved, allow_open=False)
    list_types = {resolved.list_types[c] for c in spec.list_types}
    dirty |= _set_m2m(memo.signing_units, signers)
    dirty |= _set_m2m(memo.list_types, list_types)
    if dirty and label not in changes["created"]:
        changes["updated"].append(label)
    return memo


def _measure_apply(
    memo: Memorandum,
    spec: MeasureSpec,
    resolved: _Resolved,
    matters: dict[str, Matter],
    changes: dict[str, list[str]],
) -> None:
    units, everyone = _units(spec.implementing_units, "", resolved)
    wanted = {
        "memorandum_id": memo.pk,
        "text": spec.text,
        "kind": spec.kind,
        "strength": spec.strength,
        "legal_basis": spec.legal_basis,
        "implementing_all": everyone,
        "active": True,
    }
    measure = Measure.objects.filter(code=spec.code).first()
    label = f"measure:{spec.code}"
    if measure is None:
        measure = Measure.objects.create(code=spec.code, **wanted)
        changes["created"].append(label)
        dirty = False
    else:
        dirty = _update_fields(measure, wanted)
    # 各有关部门 (open group) binds every unit: the closed member list would only repeat that
    dirty |= _set_m2m(measure.implementing_units, set() if everyone else units)
    dirty |= _set_m2m(measure.matters, {matters[c].pk for c in spec.matters})
    if dirty and label not in changes["created"]:
        changes["updated"].append(label)


def _update_fields(obj, wanted: dict) -> bool:
    stale = [k for k, v in wanted.items() if getattr(obj, k) != v]
    for k in stale:
        setattr(obj, k, wanted[k])
    if stale:
        obj.save(update_fields=[k.removesuffix("_id") if k.endswith("_id") else k for k in stale])
    return bool(stale)


def _set_m2m(manager, wanted: set[int]) -> bool:
    current = set(manager.values_list("pk", flat=True))
    if current == wanted:
        return False
    manager.set(sorted(wanted))
    return True


def _deactivate(spec: MemorandaSpec, changes: dict[str, list[str]]) -> None:
    memo_codes = [m.code for m in spec.memoranda]
    measure_codes = [x.code for m in spec.memoranda for x in m.measures]
    for code in (
        Memorandum.objects.filter(active=True).exclude(code__in=memo_codes).values_list("code", flat=True)
    ):
        changes["deactivated"].append(f"memorandum:{code}")
    for code in (
        Measure.objects.filter(active=True).exclude(code__in=measure_codes).values_list("code", flat=True)
    ):
        changes["deactivated"].append(f"measure:{code}")
    Memorandum.objects.filter(active=True).exclude(code__in=memo_codes).update(active=False)
    Measure.objects.filter(active=True).exclude(code__in=measure_codes).update(active=False)


def _record(actor: Actor, now: dt.datetime, result: MemorandaLoadResult) -> MemorandaLoadResult:
    payload = {"sha256": result.sha256, "created": list(result.created), "updated": list(result.updated),
               "deactivated": list(result.deactivated)}  # fmt: skip
    version = MemorandaVersion.objects.create(
        sha256=result.sha256, loaded_at=now, loaded_by=actor.label, summary=payload
    )
    event = audit_append(
        actor=actor,
        action="memoranda.load",
        target_type="memoranda",
        target_id=version.pk,
        now=now,
        payload={**payload, "summary": result.summary()},
    )
    rulebook.invalidate()
    transaction.on_commit(rulebook.invalidate)
    return MemorandaLoadResult(**{**result.__dict__, "audit_seq": event.seq})
