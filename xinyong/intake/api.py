"""Submissions (归集) over HTTP: a batch of rows, a submission's answer, its rejected rows (issue 3)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Status

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
from xinyong.accounts.roles import RECORDS_OVERSIGHT, Role
from xinyong.core.api import (
    IDEMPOTENCY_KEY_PARAMETER,
    file_answer,
    one_of,
)
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now, rfc3339
from xinyong.intake import selectors, services
from xinyong.intake.export import write_rejected_csv, write_rejected_xlsx
from xinyong.intake.jsonl import rows_from_json_list
from xinyong.intake.schemas import SubmissionIn, SubmissionOut
from xinyong.subjects.identity import person_decrypt

router = Router(tags=["submissions"])


def submission_answer(submission, replayed: bool) -> dict:
    return {
        "submission_id": submission.pk,
        "category": submission.category.code,
        "unit": submission.unit.code,
        "channel": submission.channel,
        "received_at": rfc3339(submission.received_at),
        "total": submission.total,
        "accepted": submission.accepted,
        "rejected": submission.rejected,
        "subjects_created": submission.subjects_created,
        "late": submission.late,
        "replayed": replayed,
        "rejected_rows": submission.result.get("rejected_rows", []),
        "warned": submission.result.get("warned", 0),
        "warning_rows": submission.result.get("warning_rows", []),
    }


@router.post(
    "/submissions",
    response={200: SubmissionOut, 201: SubmissionOut},
    auth=TokenAuth(),
    operation_id="submissions_create",
    summary="报送一批信用信息（需 Idempotency-Key）",
    openapi_extra={"parameters": [IDEMPOTENCY_KEY_PARAMETER]},
)
def submissions_create(request: HttpRequest, body: SubmissionIn):
    """Every row is validated against the catalog; rejected rows come back with field-level errors."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 128:
        raise DomainError(
            "submission.idempotency_key_required", "请求头 Idempotency-Key 必填（1–128 个字符）"
        )
    if len(body.rows) > services.MAX_API_ROWS:
        raise DomainError(
            "submission.too_many_rows",
            f"每次最多 {services.MAX_API_ROWS} 行，实为 {len(body.rows)}",
            status=413,
        )
    actor = request_actor(request)
    category = services.category_for_submission(code=body.category)
    source = services.SubmissionSource(
        channel="api", idempotency_key=key, body_sha256=services.body_digest(body.category, body.rows)
    )
    outcome = services.submission_receive(
        actor=actor,
        unit=request.auth.unit,
        category=category,
        rows=rows_from_json_list(body.rows),
        source=source,
        now=now(),
    )
    return Status(200 if outcome.replayed else 201, submission_answer(outcome.submission, outcome.replayed))


@router.get(
    "/submissions/{submission_id}",
    response=SubmissionOut,
    auth=TokenAuth(),
    operation_id="submissions_get",
    summary="查看本单位的一个归集批次",
)
def submissions_get(request: HttpRequest, submission_id: int):
    submission = selectors.submission_get(submission_id=submission_id, unit_code=_own_unit(request))
    return submission_answer(submission, False)


@router.get(
    "/submissions/{submission_id}/rejected",
    auth=TokenAuth(),
    operation_id="submissions_rejected",
    summary="下载退回行（原始列加错误说明），修改后只需重报这些行",
    openapi_extra=file_answer(
        "CSV（format=csv）或 XLSX（format=xlsx）",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
)
def submissions_rejected(request: HttpRequest, submission_id: int, format: one_of("csv", "xlsx") = "csv"):
    submission = selectors.submission_get(submission_id=submission_id, unit_code=_own_unit(request))
    if format not in ("csv", "xlsx"):
        raise DomainError("export.format_invalid", "format 只能是 csv 或 xlsx")
    header, rows = _rejected_rows(request, submission)
    name = f"rejected-{submission.pk}.{format}"
    if format == "csv":
        buffer = io.StringIO()
        write_rejected_csv(buffer, header, rows)
        return _download(buffer.getvalue().encode("utf-8"), name, "text/csv; charset=utf-8")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_rejected_xlsx(handle.name, header, rows)
        data = Path(handle.name).read_bytes()
    return _download(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _rejected_rows(request: HttpRequest, submission):
    """The unit's own rows as it sent them (protected fields decrypted for the submitting unit only)."""
    rows = selectors.rejected_rows(submission=submission)
    actor = request_actor(request)
    if actor.unit_code != submission.unit.code or not actor.has_role(Role.DATA_OFFICER):  # others: masked
        return submission.columns, ((r.row_index, r.row, r.errors) for r in rows)
    return submission.columns, ((r.row_index, {**r.row, **_clear(r.protected)}, r.errors) for r in rows)


def _clear(protected: dict) -> dict:
    return {k: person_decrypt(v) for k, v in protected.items()}


def _own_unit(request: HttpRequest) -> str | None:
    actor = request_actor(request)
    return None if actor.has_role(*RECORDS_OVERSIGHT) else actor.unit_code


def _download(data: bytes, name: str, content_type: str):
    response = StreamingHttpResponse(iter([data]), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
