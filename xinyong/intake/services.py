"""Writes of the intake app: receiving a submission (API batch or file), validated row by row against the
catalog, the accepted rows written as record versions (issue 3)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import SUBMITTERS, Role
from xinyong.catalog.models import Category
from xinyong.catalog.selectors import category_active_bare, rule_versions
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.intake.export import ANNOTATION_COLUMNS, rows_unannotated
from xinyong.intake.files import FileInfo, FileRefused, open_rows
from xinyong.intake.importer import CategoryContext, Progress, RecordImporter
from xinyong.intake.models import Submission, SubmissionState
from xinyong.intake.receiving import receive_new, receive_resume, refuse_second_staging
from xinyong.intake.validation import FieldInfo, RowValidator
from xinyong.records.keys import record_keys
from xinyong.records.severity import SEVERITY_FIELD, Tables, Versions

MAX_API_ROWS = 10_000


@dataclass(frozen=True)
class SubmissionSource:
    """Where a submission comes from: the channel, its idempotency key, a digest of its body, file facts."""

    channel: str
    idempotency_key: str
    body_sha256: str
    file_name: str = ""
    file_format: str = ""
    file_encoding: str = ""


@dataclass(frozen=True)
class SubmissionOutcome:
    submission: Submission
    replayed: bool


def body_digest(category: str, rows: list) -> str:
    """SHA-256 of a canonical JSON form of an API body (same rows, same digest, whatever the key order)."""
    text = json.dumps({"category": category, "rows": rows}, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def category_for_submission(*, code: str) -> Category:
    category = category_active_bare(code=code)
    if category is None:
        raise NotFound("catalog.category_not_found", f"信息类别不存在：{code}")
    if code not in record_keys():
        raise DomainError("submission.category_not_importable", f"类别 {code} 尚未配置归集字段映射")
    return category


def require_provider(*, actor: Actor, unit: Unit, category: Category) -> None:
    """Only a data officer of a unit that provides the category may submit it (catalog providers)."""
    actor.require(*SUBMITTERS)
    if actor.unit_code and actor.unit_code != unit.code and not actor.has_role(Role.ADMIN):
        raise PermissionDenied("submission.other_unit", "只能以本单位名义报送")
    providing = category.providers_open and "provider" in unit.roles
    if not providing and not category.providers.filter(pk=unit.pk).exists():
        raise PermissionDenied(
            "submission.not_provider", f"{unit.name}不是类别“{category.name}”的数据提供单位"
        )


def submission_receive(
    *,
    actor: Actor,
    unit: Unit,
    category: Category,
    rows: Iterable[tuple[int, dict]],
    source: SubmissionSource,
    now: dt.datetime,
    progress: Progress | None = None,
) -> SubmissionOutcome:
    """Receive a batch (API) or a file: validate every row, write accepted rows as record versions, keep the
    rejected ones with their errors. Visible all at once: in one transaction when it fits in one chunk, else
    staged chunk by chunk and published at the end (issue 18, intake/receiving.py, ADR 0026). The same
    idempotency key with the same body answers with the first submission and adds nothing once it is done,
    and carries an interrupted one on from its last committed chunk; with another body it is refused (409)."""
    require_provider(actor=actor, unit=unit, category=category)
    first = _replay(unit, source)
    if first is not None and first.state == SubmissionState.DONE:
        return SubmissionOutcome(first, True)
    importer = RecordImporter(
        validator=row_validator(category=category, today=business_date(now)),
        category=_context(category),
        unit_id=unit.pk,
        now=now,
        keep_row_errors=source.channel == "api",
    )
    try:
        if first is not None:  # an interrupted import of the same body: carry on (with its own `now`)
            return SubmissionOutcome(receive_resume(actor, importer, first, rows, progress), False)
        return SubmissionOutcome(receive_new(actor, importer, _new(actor, unit, category, source, now), rows,
                                             progress), False)  # fmt: skip
    except FileRefused as exc:  # a file (or posted list) that cannot be read whole: nothing was written
        raise DomainError(exc.code, exc.message, status=422, extra={"details": exc.details}) from exc
    except IntegrityError:  # a concurrent request with the same key committed first
        replay = _replay(unit, source)
        if replay is not None and replay.state == SubmissionState.DONE:
            return SubmissionOutcome(replay, True)
        if replay is not None:
            raise Conflict(
                "submission.in_progress",
                f"归集批次 #{replay.pk} 正在接收中，请稍后以同一幂等键重试",
                submission_id=replay.pk,
            ) from None
        refuse_second_staging(unit.pk, category.pk)
        raise


def _replay(unit: Unit, source: SubmissionSource) -> Submission | None:
    """The submission already made with this key: answered (done), carried on (receiving), or refused
    (another body, or abandoned)."""
    first = Submission.objects.filter(unit=unit, idempotency_key=source.idempotency_key).first()
    if first is None:
        return None
    if first.body_sha256 != source.body_sha256:
        raise Conflict(
            "submission.idempotency_conflict",
            f"幂等键 {source.idempotency_key} 已用于内容不同的批次 #{first.pk}，请使用新的幂等键",
            submission_id=first.pk,
        )
    if first.state == SubmissionState.ABANDONED:
        raise Conflict(
            "submission.abandoned",
            f"幂等键 {source.idempotency_key} 的批次 #{first.pk} 已放弃，请使用新的幂等键重新报送",
            submission_id=first.pk,
        )
    return first


def _new(actor: Actor, unit: Unit, category: Category, source: SubmissionSource, now: dt.datetime):
    """The submission, not yet saved (its first transaction saves it with its first chunk)."""
    return Submission(
        unit=unit,
        category=category,
        channel=source.channel,
        idempotency_key=source.idempotency_key,
        body_sha256=source.body_sha256,
        submitted_by=actor.label,
        received_at=now,
        file_name=source.file_name,
        file_format=source.file_format,
        file_encoding=source.file_encoding,
    )


def row_validator(*, category: Category, today: dt.date) -> RowValidator:
    fields = [
        FieldInfo(f.code, f.name, f.type, f.required, f.rule, f.max_length, f.options)
        for f in category.fields.filter(active=True).order_by("order")
    ]
    return RowValidator(
        category_code=category.code,
        fields=fields,
        keys=record_keys()[category.code],
        severities=list(category.severity_tiers),
        polarity=category.polarity,
        today=today,
        tables=_severity_tables() if category.polarity == "negative" else None,
        subject_kinds=list(category.subject_kinds or []),
        category_name=category.name,
    )


def _severity_tables() -> Tables:
    """The rules.yaml rows the tier and the minor-publication choice read (records/severity.py)."""

    def versions(key: str) -> Versions:
        return Versions.of((rule.effective_from, rule.values) for rule in rule_versions(key=key))

    return Tables(
        procedure=versions("severity.procedure"),
        penalty_type=versions("severity.penalty_type"),
        minor_publication=versions("publication.penalty.minor"),
    )


def _context(category: Category) -> CategoryContext:
    masked = tuple(category.fields.filter(active=True, options__masked=True).values_list("code", flat=True))
    return CategoryContext(
        category_id=category.pk,
        code=category.code,
        publication_rule=category.publication_rule,
        deadline_working_days=category.deadline_working_days if category.shuanggongshi else None,
        masked_fields=masked,
    )


def _file_limits() -> dict[str, int]:
    """XLSX limits from the settings (issue 12: refuse a shared-string bomb before openpyxl loads it)."""
    return {
        "max_shared_strings": settings.XINYONG_XLSX_MAX_SHARED_STRINGS,
        "max_cells": settings.XINYONG_XLSX_MAX_CELLS,
    }


def submission_import_file(
    *,
    actor: Actor,
    unit: Unit,
    category: Category,
    path: str | Path,
    now: dt.datetime,
    idempotency_key: str | None = None,
    progress: Progress | None = None,
) -> tuple[SubmissionOutcome, FileInfo]:
    """Import a CSV (UTF-8 / GB18030), XLSX or JSON Lines file. Its idempotency key defaults to the file's
    SHA-256, so importing the same file twice is a replay; the header must use the catalog's field codes.
    A fixed rejected-rows report (columns 行号、错误 besides the fields) imports as its rows (issue 13)."""
    path = Path(path)
    digest = _file_digest(path, category.code)
    try:
        info, rows = open_rows(path, **_file_limits())
    except FileRefused as exc:
        raise DomainError(exc.code, exc.message, status=422, extra={"details": exc.details}) from exc
    try:
        _check_header(info.header, category)
        source = SubmissionSource(
            channel="file", idempotency_key=idempotency_key or f"file:{digest}", body_sha256=digest,
            file_name=path.name[:255], file_format=info.format, file_encoding=info.encoding,
        )  # fmt: skip
        annotated = any(name in ANNOTATION_COLUMNS for name in info.header)
        outcome = submission_receive(
            actor=actor, unit=unit, category=category, rows=rows_unannotated(rows) if annotated else rows,
            source=source, now=now, progress=progress,
        )  # fmt: skip
        return outcome, info
    finally:
        rows.close()


def _file_digest(path: Path, category_code: str) -> str:
    digest = hashlib.sha256(f"{category_code}\n".encode())
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_header(header: list[str], category: Category) -> None:
    """A column the catalog does not define refuses the whole file, naming the columns (not every row).
    The two columns a rejected-rows report adds (行号、错误) are not data and are ignored."""
    known = set(category.fields.filter(active=True).values_list("code", flat=True)) | {SEVERITY_FIELD}
    known |= set(ANNOTATION_COLUMNS)
    unknown = [h for h in header if h not in known]
    if unknown:
        columns = "、".join(unknown)
        message = f"表头含有类别 {category.code} 未定义的列：{columns}（请使用目录字段代码作为表头）"
        raise DomainError("file.unknown_columns", message, status=422, extra={"columns": unknown})
