"""API plumbing shared by every router: RFC 9457 problem details, a JSON renderer that keeps Chinese
readable, cursor pagination helpers. Only this file and the apps' api.py / schemas.py import ninja."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Annotated

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.http import content_disposition_header
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import BeforeValidator, WithJsonSchema

from xinyong.core.errors import DomainError
from xinyong.core.hygiene import json_check, querydict_check
from xinyong.core.pagination import MAX_PAGE_SIZE, decode_cursor, encode_cursor  # noqa: F401 (re-exported)
from xinyong.core.timeutil import rfc3339

log = logging.getLogger(__name__)


class ApiJSONEncoder(NinjaJSONEncoder):
    """Every timestamp in one RFC 3339 shape, Beijing offset, whole seconds (docs/adr/0020, issue 13)."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            return rfc3339(o)
        return super().default(o)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _strict_iso_date(value):
    """Issue 13: a date in a query or body is `YYYY-MM-DD` and nothing else. pydantic alone reads `0` or
    `1700000000` as a Unix time (`?start=0` was 1970-01-01) and accepts `2026-01-05T00:00`."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value  # pydantic still refuses an impossible day (2026-02-30)
    raise ValueError("日期格式应为 YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_strict_iso_date)]


def one_of(*values: str) -> type[str]:
    """A text parameter whose handler refuses (4xx) anything but `values`: documented as an enum so that
    clients and fuzzers know the rule (issue 13); the handler keeps its own check and error code."""
    return Annotated[str, WithJsonSchema({"type": "string", "enum": list(values)})]  # type: ignore[return-value]


def text_matching(pattern: str) -> type[str]:
    """A text parameter whose handler refuses (4xx) text not matching `pattern`, documented as such."""
    return Annotated[str, WithJsonSchema({"type": "string", "pattern": pattern})]  # type: ignore[return-value]


class UnicodeJSONRenderer(JSONRenderer):
    """django-ninja escapes Chinese as \\uXXXX by default (docs/performance.md); we send UTF-8."""

    encoder_class = ApiJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class StrictJSONParser(Parser):
    """JSON bodies as ninja parses them, but a lone UTF-16 surrogate escape (`"\\udc00"`) in any string is
    refused (400 `request.invalid_text`): it cannot be stored as UTF-8, nor echoed in an answer. Escapes
    of valid pairs (an emoji sent as \\ud83d\\ude00) decode to one character and pass. Any other body that
    is not JSON answers 400 `request.invalid_json` (ninja's own words are English). Strings holding NUL,
    control, bidi or zero-width characters are refused too (core/hygiene.py, ADR 0018); ninja parses a body as
    JSON whatever its content type, so this covers JSON sent as text/plain."""

    def parse_body(self, request: HttpRequest):
        try:
            data = super().parse_body(request)
        except ValueError as exc:
            raise DomainError("request.invalid_json", f"请求体不是有效的 JSON：{exc}") from exc
        if _SURROGATE_ESCAPE.search(request.body) and _has_lone_surrogate(data):
            message = "请求中含有无法以 UTF-8 表示的字符（孤立的代理项 \\uD800–\\uDFFF）"
            raise DomainError("request.invalid_text", message)
        json_check(request.body, data)  # NUL, controls, bidi and zero-width characters (core/hygiene.py)
        return data

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        """Query, form fields and uploaded file names, checked like JSON strings (core/hygiene.py)."""
        querydict_check(data)
        return super().parse_querydict(data, list_fields, request)


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class ProblemFieldError(Schema):
    """One item of a problem's `errors`: which field (dotted path; empty for the whole body), why."""

    field: str = Field("", examples=["rows.0.decision_date"])
    code: str = Field("", examples=["date_from_datetime_parsing"])
    message: str = Field("", examples=["日期格式应为 YYYY-MM-DD"])


class Problem(Schema):
    """RFC 9457 problem details with our stable `code`, as `problem()` sends them (media type
    application/problem+json). Other members may follow (e.g. `retry_after`, `first_submission_id`)."""

    type: str = Field("about:blank", examples=["https://xinyong.example/problems/not_found"])
    title: str = Field(..., examples=["not_found"])
    status: int = Field(..., ge=100, le=599, examples=[404])
    detail: str = Field(..., description="中文说明", examples=["资源不存在"])
    code: str = Field(..., description="稳定的机器可读代码", examples=["not_found"])
    instance: str | None = Field(None, examples=["/api/v1/subjects/91110000XXXXXXXXXX"])
    errors: list[ProblemFieldError] = Field([], description="逐项的字段错误")
    request_id: str = Field("", description="请求编号，联系运维时提供")


def problem(
    request: HttpRequest, status: int, code: str, detail: str, errors: list | None = None, **extra
) -> HttpResponse:
    """Build an application/problem+json response."""
    body = {
        "type": f"https://xinyong.example/problems/{code}",
        "title": code,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.get_full_path(),
        "errors": errors or [],
        "request_id": getattr(request, "request_id", ""),
        **extra,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, cls=ApiJSONEncoder),
        status=status,
        content_type="application/problem+json; charset=utf-8",
    )


def unauthorized(request: HttpRequest, *, invalid: bool) -> HttpResponse:
    """401 `auth.required` with its RFC 6750 challenge; `invalid` when a token was given but is not live."""
    if invalid:
        response = problem(request, 401, "auth.required", "访问令牌无效、已吊销或已过期，请使用有效的令牌")
        response["WWW-Authenticate"] = 'Bearer realm="xinyong", error="invalid_token"'
    else:
        response = problem(request, 401, "auth.required", "需要有效的访问令牌（Authorization: Bearer …）")
        response["WWW-Authenticate"] = 'Bearer realm="xinyong"'
    return response


IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "description": "幂等键（去除首尾空白后 1–128 个字符）：同一键与同一内容重放时返回首次结果，不重复写入",
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "\\S"},
    "example": "2026-12-06-batch-001",
}  # OpenAPI parameter object, for `openapi_extra={"parameters": [...]}` on writes that read the header


FILE_RESPONSE = {
    200: {
        "description": "文件内容（PDF、JPEG 或 PNG），以附件下载",
        "content": {t: {"schema": {"type": "string", "format": "binary"}}
                    for t in ("application/pdf", "image/jpeg", "image/png")},
    }
}  # fmt: skip


def file_answer(description: str, *media_types: str) -> dict:
    """`openapi_extra` for an operation whose 200 answer is a file (CSV, XLSX, HTML …), not JSON."""
    content = {t: {"schema": {"type": "string"}} for t in media_types}
    return {"responses": {200: {"description": description, "content": content}}}


def file_download(data: bytes, name: str, content_type: str) -> HttpResponse:
    """A stored file as an attachment: its own type, the name in UTF-8 (RFC 6266), never sniffed or cached."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def refused_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """A request Django would not read (a body above its limits, too many fields or files, a bad host) as a
    problem, never an HTML page or a 500: used by the API's handlers and by the 400 handler for /api/."""
    if isinstance(exc, RequestDataTooBig):
        return problem(request, 413, "request.too_large", "请求体超过此接口的上限")
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return problem(request, 413, "request.too_many_parts", "请求中的字段或文件过多")
    return problem(request, 400, "request.refused", "请求无法受理（请求头或请求体不合规范）")


def multipart_refused(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body Django cannot parse (no boundary …): 400 `request.multipart_invalid`."""
    detail = f"multipart/form-data 请求体无法解析（{exc}），请检查 boundary"
    return problem(request, 400, "request.multipart_invalid", detail)


def _validation_errors(exc: NinjaValidationError) -> list[dict]:
    out = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        out.append(
            {"field": ".".join(loc), "code": err.get("type", "invalid"), "message": err.get("msg", "")}
        )
    return out


def install_error_handlers(api) -> None:
    """Every error leaves as problem details; nothing answers a bare 500."""

    @api.exception_handler(DomainError)
    def _domain(request, exc: DomainError):
        return problem(request, exc.status, exc.code, exc.message, exc.errors, **exc.extra)

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        return problem(request, 422, "request.invalid", "请求参数不符合要求", _validation_errors(exc))

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return unauthorized(request, invalid=bool(request.headers.get("Authorization")))

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        if isinstance(exc.__cause__, DomainError):  # our parser's refusal, wrapped by ninja
            return _domain(request, exc.__cause__)
        return problem(request, exc.status_code, f"http.{exc.status_code}", str(exc))

    @api.exception_handler(Http404)
    def _404(request, exc):
        return problem(request, 404, "not_found", "资源不存在")

    @api.exception_handler(MultiPartParserError)
    def _multipart(request, exc: MultiPartParserError):
        return multipart_refused(request, exc)

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request, exc: SuspiciousOperation):
        return refused_request(request, exc)

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        log.exception("unhandled API error")
        return problem(request, 500, "server.error", "服务器内部错误，已记录。请携带 request_id 联系运维。")
