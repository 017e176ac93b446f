"""Staged publication of a submission's record versions (issue 18, ADR 0026): the gate and its three doors.

A submission larger than one chunk is written in several short write transactions (intake/receiving.py), so
other writers (checks) get the lock between chunks. Its versions go into `records_record` with their final
values while a `RecordBatch` row names the submission; every read of records leaves them out (the default
manager `Record.objects`, and `GATE_SQL` in each raw read: shown.py, bulk.py). A version that corrects or
resubmits a published current version is staged with `is_current` false: the old version stays current and
visible until publication.

- `batch_open`: the gate row, in the submission's first chunk transaction (one per unit and category).
- `batch_publish`: one short transaction flips every staged correction (old → superseded with its history
  row, new → current with the sticky status re-derived from the old one's status now) and deletes the gate
  row: readers see the whole submission at once.
- `batch_abandon_step`: an abandoned import's versions deleted in bounded transactions, then the gate row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection

from xinyong.core.bulk import execute, select_in
from xinyong.records.machine import record_steps
from xinyong.records.models import NameChangeCandidate, Record, RecordBatch, RecordStatus, RecordStatusChange

_RECORD = Record._meta.db_table
_BATCH = RecordBatch._meta.db_table
_HISTORY = RecordStatusChange._meta.db_table
_CANDIDATE = NameChangeCandidate._meta.db_table
_SUPERSEDED = f"'{RecordStatus.SUPERSEDED}'"
# the gate as a clause for raw reads of records aliased `r` (or unaliased with `GATE_SQL_BARE`)
GATE_SQL = f"r.submission_id NOT IN (SELECT submission_id FROM {_BATCH})"
GATE_SQL_BARE = f"submission_id NOT IN (SELECT submission_id FROM {_BATCH})"


def sticky_status(previous: str | None, computed: str) -> str:
    """The status of a new version: what its window says, except that an objection flag and a repair follow
    the decision (records/flags.py): a corrected record under objection stays flagged while public, and a
    repaired record never becomes public again by a resubmission. `previous`: the status of the version it
    replaces (None for a first version); at publication, that version's status at that moment."""
    if previous == RecordStatus.REPAIRED:
        return RecordStatus.REPAIRED
    if previous == RecordStatus.UNDER_OBJECTION and computed == RecordStatus.PUBLISHED:
        return RecordStatus.UNDER_OBJECTION
    return computed


def batch_open(*, submission_id: int, unit_id: int, category_id: int, at: dt.datetime) -> None:
    """Close the gate on a submission about to be staged, inside its first chunk transaction. A second
    staging submission of the same unit and category raises IntegrityError
    (record_batch_one_per_unit_category): the caller answers 409."""
    RecordBatch.objects.create(
        submission_id=submission_id, unit_id=unit_id, category_id=category_id, started_at=at
    )


def batch_staging(*, unit_id: int, category_id: int) -> int | None:
    """The submission staging the unit's records of the category, if one is."""
    return (
        RecordBatch.objects.filter(unit_id=unit_id, category_id=category_id)
        .values_list("submission_id", flat=True)
        .first()
    )


def batch_serious_subjects(*, submission_id: int) -> list[int]:
    """Subjects that receive a serious record in this submission (the import's announcement), sorted."""
    rows = execute(
        f"SELECT DISTINCT subject_id FROM {_RECORD} WHERE submission_id = %s AND severity = 'serious'",
        [submission_id],
    ).fetchall()
    return sorted(r[0] for r in rows)


def batch_name_checked(*, submission_id: int) -> set[int]:
    """Subjects whose submitted name the submission already noted for review (a resumed import notes each
    subject once, as an uninterrupted one does)."""
    rows = execute(
        f"SELECT subject_id FROM {_CANDIDATE} WHERE submission_id = %s", [submission_id]
    ).fetchall()
    return {r[0] for r in rows}


def batch_live_versions(*, submission_id: int) -> dict[tuple[str, int], tuple[int, bool]]:
    """(doc_no, subject) → (id, is_current) of the submission's own live versions (not superseded within
    it): a resumed import carries on from them."""
    rows = execute(
        f"SELECT doc_no, subject_id, id, is_current FROM {_RECORD} WHERE submission_id = %s"
        f" AND status <> {_SUPERSEDED}",
        [submission_id],
    ).fetchall()
    return {(d, s): (i, bool(c)) for d, s, i, c in rows}


def batch_publish(*, submission_id: int, at: dt.datetime) -> int:
    """Open the gate (inside the caller's write transaction): every staged correction replaces the current
    version of its decision — the old one `superseded` with its history row (machine.py `record_steps`), the
    new one current with the sticky status (`sticky_status`) re-derived from the old one's status
    at this moment, the old versions locked on PostgreSQL — then the gate row goes. Returns how many versions
    were flipped."""
    heads = execute(
        f"SELECT id, unit_id, category_id, doc_no, subject_id, status FROM {_RECORD}"
        f" WHERE submission_id = %s AND is_current = %s AND status <> {_SUPERSEDED}",
        [submission_id, False],
    ).fetchall()
    flips: list[tuple[int, int, str]] = []  # (new id, old id, new status)
    old_rows: list[tuple[int, str]] = []
    if heads:
        unit_id, category_id = heads[0][1], heads[0][2]
        current = _current_locked(unit_id, category_id, sorted({h[3] for h in heads}))
        for new_id, _, _, doc_no, subject_id, status in heads:
            old = current.get((doc_no, subject_id))
            if old is None:  # gone (not possible while the batch stages): the new one leads
                flips.append((new_id, 0, status))
                continue
            old_rows.append(old)
            flips.append((new_id, old[0], sticky_status(old[1], status)))
    with connection.cursor() as cur:
        if old_rows:
            cur.executemany(
                f"UPDATE {_RECORD} SET is_current = %s, status = %s WHERE id = %s",
                [(False, RecordStatus.SUPERSEDED, i) for i, _ in old_rows],
            )
            reason = f"被归集批次 {submission_id} 的新版本取代"
            record_steps(
                old_rows, "supersede", reason=reason, actor_label=f"submission:{submission_id}", at=at
            )
        if flips:
            cur.executemany(
                f"UPDATE {_RECORD} SET is_current = %s, status = %s WHERE id = %s",
                [(True, status, new_id) for new_id, _, status in flips],
            )
        cur.execute(f"DELETE FROM {_BATCH} WHERE submission_id = %s", [submission_id])
    return len(flips)


def _current_locked(unit_id: int, category_id: int, doc_nos: Sequence[str]) -> dict[tuple[str, int], tuple]:
    """(doc_no, subject) → (id, status) of the published current versions, locked on PostgreSQL."""
    lock = " ORDER BY id FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT doc_no, subject_id, id, status FROM {_RECORD} WHERE unit_id = %s AND category_id = %s"
        " AND is_current AND doc_no IN ({})" + lock
    )
    rows = select_in(sql, doc_nos, before=[unit_id, category_id])
    return {(d, s): (i, st) for d, s, i, st in rows}


def batch_abandon_step(*, submission_id: int, limit: int) -> int:
    """One bounded step of rolling an abandoned import back (inside the caller's transaction): delete up to
    `limit` of its staged versions — newest first, so that no row is deleted while a later version of the
    same submission still points at it — with their history rows. Returns how many were deleted; 0 once none
    is left. The gate row stays until `batch_close`."""
    ids = [
        r[0]
        for r in execute(
            f"SELECT id FROM {_RECORD} WHERE submission_id = %s ORDER BY id DESC LIMIT %s",
            [submission_id, limit],
        ).fetchall()
    ]
    if ids:
        select_in(f"DELETE FROM {_HISTORY} WHERE record_id IN ({{}}) RETURNING id", ids)
        select_in(f"DELETE FROM {_RECORD} WHERE id IN ({{}}) RETURNING id", ids)
    return len(ids)


def batch_close(*, submission_id: int) -> None:
    """The abandoned submission's name-change notes and its gate row go (after its last version)."""
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {_CANDIDATE} WHERE submission_id = %s", [submission_id])
        cur.execute(f"DELETE FROM {_BATCH} WHERE submission_id = %s", [submission_id])
