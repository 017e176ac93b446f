"""Submissions (归集), withdrawals, 双公示 publicity and timeliness over HTTP (issue 3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Status

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth, request_actor
from xinyong.accounts.selectors import unit_get
from xinyong.core.api import (
    IDEMPOTENCY_KEY_PARAMETER,
    MAX_PAGE_SIZE,
    IsoDate,
    decode_cursor,
    file_answer,
    one_of,
    text_matching,
)
from xinyong.core.errors import DomainError
from xinyong.core.pagination import keyset_page
from xinyong.core.timeutil import business_date, now, rfc3339
from xinyong.disclosure.consents import consent_grant, consent_list, consent_revoke
from xinyong.records import selectors, services
from xinyong.records.export import escape_cell, write_rejected_csv, write_rejected_xlsx
from xinyong.records.files import rows_from_json_list
from xinyong.records.querylog import query_log_for_subject
from xinyong.records.schemas import (
    ConsentIn,
    ConsentOut,
    PublicityPageOut,
    QueryLogOut,
    RecordVersionOut,
    RecordWithdrawIn,
    SubmissionIn,
    SubmissionOut,
    TimelinessOut,
)
from xinyong.subjects.identity import person_decrypt

router = Router(tags=["submissions"])
publicity_router = Router(tags=["publicity"])
PublicityKind = one_of(*selectors.PUBLICITY_CATEGORIES)  # anything else answers 404
Month = text_matching(r"^\d{4}-(0[1-9]|1[0-2])$")


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
    if actor.unit_code != submission.unit.code or not actor.has_role("data_officer"):  # others: masked
        return submission.columns, ((r.row_index, r.row, r.errors) for r in rows)
    return submission.columns, ((r.row_index, {**r.row, **_clear(r.protected)}, r.errors) for r in rows)


def _clear(protected: dict) -> dict:
    return {k: person_decrypt(v) for k, v in protected.items()}


def _own_unit(request: HttpRequest) -> str | None:
    actor = request_actor(request)
    return None if actor.has_role("admin", "auditor") else actor.unit_code


def _download(data: bytes, name: str, content_type: str):
    response = StreamingHttpResponse(iter([data]), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/records/{record_id}/withdrawal",
    response={201: RecordVersionOut},
    auth=TokenAuth(),
    operation_id="records_withdraw",
    summary="提供单位撤回一条信息（生成撤回版本）",
)
def records_withdraw(request: HttpRequest, record_id: int, body: RecordWithdrawIn):
    record = services.record_withdraw(
        actor=request_actor(request), record_id=record_id, reason=body.reason, now=now()
    )
    return Status(
        201,
        {
            "record_id": record.pk,
            "version": record.version,
            "status": record.status,
            "supersedes": record.supersedes_id,
        },
    )


@router.get(
    "/timeliness",
    response=TimelinessOut,
    auth=TokenAuth(),
    operation_id="timeliness_report",
    summary="双公示报送及时性（按单位、按月）",
)
def timeliness_report(request: HttpRequest, unit: str | None = None, month: Month | None = None):
    if month and not _is_month(month):
        raise DomainError("timeliness.month_invalid", "month 格式应为 YYYY-MM")
    unit_obj = unit_get(name_or_code=unit) if unit else None
    return {"rows": selectors.timeliness_report(unit=unit_obj, month=month)}


def _is_month(text: str) -> bool:
    try:
        dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        return False
    return len(text) == 7


# ── 双公示 publicity ─────────────────────────────────────────────────────────────────────────────────────


def _publicity_query(kind: str, unit, date_from, date_to, subject) -> selectors.PublicityQuery:
    return selectors.PublicityQuery(
        kind=kind, unit=unit, date_from=date_from, date_to=date_to, subject=subject, on=business_date(now())
    )


@publicity_router.get(
    "/{kind}",
    response=PublicityPageOut,
    auth=OptionalTokenAuth(),
    operation_id="publicity_list",
    summary="双公示：行政许可（licences）、行政处罚（penalties）",
)
def publicity_list(
    request: HttpRequest,
    kind: PublicityKind,
    unit: str | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    subject: str | None = None,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
):
    """Public-tier fields of published records only; persons appear with their masked ID number."""
    category, records = selectors.publicity_records(_publicity_query(kind, unit, date_from, date_to, subject))
    if cursor:
        records = selectors.after_cursor(records, _cursor(cursor))
    fields = selectors.public_fields(category)
    return keyset_page(
        request,
        records,
        limit=limit,
        cursor_of=lambda r: {"d": r.decision_date.isoformat(), "i": r.pk},
        shape=lambda r: selectors.publicity_item(r, fields, category.code),
    )


def _cursor(text: str) -> dict:
    value = decode_cursor(text)
    try:
        dt.date.fromisoformat(value["d"])
        int(value["i"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError("cursor.invalid", "分页游标无效") from exc
    return value


@publicity_router.get(
    "/{kind}/export",
    auth=OptionalTokenAuth(),
    operation_id="publicity_export",
    summary="双公示批量导出（CSV 或 JSON Lines，流式）",
    openapi_extra=file_answer(
        "CSV（format=csv）或 JSON Lines（format=jsonl）", "text/csv", "application/x-ndjson"
    ),
)
def publicity_export(
    request: HttpRequest,
    kind: PublicityKind,
    format: one_of("csv", "jsonl") = "csv",
    unit: str | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    subject: str | None = None,
):
    if format not in ("csv", "jsonl"):
        raise DomainError("export.format_invalid", "format 只能是 csv 或 jsonl")
    fields, items = selectors.publicity_stream(_publicity_query(kind, unit, date_from, date_to, subject))
    lines = _jsonl_lines(items) if format == "jsonl" else _csv_lines(fields, items)
    content_type = "application/x-ndjson; charset=utf-8" if format == "jsonl" else "text/csv; charset=utf-8"
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{format}"'
    return response


_META = [
    "record_id",
    "unit",
    "unit_name",
    "doc_no",
    "decision_date",
    "subject_code",
    "subject_name",
    "status",
    "publish_until",
]


def _jsonl_lines(items):
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def _csv_lines(fields: list[str], items):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_META + fields)
    yield "\ufeff" + _drain(buffer)
    for item in items:
        writer.writerow(
            [escape_cell(item[k]) for k in _META] + [escape_cell(item["fields"].get(f)) for f in fields]
        )
        if buffer.tell() > 64_000:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# ── query log and consents (issue 4) ─────────────────────────────────────────────────

me_router = Router(tags=["me"])


def _own_subject_id(request: HttpRequest) -> int:
    subject_id = subject_id_of(actor=request_actor(request))
    if subject_id is None:
        raise DomainError("me.not_a_subject", "仅限已实名核验的信用主体账户使用", status=403)
    return subject_id


@me_router.get(
    "/query-log",
    response=QueryLogOut,
    auth=TokenAuth(),
    operation_id="me_query_log",
    summary="谁查询过我的非公开信息",
)
def me_query_log(request: HttpRequest):
    return {"entries": query_log_for_subject(subject_id=_own_subject_id(request))}


@me_router.post(
    "/consents",
    response={201: ConsentOut},
    auth=TokenAuth(),
    operation_id="me_consents_grant",
    summary="授权某单位在有效期内查询我的非公开信息",
)
def me_consents_grant(request: HttpRequest, body: ConsentIn):
    consent = consent_grant(
        actor=request_actor(request),
        subject_id=_own_subject_id(request),
        grantee=unit_get(name_or_code=body.grantee),
        purpose=body.purpose,
        valid_until=body.valid_until,
        now=now(),
    )
    return Status(201, _consent_out(consent))


@me_router.get(
    "/consents",
    response=list[ConsentOut],
    auth=TokenAuth(),
    operation_id="me_consents_list",
    summary="我的授权",
)
def me_consents_list(request: HttpRequest):
    return [_consent_out(c) for c in consent_list(subject_id=_own_subject_id(request))]


@me_router.delete(
    "/consents/{consent_id}",
    response=ConsentOut,
    auth=TokenAuth(),
    operation_id="me_consents_revoke",
    summary="撤回授权",
)
def me_consents_revoke(request: HttpRequest, consent_id: int):
    return _consent_out(consent_revoke(actor=request_actor(request), consent_id=consent_id, now=now()))


def _consent_out(consent) -> dict:
    return {
        "id": consent.pk,
        "grantee": consent.grantee.code,
        "grantee_name": consent.grantee.name,
        "purpose": consent.purpose,
        "valid_until": consent.valid_until,
        "granted_at": rfc3339(consent.granted_at),
        "revoked_at": rfc3339(consent.revoked_at) if consent.revoked_at else None,
    }
