"""Withdrawals, 双公示 publicity and timeliness over HTTP (issue 3); submissions are the intake app's
(intake/api.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Status

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.accounts.roles import GOVERNMENT
from xinyong.accounts.selectors import unit_get
from xinyong.core.api import (
    MAX_PAGE_SIZE,
    IsoDate,
    file_answer,
    one_of,
    text_matching,
)
from xinyong.core.errors import DomainError
from xinyong.core.pagination import cursor_fields, day, keyset_page, whole
from xinyong.core.spreadsheet import escape_cell
from xinyong.core.timeutil import business_date, now
from xinyong.records import selectors, services
from xinyong.records.schemas import PublicityPageOut, RecordVersionOut, RecordWithdrawIn, TimelinessOut

router = Router(tags=["submissions"])
publicity_router = Router(tags=["publicity"])
PublicityKind = one_of(*selectors.PUBLICITY_CATEGORIES)  # anything else answers 404
Month = text_matching(r"^\d{4}-(0[1-9]|1[0-2])$")


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
    """Public-tier fields of published records only; a natural person appears with the masked ID number and,
    to anyone but government roles, the masked name (王**, also in `CF_XDR_MC` / `XK_XDR_MC` and any field
    quoting it; ADR 0040)."""
    names_in_full = _names_in_full(request)
    category, records = selectors.publicity_records(_publicity_query(kind, unit, date_from, date_to, subject))
    if cursor:
        records = selectors.after_cursor(records, _cursor(cursor))
    fields = selectors.public_fields(category)
    return keyset_page(
        request,
        records,
        limit=limit,
        cursor_of=lambda r: {"d": r.decision_date.isoformat(), "i": r.pk},
        shape=lambda r: selectors.publicity_item(r, fields, category.code, names_in_full=names_in_full),
    )


def _names_in_full(request: HttpRequest) -> bool:
    """Government roles read persons' names in full, as before ADR 0040; the public tier (anonymous, public,
    institution and subject tokens) reads them masked."""
    return request_actor(request).has_role(*GOVERNMENT)


def _cursor(text: str) -> dict:
    return cursor_fields(text, d=day, i=whole)


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
    """Every matching item (as `publicity_list` shows them: persons' names masked except for government
    roles), streamed."""
    if format not in ("csv", "jsonl"):
        raise DomainError("export.format_invalid", "format 只能是 csv 或 jsonl")
    query = _publicity_query(kind, unit, date_from, date_to, subject)
    fields, items = selectors.publicity_stream(query, names_in_full=_names_in_full(request))
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
