"""One loader for reference data (issue 17; docs/domain.md principle 3: rules are data): read → validate →
diff against what is stored → upsert → audit.

Each kind of reference data (catalog, rules, list types, memoranda and measures, units, commitment templates
and courses, the city plan, a year of the working-day calendar) is a `ReferenceSpec` owned by its app: where
its file is, how the file is parsed and checked (the whole file, before anything is written), how the checked
document is written (resolving names, comparing with the stored rows, upserting, recording in `Changes` what
was created, updated and deactivated) and which audit event a change appends. `reference_load` runs those
steps with one transaction around the write and the audit: loading the same file twice changes nothing and
writes no audit event, and a refused file writes nothing.

Core sits below every app, so it does not import the audit app: each spec hands in the audit writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from django.db import transaction

from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError

__all__ = [
    "AuditNote",
    "Changes",
    "LoadResult",
    "ReferenceSpec",
    "reference_load",
    "reference_read",
    "reference_write",
    "rows_upsert",
]

How = Literal["created", "updated", "deactivated"]


@dataclass
class Changes:
    """One load in progress (by `actor` at `now`) and what it did, in the order it did it: (how, label) with
    how created / updated / deactivated."""

    actor: Actor
    now: dt.datetime
    entries: list[tuple[How, str]] = field(default_factory=list)

    def add(self, how: How, label: str) -> None:
        self.entries.append((how, label))

    def extend(self, how: How, labels: Iterable[str]) -> None:
        self.entries.extend((how, label) for label in labels)

    def of(self, how: How) -> tuple[str, ...]:
        return tuple(label for kind, label in self.entries if kind == how)

    def touched(self) -> list[str]:
        """Every label changed, once, in the order first changed."""
        return list(dict.fromkeys(label for _, label in self.entries))

    def result_fields(self) -> dict[str, tuple[str, ...]]:
        """The `LoadResult` fields: `LoadResult(**changes.result_fields(), ...)`."""
        return {
            "created": self.of("created"),
            "updated": self.of("updated"),
            "deactivated": self.of("deactivated"),
        }


@dataclass(kw_only=True)
class LoadResult:
    """The one result shape of a load: labels created, updated and deactivated, and the audit event's seq
    (None when nothing changed). Each kind adds its own figures and says them in `head()`."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deactivated: tuple[str, ...] = ()
    audit_seq: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def head(self) -> str:
        return ""

    def labels(self) -> dict[str, list[str]]:
        """created / updated / deactivated as lists: the audit payload's usual part."""
        return {
            "created": list(self.created),
            "updated": list(self.updated),
            "deactivated": list(self.deactivated),
        }

    def summary(self) -> str:
        """One line for operators, e.g. "名单类型 6 个：新增 6，更新 0，停用 0"（未变更 when nothing did）."""
        counts = f"新增 {len(self.created)}，更新 {len(self.updated)}，停用 {len(self.deactivated)}"
        return f"{self.head()}：{counts}" + ("" if self.changed else "（未变更）")


@dataclass(frozen=True)
class AuditNote:
    """The audit event a load that changed something appends (in the same transaction)."""

    action: str
    target_type: str
    target_id: str | int
    payload: Mapping[str, Any]


D = TypeVar("D")
R = TypeVar("R", bound=LoadResult)


@dataclass(frozen=True)
class ReferenceSpec(Generic[D, R]):
    """One kind of reference data.

    `parse(content, path)` checks the whole file (text, or bytes when `encoding` is None) and answers the
    document or raises `DomainError`; `write(document, changes)` runs inside the transaction and answers the
    result; `audit(document, result, changes)` names the event of a load that changed something (it may
    write a version row first); `after_change()` runs in the transaction after the event (cache drops).
    An unreadable file is refused with `invalid` and the `unreadable` text ({path}, {exc}, {reason})."""

    name: str
    invalid: str
    parse: Callable[[Any, Path], D]
    write: Callable[[D, Changes], R]
    audit: Callable[[D, R, Changes], AuditNote]
    append: Callable[..., Any]  # xinyong.audit.services.audit_append, handed in by the app
    default_path: Path | None = None  # the packaged file (None: every load names its file)
    unreadable: str = "无法读取文件 {path}：{exc}"
    encoding: str | None = "utf-8"
    after_change: Callable[[], None] | None = None


def reference_read(spec: ReferenceSpec[D, R], path: str | Path | None = None) -> D:
    """Read and check the file (default: the spec's packaged file); nothing is written."""
    source = Path(path) if path is not None else spec.default_path
    if source is None:
        raise DomainError(spec.invalid, f"{spec.name}：未指定要载入的文件")
    try:
        raw = source.read_bytes()
        content = raw if spec.encoding is None else raw.decode(spec.encoding)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise DomainError(
            spec.invalid, spec.unreadable.format(path=path or source, exc=exc, reason=reason)
        ) from exc
    return spec.parse(content, source)


def reference_write(spec: ReferenceSpec[D, R], document: D, *, actor: Actor, now: dt.datetime) -> R:
    """Write a checked document in one transaction; append the spec's audit event when something changed."""
    with transaction.atomic():
        changes = Changes(actor, now)
        result = spec.write(document, changes)
        if result.changed:
            note = spec.audit(document, result, changes)
            event = spec.append(
                actor=actor,
                action=note.action,
                target_type=note.target_type,
                target_id=note.target_id,
                now=now,
                payload=dict(note.payload),
            )
            result = replace(result, audit_seq=event.seq)
            if spec.after_change is not None:
                spec.after_change()
    return result


def reference_load(
    spec: ReferenceSpec[D, R], *, actor: Actor, now: dt.datetime, path: str | Path | None = None
) -> R:
    """Read → validate → diff → upsert → audit: the whole load of one reference file."""
    return reference_write(spec, reference_read(spec, path), actor=actor, now=now)


def rows_upsert(
    model, rows: Mapping[str, Mapping[str, Any]], changes: Changes, *, deactivate: bool = True
) -> dict[str, Any]:
    """Rows keyed by `code`: create the missing, update those whose fields differ, deactivate (never delete)
    the active rows the file no longer has. Answers the stored rows by code (locked for the transaction)."""
    existing = {obj.code: obj for obj in model.objects.select_for_update()}
    for code, values in rows.items():
        current = existing.get(code)
        if current is None:
            existing[code] = model.objects.create(code=code, **values)
            changes.add("created", code)
        elif {f: getattr(current, f) for f in values} != dict(values):
            model.objects.filter(pk=current.pk).update(**values)
            changes.add("updated", code)
    if deactivate:
        dropped = [code for code, obj in existing.items() if obj.active and code not in rows]
        model.objects.filter(code__in=dropped).update(active=False)
        changes.extend("deactivated", dropped)
    return existing
