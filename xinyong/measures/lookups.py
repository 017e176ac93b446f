"""The reads of a check (应查必查) that find its subjects, batched: a handful of indexed queries per batch,
never one per subject. What the check says about each subject found (its current entries, its shown negative
records) is the subject's standing (standing.selectors.check_standing), not a query of this module.

Raw SQL on purpose (DESIGN §7: p99 ≤ 1 ms per subject at 1 M subjects / 10 M records): the ORM costs more
than the storage here. Each query names its table's columns explicitly; keep them in step with the subjects'
models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xinyong.core.bulk import select_in
from xinyong.subjects.identifiers import IdentifierError, identify, normalize
from xinyong.subjects.selectors import CodeKey, identifier_key

MAX_MERGE_HOPS = 10


@dataclass(frozen=True)
class Parsed:
    """One identifier of a request: its stored form (masked for persons), its key or the rule it broke."""

    position: int
    stored: str
    key: CodeKey | None
    error_code: str = ""
    error_message: str = ""


@dataclass(frozen=True)
class SubjectRow:
    id: int
    kind: str
    name: str
    uscc: str | None
    masked: str

    @property
    def is_person(self) -> bool:
        return self.kind == "natural_person"


def parse_identifiers(raw: Sequence[str]) -> list[Parsed]:
    """Validate each identifier on its own: a bad one is reported, not a refusal of the batch."""
    out = []
    for position, value in enumerate(raw):
        try:
            kind, clean = identify(value)
        except IdentifierError as err:
            out.append(Parsed(position, _mask_invalid(value), None, err.code, err.message))
            continue
        key = identifier_key(kind, clean)
        out.append(Parsed(position, key.display, key))
    return out


def _mask_invalid(value: str) -> str:
    """An invalid identifier as stored: a mistyped resident ID must not be kept in clear."""
    clean = normalize(value)[:64] if isinstance(value, str) else ""
    digits = sum(ch.isdigit() for ch in clean)
    if len(clean) >= 15 and digits >= len(clean) - 1:
        return clean[:6] + "*" * (len(clean) - 10) + clean[-4:]
    return clean


def subjects_for(parsed: list[Parsed]) -> dict[CodeKey, SubjectRow]:
    """Key → live subject, in one query on the (kind, value) index joined to the subject; a corrected code
    leads to the subject it was corrected to, a merged duplicate to the subject it was merged into."""
    keys = {p.key for p in parsed if p.key is not None}
    if not keys:
        return {}
    kinds = sorted({kind for key in keys for kind in key.candidates})
    values = sorted({key.value for key in keys})
    sql = (
        "SELECT i.kind, i.value, s.id, s.kind, s.name, s.uscc, s.person_masked, s.merged_into_id "
        "FROM subjects_identifier i CROSS JOIN subjects_subject s "
        f"WHERE i.kind IN ({', '.join(['%s'] * len(kinds))}) AND i.value IN ({{}}) "
        "AND s.id = COALESCE(i.redirect_to_id, i.subject_id)"
    )
    rows = {(r[0], r[1]): r[2:] for r in select_in(sql, values, before=kinds)}
    found: dict[CodeKey, SubjectRow | int] = {}
    for key in keys:
        for kind in key.candidates:  # preference order: a USCC before an 18-character tax number
            row = rows.get((kind, key.value))
            if row is not None:
                sid, subject_kind, name, uscc, masked, merged_into = row
                found[key] = merged_into or SubjectRow(sid, subject_kind, name, uscc, masked)
                break
    merged = _live_subjects({v for v in found.values() if isinstance(v, int)})
    live = {key: merged.get(v) if isinstance(v, int) else v for key, v in found.items()}
    return {key: row for key, row in live.items() if row is not None}


def _live_subjects(ids: set[int]) -> dict[int, SubjectRow]:
    """id → the live subject (a merged duplicate stands for its merged_into)."""
    result: dict[int, SubjectRow] = {}
    pending = {i: i for i in ids}
    for _ in range(MAX_MERGE_HOPS):
        if not pending:
            break
        rows = select_in(
            "SELECT id, kind, name, uscc, person_masked, merged_into_id FROM subjects_subject "
            "WHERE id IN ({})",
            sorted(set(pending.values())),
        )
        info = {r[0]: r for r in rows}
        following = {}
        for origin, current in pending.items():
            sid, kind, name, uscc, masked, merged_into = info[current]
            if merged_into:
                following[origin] = merged_into
            else:
                result[origin] = SubjectRow(sid, kind, name, uscc, masked)
        pending = following
    return result


def registration_numbers(subject_ids: Sequence[int]) -> dict[int, str]:
    """The registration number a legal entity without a USCC is shown under (individual businesses)."""
    if not subject_ids:
        return {}
    sql = (
        "SELECT subject_id, value FROM subjects_identifier "
        "WHERE kind = 'regno' AND status = 'active' AND subject_id IN ({})"
    )
    return dict(select_in(sql, list(subject_ids)))
