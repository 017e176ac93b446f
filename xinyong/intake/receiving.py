"""Receiving a submission in bounded write transactions (issue 18, ADR 0026).

A submission that fits in one chunk (`chunk_rows()`: settings.XINYONG_IMPORT_CHUNK_ROWS, by default 1,000 rows
on SQLite and 5,000 on PostgreSQL, ADR 0044) is written and published in one transaction, as before. A larger
one is staged: its first transaction creates the submission (`receiving`) and closes the gate on it
(records/staging.py `batch_open`); each chunk is validated and prepared outside any transaction (with
XINYONG_IMPORT_READ_AHEAD, the next one in a second thread while this one is written: intake/ahead.py), then
written in its own short one together with the submission's progress (rows done, counts so far), its size
bounded by time (intake/chunking.py, ADR 0041); a last short
transaction publishes it (the gate opens, corrections flip) and writes the final counts, the announcement and
the audit event. Between transactions the write lock is free: checks get in, and see none of the staged
versions.

A killed import leaves its staged versions invisible; running the same import again (same idempotency key and
body) resumes after the last committed chunk (`submission_resume`). An operator may instead roll it back
(`submission_abandon`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from django.db import transaction

from xinyong.accounts.roles import Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.durability import commits_not_awaited
from xinyong.core.errors import Conflict, NotFound
from xinyong.core.outbox import outbox_emit
from xinyong.core.sqlitedb.checkpoints import checkpoints_after_commits
from xinyong.intake.ahead import chunks_ahead, read_ahead
from xinyong.intake.chunking import ChunkSizer, chunk_rows
from xinyong.intake.importer import ImportCounts, Progress, RecordImporter
from xinyong.intake.models import RejectedRow, Submission, SubmissionState
from xinyong.records.staging import (
    batch_abandon_step,
    batch_close,
    batch_open,
    batch_publish,
    batch_serious_subjects,
    batch_staging,
)

_PROGRESS_FIELDS = ["total", "accepted", "rejected", "subjects_created", "late", "versions", "rows_done",
                    "result", "columns"]  # fmt: skip


def receive_new(
    actor: Actor,
    importer: RecordImporter,
    submission: Submission,
    rows: Iterable[tuple[int, dict]],
    progress: Progress | None,
) -> Submission:
    """A new submission (unsaved `submission`): one transaction if it fits in one chunk, else staged."""
    it = iter(rows)
    first = list(islice(it, chunk_rows()))
    peek = next(it, None)
    if peek is None:  # one chunk: written and published together, as before issue 18
        prepared = importer.prepare(first)
        with transaction.atomic():
            submission.state = SubmissionState.RECEIVING
            submission.save()
            importer.bind(submission.pk)
            importer.write(prepared)
            _publish(actor, importer, submission, serious=None)
        if progress:
            progress(prepared.size)
        return submission
    with transaction.atomic():
        refuse_second_staging(submission.unit_id, submission.category_id)
        submission.state = SubmissionState.RECEIVING
        submission.save()
        importer.bind(submission.pk)
        batch_open(submission_id=submission.pk, unit_id=submission.unit_id,
                   category_id=submission.category_id, at=importer.now)  # fmt: skip
    return _stage_rest(actor, importer, submission, chain(first, [peek], it), progress)


def receive_resume(
    actor: Actor,
    importer: RecordImporter,
    submission: Submission,
    rows: Iterable[tuple[int, dict]],
    progress: Progress | None,
) -> Submission:
    """Carry on an unfinished submission after the rows its committed chunks hold (issue 18)."""
    importer.resume(submission.pk, _counts_of(submission))
    it = iter(rows)
    skipped = sum(1 for _ in islice(it, submission.rows_done))
    if progress and skipped:
        progress(skipped)
    return _stage_rest(actor, importer, submission, it, progress)


def _stage_rest(
    actor: Actor,
    importer: RecordImporter,
    submission: Submission,
    rows: Iterator[tuple[int, dict]],
    progress: Progress | None,
) -> Submission:
    sizer = ChunkSizer()
    # the chunks' commits are not waited for on disk (ADR 0043): the publication's is, and it syncs them all
    # checkpoints: SQLite's, never inside the lock; chunks: read and validated outside the write transaction,
    # the next one while this one is written (intake/ahead.py, ADR 0044)
    with (
        commits_not_awaited(),
        checkpoints_after_commits() as checkpoint,
        chunks_ahead(rows, sizer, importer, ahead=read_ahead()) as chunks,
    ):
        for prepared in chunks:
            with sizer.timed(prepared.size), transaction.atomic():
                _lock_receiving(submission)
                importer.write(prepared)
                _save_progress(importer, submission, prepared.size)
            checkpoint(prepared.size)
            if progress:
                progress(prepared.size)
    serious = batch_serious_subjects(submission_id=submission.pk)  # the staged rows no other writer touches
    with transaction.atomic():
        _lock_receiving(submission)
        _publish(actor, importer, submission, serious=serious)
    return submission


def refuse_second_staging(unit_id: int, category_id: int) -> None:
    """Two staging submissions of one unit and category would stage versions of the same decisions."""
    other = batch_staging(unit_id=unit_id, category_id=category_id)
    if other is not None:
        raise Conflict(
            "submission.import_in_progress",
            f"本单位该类别的归集批次 #{other} 尚未导入完成，请待其完成（或续传、放弃）后再报送",
            submission_id=other,
        )


def _lock_receiving(submission: Submission) -> None:
    """Inside a chunk's transaction: the submission is still receiving and no other process wrote a chunk of
    it since ours (two runs of one interrupted import: one carries on, the other stops)."""
    row = Submission.objects.select_for_update().values("state", "rows_done").get(pk=submission.pk)
    if row["state"] != SubmissionState.RECEIVING or row["rows_done"] != submission.rows_done:
        raise Conflict(
            "submission.in_progress",
            f"归集批次 #{submission.pk} 正由另一次导入续传或已被放弃，本次已停止",
            submission_id=submission.pk,
        )


def _save_progress(importer: RecordImporter, submission: Submission, size: int) -> None:
    """The chunk's counts and the rows done, committed with the chunk's rows."""
    submission.rows_done += size
    _copy_counts(importer.counts, submission)
    submission.save(update_fields=_PROGRESS_FIELDS)


def _copy_counts(counts: ImportCounts, submission: Submission) -> None:
    submission.total, submission.accepted, submission.rejected = (
        counts.total,
        counts.accepted,
        counts.rejected,
    )
    submission.subjects_created, submission.late = counts.subjects_created, counts.late
    submission.versions = counts.versions
    submission.result = {"rejected_rows": counts.rejected_rows} if submission.channel == "api" else {}
    if counts.warned:  # accepted rows worth a look (uscc.region_unknown): kept for API and file alike
        submission.result.update(warned=counts.warned, warning_rows=counts.warning_rows)
    submission.columns = list(counts.columns)


def _counts_of(submission: Submission) -> ImportCounts:
    result = submission.result
    return ImportCounts(
        total=submission.total, accepted=submission.accepted, rejected=submission.rejected,
        subjects_created=submission.subjects_created, late=submission.late, versions=submission.versions,
        rejected_rows=list(result.get("rejected_rows", [])), warned=result.get("warned", 0),
        warning_rows=list(result.get("warning_rows", [])), columns=dict.fromkeys(submission.columns),
    )  # fmt: skip


def _publish(
    actor: Actor, importer: RecordImporter, submission: Submission, *, serious: list[int] | None
) -> None:
    """The publication transaction's work: the gate opens and corrections flip (records/staging.py), the
    serious-subject announcement, the final counts and the audit event `submission.receive` (as before)."""
    batch_publish(submission_id=submission.pk, at=importer.now)
    if serious is None:
        serious = batch_serious_subjects(submission_id=submission.pk)
    if serious:  # subjects with a serious negative record leave their red lists (the lists app ends them)
        outbox_emit(
            topic="records.serious_negative",
            now=importer.now,
            payload={"subject_ids": serious, "submission_id": submission.pk},
        )
    submission.state = SubmissionState.DONE
    _copy_counts(importer.counts, submission)
    submission.save(update_fields=[*_PROGRESS_FIELDS, "state"])
    counts = importer.counts
    audit_append(
        actor=actor,
        action="submission.receive",
        target_type="submission",
        target_id=submission.pk,
        now=importer.now,
        payload={
            "unit": submission.unit.code,
            "category": submission.category.code,
            "channel": submission.channel,
            "total": counts.total,
            "accepted": counts.accepted,
            "rejected": counts.rejected,
            "versions": counts.versions,
            "subjects_created": counts.subjects_created,
            "late": counts.late,
            "warned": counts.warned,
            "file": submission.file_name,
        },
    )


# ── abandoning an interrupted import ─────────────────────────────────────────────────────────────────────

ABANDON_STEP = 2000


def submission_abandon(*, actor: Actor, submission_id: int, reason: str, now: dt.datetime) -> dict[str, int]:
    """Roll an interrupted import back (issue 18): the submission becomes `abandoned` at once (a run still
    going stops at its next chunk), then its staged versions and rejected rows are deleted in bounded
    transactions, then its gate row. Nothing of it was ever visible. Re-running after an interruption carries
    on. Subjects it created stay in the registry (ADR 0026). Audited (`submission.abandon`)."""
    actor.require(Role.ADMIN)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None:
            raise NotFound("submission.not_found", f"归集批次 {submission_id} 不存在")
        if submission.state == SubmissionState.DONE:
            raise Conflict(
                "submission.done",
                f"归集批次 #{submission_id} 已导入完成，不能放弃（请以更正或撤回处理）",
                submission_id=submission_id,
            )
        rows_done = submission.rows_done
        submission.state = SubmissionState.ABANDONED
        submission.save(update_fields=["state"])
    deleted = {"records": 0, "rejected_rows": 0}
    while True:
        with transaction.atomic():
            n = batch_abandon_step(submission_id=submission_id, limit=ABANDON_STEP)
        deleted["records"] += n
        if not n:
            break
    while True:
        with transaction.atomic():
            ids = list(submission.rejected_rows.values_list("pk", flat=True)[:ABANDON_STEP])
            RejectedRow.objects.filter(pk__in=ids).delete()
        deleted["rejected_rows"] += len(ids)
        if not ids:
            break
    with transaction.atomic():
        batch_close(submission_id=submission_id)
        _copy_counts(ImportCounts(), submission)
        submission.rows_done = 0
        submission.save(update_fields=_PROGRESS_FIELDS)
        audit_append(
            actor=actor,
            action="submission.abandon",
            target_type="submission",
            target_id=submission_id,
            now=now,
            reason=reason,
            payload={"rows_done": rows_done, **deleted},
        )
    return deleted
