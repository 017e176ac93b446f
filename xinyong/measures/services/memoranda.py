"""Load memoranda.yaml (联合奖惩措施清单) into the database (docs/domain.md Memorandum and measure, principle
3).

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
from xinyong.catalog.yamlcheck import Problems
from xinyong.core.actor import Actor
from xinyong.core.reference import AuditNote, Changes, LoadResult, ReferenceSpec, reference_load
from xinyong.lists.selectors import list_type_ids
from xinyong.measures import rulebook
from xinyong.measures.models import Matter, Measure, MemorandaVersion, Memorandum
from xinyong.measures.spec import INVALID, MeasureSpec, MemorandaSpec, MemorandumSpec, parse_memoranda

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "memoranda.yaml"


@dataclass(kw_only=True)
class MemorandaLoadResult(LoadResult):
    """What a load did: codes created / updated / deactivated (matters, memoranda and measures alike)."""

    sha256: str
    matters: int
    memoranda: int
    measures: int

    def head(self) -> str:
        """ "事项 12，备忘录 5，措施 20" (the summary adds "：新增 37，更新 0，停用 0")."""
        return f"事项 {self.matters}，备忘录 {self.memoranda}，措施 {self.measures}"


@dataclass
class _Resolved:
    units: dict[str, int]  # name / alias / code → unit id
    groups: dict[str, tuple[bool, tuple[int, ...]]]  # group name or alias → (open, member ids)
    list_types: dict[str, int]
    problems: Problems


def memoranda_load(*, actor: Actor, now: dt.datetime, path: str | Path | None = None) -> MemorandaLoadResult:
    """Load the memoranda and their measures (idempotent, strict, audited).

    Refuses the whole file (`memoranda.invalid`) for unknown keys, units, list types or matters, and
    (`measure.legal_basis_required`) for a measure without a legal basis, naming the measure: docs/domain.md,
    a measure must come from law or the national measures list. List types come from the lists app, which
    loads first.
    """
    actor.require(*OFFICE)
    return reference_load(MEMORANDA, actor=actor, now=now, path=path)


def _write(spec: MemorandaSpec, changes: Changes) -> MemorandaLoadResult:
    resolved = _resolve(spec)
    matters = _matters_apply(spec, changes)
    for memo_spec in spec.memoranda:
        memo = _memorandum_apply(memo_spec, resolved, changes)
        for measure_spec in memo_spec.measures:
            _measure_apply(memo, measure_spec, resolved, matters, changes)
    _deactivate(spec, changes)
    sizes = {"matters": len(spec.matters), "memoranda": len(spec.memoranda)}
    measures = sum(len(m.measures) for m in spec.memoranda)
    return MemorandaLoadResult(sha256=spec.sha256, **sizes, measures=measures, **changes.result_fields())


def _resolve(spec: MemorandaSpec) -> _Resolved:
    resolved = _Resolved(
        unit_ids_by_name(), unit_group_members(), list_type_ids(), Problems("措施清单", code=INVALID)
    )
    for memo in spec.memoranda:
        path = f"memoranda[{memo.code}]"
        _units(memo.signing_units, f"{path}.signing_units", resolved, allow_open=False)
        for code in memo.list_types:
            if code not in resolved.list_types:
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
    resolved.problems.raise_if_any()
    return resolved


def _problem(resolved: _Resolved, path: str, code: str, text: str) -> None:
    resolved.problems.add(path, code, text)


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


def _matters_apply(spec: MemorandaSpec, changes: Changes) -> dict[str, Matter]:
    existing = {m.code: m for m in Matter.objects.all()}
    for item in spec.matters:
        matter = existing.get(item.code)
        if matter is None:
            existing[item.code] = Matter.objects.create(code=item.code, name=item.name)
            changes.add("created", f"matter:{item.code}")
        elif matter.name != item.name:
            matter.name = item.name
            matter.save(update_fields=["name"])
            changes.add("updated", f"matter:{item.code}")
    return existing


def _memorandum_apply(spec: MemorandumSpec, resolved: _Resolved, changes: Changes) -> Memorandum:
    wanted = {
        "title": spec.title,
        "document_no": spec.document_no,
        "signed_on": spec.signed_on,
        "feedback_working_days": spec.feedback_working_days,
        "active": spec.active,
    }
    label = f"memorandum:{spec.code}"
    memo, dirty = _upsert_row(Memorandum, spec.code, wanted, label, changes)
    signers, _ = _units(spec.signing_units, "", resolved, allow_open=False)
    list_types = {resolved.list_types[c] for c in spec.list_types}
    dirty |= _set_m2m(memo.signing_units, signers)
    dirty |= _set_m2m(memo.list_types, list_types)
    _note_updated(dirty, label, changes)
    return memo


def _measure_apply(
    memo: Memorandum,
    spec: MeasureSpec,
    resolved: _Resolved,
    matters: dict[str, Matter],
    changes: Changes,
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
    label = f"measure:{spec.code}"
    measure, dirty = _upsert_row(Measure, spec.code, wanted, label, changes)
    # 各有关部门 (open group) binds every unit: the closed member list would only repeat that
    dirty |= _set_m2m(measure.implementing_units, set() if everyone else units)
    dirty |= _set_m2m(measure.matters, {matters[c].pk for c in spec.matters})
    _note_updated(dirty, label, changes)


def _upsert_row(model, code: str, wanted: dict, label: str, changes: Changes):
    """Create the row (noted as created) or update its differing fields: (row, whether fields changed)."""
    row = model.objects.filter(code=code).first()
    if row is None:
        changes.add("created", label)
        return model.objects.create(code=code, **wanted), False
    return row, _update_fields(row, wanted)


def _note_updated(dirty: bool, label: str, changes: Changes) -> None:
    if dirty and label not in changes.of("created"):
        changes.add("updated", label)


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


def _deactivate(spec: MemorandaSpec, changes: Changes) -> None:
    memo_codes = [m.code for m in spec.memoranda]
    measure_codes = [x.code for m in spec.memoranda for x in m.measures]
    for code in (
        Memorandum.objects.filter(active=True).exclude(code__in=memo_codes).values_list("code", flat=True)
    ):
        changes.add("deactivated", f"memorandum:{code}")
    for code in (
        Measure.objects.filter(active=True).exclude(code__in=measure_codes).values_list("code", flat=True)
    ):
        changes.add("deactivated", f"measure:{code}")
    Memorandum.objects.filter(active=True).exclude(code__in=memo_codes).update(active=False)
    Measure.objects.filter(active=True).exclude(code__in=measure_codes).update(active=False)


def _audit(spec: MemorandaSpec, result: MemorandaLoadResult, changes: Changes) -> AuditNote:
    """A change is a new `MemorandaVersion` row and a `memoranda.load` event naming it."""
    payload = {"sha256": result.sha256, **result.labels()}
    version = MemorandaVersion.objects.create(
        sha256=result.sha256, loaded_at=changes.now, loaded_by=changes.actor.label, summary=payload
    )
    return AuditNote("memoranda.load", "memoranda", version.pk, {**payload, "summary": result.summary()})


def _rulebook_invalidate() -> None:
    rulebook.invalidate()
    transaction.on_commit(rulebook.invalidate)


MEMORANDA = ReferenceSpec(name="memoranda", default_path=DEFAULT_PATH, invalid=INVALID,
                          parse=lambda text, _path: parse_memoranda(text), write=_write,
                          audit=_audit, append=audit_append, unreadable="无法读取措施清单 {path}：{exc}",
                          after_change=_rulebook_invalidate)  # fmt: skip
