"""Bulk resolution and creation of subjects for imports (归集): one query per chunk, raw inserts.

The per-subject services (services/registration.py) are the way for single registrations; an import of
tens of thousands of rows resolves all its subjects at once here and creates the unknown ones with their
identifiers and first name-history row. The import's own audit event records how many it created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.core.bulk import allocate_ids, db_date, db_datetime, insert_many, select_in
from xinyong.subjects.districts import district_of_uscc
from xinyong.subjects.identifiers import ric_mask
from xinyong.subjects.identity import person_encrypt, person_hash
from xinyong.subjects.search_index import name_grams_add_many

Key = tuple[str, str]  # (identifier kind, value) — for persons ("ric_hash", HMAC)

# GB 32100 登记管理部门码 + 机构类别码 → our subject kind (first two characters of the USCC).
_KIND_BY_PREFIX = {
    "11": "government_body",
    "12": "public_institution",
    "13": "public_institution",
    "51": "social_org",
    "52": "social_org",
    "53": "social_org",
    "59": "social_org",
    "91": "enterprise",
    "92": "individual_business",
    "93": "farmer_coop",
}


def kind_from_uscc(uscc: str) -> str:
    """The subject kind a USCC's first two characters announce (enterprise when the prefix says nothing)."""
    return _KIND_BY_PREFIX.get(uscc[:2], "enterprise")


@dataclass(frozen=True)
class Resolved:
    subject_id: int
    name: str
    is_person: bool


@dataclass
class NewSubject:
    """A subject an import needs that the registry does not know yet."""

    key: Key
    kind: str
    name: str
    uscc: str | None = None
    regno: str | None = None
    resident_id: str | None = None


def person_key(resident_id: str) -> Key:
    return ("ric_hash", person_hash(resident_id))


_BY_KEY = (
    "SELECT value, subject_id, redirect_to_id FROM subjects_identifier WHERE kind = %s AND value IN ({})"
)


def subjects_resolve(keys: set[Key]) -> dict[Key, Resolved]:
    """Map identifier keys to their subjects, following code corrections and merges to the live subject."""
    found: dict[Key, int] = {}
    by_kind: dict[str, list[str]] = {}
    for kind, value in keys:
        by_kind.setdefault(kind, []).append(value)
    for kind, values in by_kind.items():
        rows = select_in(_BY_KEY, values, before=[kind])
        for value, subject_id, redirect in rows:
            found[(kind, value)] = redirect or subject_id
    live = _live_subjects(set(found.values()))
    return {key: live[sid] for key, sid in found.items() if sid in live}


def _live_subjects(ids: set[int]) -> dict[int, Resolved]:
    """id → the live subject it stands for (a merged duplicate stands for its merged_into)."""
    result: dict[int, Resolved] = {}
    pending = {i: i for i in ids}
    for _ in range(5):  # merge chains are short; five hops is plenty
        if not pending:
            break
        rows = select_in(
            "SELECT id, name, kind, merged_into_id FROM subjects_subject WHERE id IN ({})",
            sorted(set(pending.values())),
        )
        info = {r[0]: r for r in rows}
        nxt = {}
        for origin, current in pending.items():
            _, name, kind, merged_into = info[current]
            if merged_into:
                nxt[origin] = merged_into
            else:
                result[origin] = Resolved(current, name, kind == "natural_person")
        pending = nxt
    return result


def subjects_bulk_create(entries: list[NewSubject], *, now: dt.datetime) -> dict[Key, Resolved]:
    """Insert the subjects with their identifiers and first name row; identifiers someone else already
    holds (a derived organisation code, say) are left to their holder. Returns key → new subject."""
    if not entries:
        return {}
    ids = allocate_ids("subjects_subject", len(entries))
    at, day = db_datetime(now), db_date(now.date())
    subject_rows, ident_rows, name_rows, out = [], [], [], {}
    for sid, entry in zip(ids, entries, strict=True):
        subject_rows.append(_subject_row(sid, entry, at))
        ident_rows.extend(
            (sid, kind, value, display, "active", at) for kind, value, display in _identifiers(entry)
        )
        name_rows.append((sid, entry.name, day, "归集", at))
        out[entry.key] = Resolved(sid, entry.name, entry.kind == "natural_person")
    insert_many(
        "subjects_subject",
        [
            "id",
            "kind",
            "uscc",
            "name",
            "person_hash",
            "person_cipher",
            "person_masked",
            "district",
            "industry",
            "status",
            "created_at",
        ],
        subject_rows,
    )
    insert_many(
        "subjects_identifier",
        ["subject_id", "kind", "value", "display", "status", "recorded_at"],
        _without_taken(ident_rows),
    )
    insert_many("subjects_name", ["subject_id", "name", "valid_from", "source", "recorded_at"], name_rows)
    name_grams_add_many(((row[0], [(row[1], True)]) for row in name_rows), fresh=True)
    return out


def _subject_row(sid: int, e: NewSubject, at) -> tuple:
    if e.resident_id:
        return (
            sid,
            e.kind,
            None,
            e.name,
            person_hash(e.resident_id),
            person_encrypt(e.resident_id),
            ric_mask(e.resident_id),
            "",
            "",
            "active",
            at,
        )
    district = district_of_uscc(e.uscc)  # a 机关 / 事业单位 code names its district (ADR 0037)
    return (sid, e.kind, e.uscc, e.name, None, "", "", district, "", "active", at)


def _identifiers(e: NewSubject) -> list[tuple[str, str, str]]:
    if e.resident_id:
        masked = ric_mask(e.resident_id)
        return [("ric_hash", person_hash(e.resident_id), masked)]
    out = []
    if e.uscc:
        org = e.uscc[8:17]  # GB 32100: positions 9–17 are the organisation code (validated upstream)
        out += [("uscc", e.uscc, e.uscc), ("org_code", org, org)]
    if e.regno:
        out.append(("regno", e.regno, e.regno))
    return out


def _without_taken(rows: list[tuple]) -> list[tuple]:
    """Drop identifier rows whose (kind, value) exists already or repeats within the batch."""
    by_kind: dict[str, list[str]] = {}
    for row in rows:
        by_kind.setdefault(row[1], []).append(row[2])
    taken = set()
    for kind, values in by_kind.items():
        sql = "SELECT value FROM subjects_identifier WHERE kind = %s AND value IN ({})"
        taken |= {(kind, r[0]) for r in select_in(sql, values, before=[kind])}
    out = []
    for row in rows:
        if (row[1], row[2]) not in taken:
            taken.add((row[1], row[2]))
            out.append(row)
    return out
