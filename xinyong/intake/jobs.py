"""File imports run by the worker, never inside a web request (issue 18, ADR 0032).

`file_import_enqueue` is the one entry every channel uses to import an uploaded file (the back office today,
the portal's upload forms later): it stores the file under XINYONG_HOME in a directory of its own whose name
cannot be guessed (0700, the file 0600), then creates the job, its audit event and the outbox event
`intake.file_import` in one transaction. The worker's handler `file_import_run` claims the job under a lease,
runs `services.submission_import_file` with a progress callback that commits the job's `rows_done`, and ends
the job `done` (with its submission) or `failed` (with the refusal's code and Chinese message). A job whose
worker died is claimed again once its lease has run out; the import is idempotent (same file digest → the
first submission), so it completes once. The stored file is deleted when the job ends, either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import Role
from xinyong.audit.services import audit_append
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.hygiene import upload_name
from xinyong.core.outbox import RetryAt, outbox_emit, outside_transaction
from xinyong.intake import services
from xinyong.intake.files import FileRefused, count_rows
from xinyong.intake.models import FileImportJob, JobState

TOPIC = "intake.file_import"
MAX_BYTES = 200 * 2**20
SUFFIXES = (".csv", ".xlsx", ".jsonl")
LEASE = dt.timedelta(minutes=15)  # renewed with each committed progress step; a dead worker's job waits this
WORKER = Actor(label="system:worker", roles=frozenset({Role.ADMIN}))


def upload_root() -> Path:
    """Where uploaded files wait for the worker (settings.XINYONG_UPLOAD_DIR: `uploads/` in XINYONG_HOME)."""
    return Path(settings.XINYONG_UPLOAD_DIR)


# ── enqueue (any channel) ────────────────────────────────────────────────────────────────────────────────


def file_import_enqueue(
    *,
    actor: Actor,
    unit: Unit,
    category: Category,
    name: str,
    chunks: Iterable[bytes],
    now: dt.datetime,
    idempotency_key: str | None = None,
) -> FileImportJob:
    """Issue 18: keep an uploaded file and queue its import. Who may submit is checked here, before a byte is
    stored (the import checks it again); the type is judged by the name's suffix and the size while writing.
    Nothing is imported in the caller's request: the worker runs the job (`file_import_run`)."""
    services.require_provider(actor=actor, unit=unit, category=category)
    kept = upload_name(name) or "upload"
    if not kept.lower().endswith(SUFFIXES):
        raise DomainError(
            "file.unsupported_type", "只接受 .csv、.xlsx 或 .jsonl 文件（.xls 请在 Excel 中另存为 .xlsx）"
        )
    stored = file_store(kept, chunks)
    try:
        size, digest = stored.stat().st_size, _sha256(stored)
        with transaction.atomic():
            job = FileImportJob.objects.create(
                unit=unit, category=category, stored_path=str(stored.relative_to(upload_root())),
                file_name=kept, size=size, sha256=digest, idempotency_key=idempotency_key or "",
                actor=_actor_data(actor), submitted_by=actor.label, created_at=now,
            )  # fmt: skip
            audit_append(
                actor=actor, action="file_import.enqueue", target_type="file_import_job", target_id=job.pk,
                now=now, payload={"unit": unit.code, "category": category.code, "file": kept, "size": size,
                                  "sha256": digest},
            )  # fmt: skip
            outbox_emit(topic=TOPIC, payload={"job_id": job.pk}, now=now)
    except BaseException:
        shutil.rmtree(stored.parent, ignore_errors=True)  # nothing was queued: nothing is kept
        raise
    return job


def file_store(name: str, chunks: Iterable[bytes]) -> Path:
    """Write an upload under its own (base) name — which the import records as the submission's file name,
    shortened so that a 400-character name is not an OSError (core/hygiene.py `upload_name`) — in a new
    directory of its own with a random name (0700; the file 0600, created exclusively). Refused past
    MAX_BYTES, and then nothing is kept."""
    root = upload_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory = root / secrets.token_hex(16)
    directory.mkdir(mode=0o700)
    target, size = directory / (upload_name(name) or "upload"), 0
    try:
        with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DomainError(
                        "file.too_large", f"文件过大：超过 {MAX_BYTES // 2**20} MB 上限", status=413
                    )
                handle.write(chunk)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _actor_data(actor: Actor) -> dict:
    return {
        "label": actor.label,
        "unit_code": actor.unit_code,
        "roles": sorted(actor.roles),
        "user_id": actor.user_id,
        "token_id": actor.token_id,
        "officer": actor.officer,
        "request_id": actor.request_id,
    }


def _actor(data: dict) -> Actor:
    return Actor(**{**data, "roles": frozenset(data.get("roles", ()))})


# ── the worker's handler ─────────────────────────────────────────────────────────────────────────────────


@outside_transaction
def file_import_run(*, payload: dict, now: dt.datetime) -> None:
    """Outbox handler of `intake.file_import` (settings.XINYONG_OUTBOX_HANDLERS), run outside the event's
    transaction: a finished job is left alone (a redelivered event), a job another worker holds under a live
    lease is tried again when the lease ends, any other is claimed and imported. A refusal (DomainError,
    FileRefused, the stored file gone) ends the job `failed`; any other error frees the job and goes back to
    the outbox, which retries it with backoff."""
    job = _claim(payload["job_id"], now)
    if job is None:
        return
    path = upload_root() / job.stored_path
    try:
        FileImportJob.objects.filter(pk=job.pk).update(
            total_rows=count_rows(path) if path.is_file() else None
        )
        if not path.is_file():
            raise DomainError("file.missing", "上传的文件已不在存储目录中，请重新上传")
        outcome, _info = services.submission_import_file(
            actor=_actor(job.actor), unit=job.unit,
            category=services.category_for_submission(code=job.category.code), path=path,
            now=job.created_at, idempotency_key=job.idempotency_key or None,
            progress=JobProgress(job.pk, now=now),
        )  # fmt: skip
    except FileRefused as exc:
        _finish(job.pk, now, error=DomainError(exc.code, exc.message))
    except DomainError as exc:
        _finish(job.pk, now, error=exc)
    except BaseException:
        FileImportJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.QUEUED, lease_until=None
        )
        raise
    else:
        _finish(job.pk, now, submission=outcome.submission, replayed=outcome.replayed)


def _claim(job_id: int, now: dt.datetime) -> FileImportJob | None:
    """Take the job under a lease, in a short transaction of its own; None when it has already ended."""
    with transaction.atomic():
        locked = FileImportJob.objects.select_for_update(of=("self",)).select_related("unit", "category")
        job = locked.get(pk=job_id)
        if job.state in (JobState.DONE, JobState.FAILED):
            return None
        if job.state == JobState.RUNNING and job.lease_until and job.lease_until > now:
            raise RetryAt(job.lease_until, f"file import job {job.pk} is held until {job.lease_until}")
        job.state, job.attempts, job.lease_until = JobState.RUNNING, job.attempts + 1, now + LEASE
        job.started_at = job.started_at or now
        job.save(update_fields=["state", "attempts", "lease_until", "started_at"])
    return job


class JobProgress:
    """The import's progress callback (`Progress`: rows read since the last call): commits `rows_done` and
    renews the lease in a statement of its own. Inside a transaction (the import's own, while it writes in
    one) the write waits for that transaction's commit, so progress is committed whenever the import
    commits — once at its end today, per chunk once the import commits chunk by chunk."""

    def __init__(self, job_id: int, *, now: dt.datetime) -> None:
        self.job_id, self.now, self.start = job_id, now, time.monotonic()
        self.rows, self.pending = 0, False

    def __call__(self, rows: int) -> None:
        self.rows += rows
        if not connection.in_atomic_block:
            self.write()
        elif not self.pending:
            self.pending = True
            transaction.on_commit(self.write)

    def write(self) -> None:
        self.pending = False
        lease = self.now + dt.timedelta(seconds=time.monotonic() - self.start) + LEASE
        FileImportJob.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
            rows_done=self.rows, lease_until=lease
        )


def _finish(job_id: int, now: dt.datetime, *, error=None, submission=None, replayed=False) -> None:
    """End the job once (a second run that finds it ended changes nothing), audited; then delete the file."""
    with transaction.atomic():
        job = FileImportJob.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.RUNNING:
            return
        stored, job.stored_path, job.finished_at, job.lease_until = job.stored_path, "", now, None
        if error is None:
            job.state, job.submission, job.replayed = JobState.DONE, submission, replayed
            job.rows_done = job.total_rows = submission.total
        else:
            job.state, job.error_code, job.error_message = JobState.FAILED, error.code, error.message
        job.save()
        audit_append(
            actor=WORKER, action="file_import.finish", target_type="file_import_job", target_id=job.pk,
            now=now, payload={"state": job.state, "submission": job.submission_id, "replayed": job.replayed,
                     "rows": job.rows_done, "error_code": job.error_code},
        )  # fmt: skip
    if stored:
        shutil.rmtree((upload_root() / stored).parent, ignore_errors=True)
