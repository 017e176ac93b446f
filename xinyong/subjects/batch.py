"""Many codes → their live subjects, batched: a handful of indexed queries per batch, never one per code.
The check's hot path (measures.services.checks, issue 17: the subjects app reads its own tables).

Raw SQL on purpose (docs/performance.md: p99 ≤ 1 ms per subject at 1 M subjects / 10 M records): the ORM costs
more than the storage here. Each query names its table's columns explicitly; keep them in step with the
models. The single-code lookup with its redirect details (the API's subject page) is
`selectors.subject_lookup`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xinyong.core.bulk import select_in
from xinyong.core.roundtrips import IdsIn, Read, Statement, Subquery, in_values, read_together
from xinyong.subjects.models import IdentifierKind, IdentifierStatus, SubjectKind
from xinyong.subjects.selectors import MAX_MERGE_HOPS, CodeKey

_FROM_KEYS = (  # the subject each identifier leads to (a corrected code: the subject it was corrected to)
    "FROM subjects_identifier i CROSS JOIN subjects_subject s "
    "WHERE i.kind IN ({kinds}) AND i.value IN ({{}}) "
    "AND s.id = COALESCE(i.redirect_to_id, i.subject_id)"
)
_SUBJECT_COLUMNS = "s.id, s.kind, s.name, s.uscc, s.person_masked, s.merged_into_id"
_BY_KEYS = f"SELECT i.kind, i.value, {_SUBJECT_COLUMNS} {_FROM_KEYS}"
# a merged duplicate stands for the subject it was merged into (one merge followed)
_LIVE_IDS_BY_KEYS = "SELECT COALESCE(s.merged_into_id, s.id) " + _FROM_KEYS
_BY_IDS = "SELECT id, kind, name, uscc, person_masked, merged_into_id FROM subjects_subject WHERE id IN ({})"
_REGNOS = (
    "SELECT subject_id, value FROM subjects_identifier "
    f"WHERE kind = '{IdentifierKind.REGNO.value}' AND status = '{IdentifierStatus.ACTIVE.value}' "
    "AND subject_id IN ({})"
)
_PERSON = SubjectKind.NATURAL_PERSON.value


@dataclass(frozen=True)
class SubjectRow:
    """A live subject as a batched lookup found it."""

    id: int
    kind: str
    name: str
    uscc: str | None
    masked: str

    @property
    def is_person(self) -> bool:
        return self.kind == _PERSON


def subjects_for_keys(keys: Iterable[CodeKey]) -> dict[CodeKey, SubjectRow]:
    """Key → live subject, in one query on the (kind, value) index joined to the subject; a corrected code
    leads to the subject it was corrected to, a merged duplicate to the subject it was merged into. A key
    that finds none is left out."""
    return read_together(subjects_for_keys_read(keys))[0]


def subjects_for_keys_read(keys: Iterable[CodeKey]) -> Read[dict[CodeKey, SubjectRow]]:
    """`subjects_for_keys` as a read to run with others (core.roundtrips; the check sends it with its unit's,
    issue 18). Following a merged duplicate, rare, reads again once it is in."""
    keys = set(keys)
    if not keys:
        return Read([], lambda rows: {})
    kinds = sorted({kind for key in keys for kind in key.candidates})
    values = sorted({key.value for key in keys})
    sql = _BY_KEYS.format(kinds=", ".join(["%s"] * len(kinds)))
    return Read.one(sql, kinds, values=values, array="text", decode=lambda found: _live_by_key(keys, found))


def live_ids_for_keys(keys: Iterable[CodeKey]) -> Subquery | None:
    """The ids of the live subjects the keys lead to, selected by the database in the statement that uses
    them (core.roundtrips; the check reads its subjects and their standing in one round trip, ADR 0045).
    Every candidate kind of a key counts, so it may select a few subjects more than `subjects_for_keys`
    finds; a subject merged twice over is not followed to the end. None when there is no key."""
    keys = set(keys)
    if not keys:
        return None
    kinds = sorted({kind for key in keys for kind in key.candidates})
    values = sorted({key.value for key in keys})
    sql = _LIVE_IDS_BY_KEYS.format(kinds=", ".join(["%s"] * len(kinds)))
    return Subquery(Statement(sql, tuple(kinds), values, "text"))


def _live_by_key(keys: set[CodeKey], found_rows: list[tuple]) -> dict[CodeKey, SubjectRow]:
    rows = {(r[0], r[1]): r[2:] for r in found_rows}
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
        info = {r[0]: r for r in select_in(_BY_IDS, sorted(set(pending.values())))}
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
    return read_together(registration_numbers_read(subject_ids))[0]


def registration_numbers_read(subject_ids: IdsIn) -> Read[dict[int, str]]:
    """`registration_numbers` as a read to run with others (core.roundtrips, the check: issue 18)."""
    return Read.one(_REGNOS, values=in_values(subject_ids), decode=dict)
