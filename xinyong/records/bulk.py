"""Bulk writes and reads of record versions for the import path (归集, intake/importer.py): the records app's
raw SQL over its own tables (ADR 0022), at storage speed (core/bulk.py).

Every function runs inside the caller's write transaction (one per chunk of a submission, issue 18): the ids
allocated, the current versions locked and the versions superseded belong to that transaction. Reads leave
out the versions of submissions still being staged (records/staging.py, the gate; ADR 0026).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from django.db import connection

from xinyong.core.bulk import allocate_ids, insert_many, select_in
from xinyong.records.machine import record_steps
from xinyong.records.models import NameChangeCandidate, Record, RecordStatus
from xinyong.records.staging import GATE_SQL_BARE

_RECORD = Record._meta.db_table
_CANDIDATE = NameChangeCandidate._meta.db_table
RECORD_COLUMNS = [
    "id", "category_id", "subject_id", "unit_id", "doc_no", "decision_date", "subject_name", "severity",
    "severity_source", "payload", "protected", "version", "is_current", "supersedes_id", "change_kind",
    "status", "publish_from", "publish_min_end", "publish_max_end", "rule_key", "rule_effective_from",
    "submission_id", "row_index", "received_at", "delay_working_days", "late", "delay_provisional",
]  # fmt: skip
CANDIDATE_COLUMNS = ["subject_id", "registry_name", "submitted_name", "submission_id", "row_index", "status"]
CANDIDATE_OPEN = "open"

# (doc_no, subject_id) → (id, version, payload as a dict, status) of the current version of a decision
CurrentVersions = dict[tuple[str, int], tuple[int, int, dict, str]]


def record_ids_allocate(n: int) -> list[int]:
    """Reserve `n` record ids for `records_insert` (core/bulk.py `allocate_ids`)."""
    return allocate_ids(_RECORD, n)


def records_insert(rows: Iterable[Sequence]) -> None:
    """Insert new record versions, each row's values in RECORD_COLUMNS order (ids from
    `record_ids_allocate`), with one prepared statement."""
    insert_many(_RECORD, RECORD_COLUMNS, rows)


def records_current_versions(*, unit_id: int, category_id: int, doc_nos: Sequence[str]) -> CurrentVersions:
    """The published current versions of the unit's decisions of a category among `doc_nos` (one current
    version per decision; a staging submission's own versions are the importer's to track), locked where the
    database can (PostgreSQL; SQLite holds its one write lock already): an
    objection flag or a repair written meanwhile must either wait for the import or be seen by it
    (staging.py `sticky_status`)."""
    # `is_current` as a literal, not a parameter: only then can SQLite use the partial unique index.
    lock = " ORDER BY id FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT doc_no, subject_id, id, version, payload, status FROM {_RECORD} WHERE unit_id = %s"
        f" AND category_id = %s AND is_current AND {GATE_SQL_BARE} AND doc_no IN ({{}})" + lock
    )
    rows = select_in(sql, doc_nos, before=[unit_id, category_id])
    # compare payloads as dicts: PostgreSQL's jsonb does not keep the key order it was given
    return {(d, s): (i, v, json.loads(p) if isinstance(p, str) else p, st) for d, s, i, v, p, st in rows}


def records_versions_by_id(ids: Sequence[int]) -> dict[int, tuple[int, int, dict]]:
    """id → (id, version, payload as a dict) of the given versions (a staging submission's own, which the
    gate hides from every other read)."""
    if not ids:
        return {}
    rows = select_in(f"SELECT id, version, payload FROM {_RECORD} WHERE id IN ({{}})", list(ids))
    return {i: (i, v, json.loads(p) if isinstance(p, str) else p) for i, v, p in rows}


def records_supersede(old_ids: list[int], *, submission_id: int, at: dt.datetime) -> None:
    """Older versions stop being current before the new ones arrive (one current version per decision):
    status `superseded`, each move written to the record's history (machine.py `record_steps`)."""
    if not old_ids:
        return
    rows = select_in(f"SELECT id, status FROM {_RECORD} WHERE id IN ({{}})", old_ids)
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE {_RECORD} SET is_current = %s, status = %s WHERE id = %s",
            [(False, RecordStatus.SUPERSEDED, i) for i in old_ids],
        )
    reason = f"被归集批次 {submission_id} 的新版本取代"
    record_steps(rows, "supersede", reason=reason, actor_label=f"submission:{submission_id}", at=at)


def name_change_candidates_insert(rows: Iterable[Sequence]) -> None:
    """Note submitted names that differ from the registry's, for review (never applied silently): rows of
    CANDIDATE_COLUMNS values, status CANDIDATE_OPEN."""
    insert_many(_CANDIDATE, CANDIDATE_COLUMNS, rows)
