"""HTTP conventions for every answer under /api/ (issue 13 "contract kept"; docs/adr/0020).

- Errors: any 4xx/5xx that a view or Django left as HTML or text (405 from the router, 404 of a method it
  does not know …) leaves as RFC 9457 problem details; a 405 keeps `Allow`.
- HEAD answers as GET without the body (same status, headers and Content-Length); OPTIONS answers 204 with
  `Allow` for a known path, a 404 problem for an unknown one.
- Caching: public reference data (catalog, calendar, list types, memoranda, matters, templates, courses,
  units, the plan) carries a strong ETag and `Cache-Control: public, max-age=…`
  (XINYONG_API_REFERENCE_MAX_AGE) and answers 304 to a matching If-None-Match; every answer that depends on
  the caller (a token, a lookup by query code, any write) carries `Cache-Control: no-store`; other
  anonymous reads `no-cache`. Every answer carries `Vary: Authorization`.
- Paged lists (core/pagination.py) carry `Link: <…?cursor=…>; rel="next"` while a next page exists.
- gzip (ApiGZipMiddleware): JSON answers to GET, see its docstring for why BREACH does not apply.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path

from xinyong.core.ratelimit import LOOKUP_PATHS

API_PREFIX = "/api/"
REFERENCE_PATHS = re.compile(
    r"^/api/v1/(catalog/.+|calendar/working-days|lists/types|memoranda|matters|commitments/templates"
    r"|training/courses|units|plan|plan/.+)$"
)
JSON_TYPES = ("application/json", "application/problem+json")


class ApiConventionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        method = request.method
        if method == "HEAD":
            request.method = "GET"
        response = self.get_response(request)
        if method == "OPTIONS":
            response = _options(request, response)
        response = _as_problem(request, response, method)
        _link_next(request, response)
        _cache_headers(request, response)  # a HEAD is still read as its GET here
        request.method = method
        if method == "HEAD":
            _drop_body(response)
        return response


def _allowed(response) -> list[str]:
    methods = {m.strip().upper() for m in response.get("Allow", "").split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"})


def _options(request, response):
    """The router answers OPTIONS with 405 and the methods it has for the path: that is the answer's Allow."""
    if response.status_code != 405:
        return response
    from django.http import HttpResponse

    answer = HttpResponse(status=204)
    answer["Allow"] = ", ".join(_allowed(response))
    return answer


def _as_problem(request, response, method: str):
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/problem+json"):
        return response
    from xinyong.core.api import problem

    if response.status_code == 405:
        allowed = _allowed(response)
        detail = f"此接口不支持 {method} 方法，可用方法：{', '.join(allowed)}"
        answer = problem(request, 405, "http.method_not_allowed", detail, allowed=allowed)
        answer["Allow"] = ", ".join(allowed)
        return answer
    answer = problem(request, response.status_code, f"http.{response.status_code}", _reason(response))
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in response:
            answer[name] = response[name]
    return answer


def _reason(response) -> str:
    return {404: "资源不存在", 403: "无权访问", 400: "请求无法受理"}.get(response.status_code, "请求未能完成")


def _link_next(request, response) -> None:
    """RFC 8288 `Link: <…>; rel="next"` for a paged list with more to read (core/pagination.py)."""
    cursor = getattr(request, "page_next_cursor", None)
    if not cursor or response.status_code != 200:
        return
    query = request.GET.copy()
    query["cursor"] = cursor
    response["Link"] = f'<{escape_uri_path(request.path)}?{query.urlencode()}>; rel="next"'


def _cache_headers(request, response) -> None:
    patch_vary_headers(response, ("Authorization",))
    if "Cache-Control" in response:  # a view's own choice (file downloads: private, no-store)
        return
    if _is_reference(request, response):
        response["Cache-Control"] = f"public, max-age={settings.XINYONG_API_REFERENCE_MAX_AGE}"
        _etag(request, response)
    elif _is_private(request, response):
        response["Cache-Control"] = "no-store"
    else:
        response["Cache-Control"] = "no-cache"


def _is_reference(request, response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not request.headers.get("Authorization")
        and bool(REFERENCE_PATHS.match(request.path_info))
        and not response.streaming
    )


def _is_private(request, response) -> bool:
    """The answer depends on who asks, or answers a write, or an error: never stored by any cache."""
    return (
        request.method != "GET"
        or response.status_code >= 400
        or bool(request.headers.get("Authorization"))
        or bool(LOOKUP_PATHS.match(request.path_info))
    )


def _etag(request, response) -> None:
    """A strong ETag of the body; a matching If-None-Match answers 304 with no body (RFC 9110 §13.1.2)."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    wanted = [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        response.status_code = 304
        response.content = b""
        del response["Content-Type"]
        if "Content-Length" in response:
            del response["Content-Length"]


def _drop_body(response) -> None:
    if response.streaming:
        response.streaming_content = []
        return
    length = len(response.content)
    response.content = b""
    response["Content-Length"] = str(length)


class ApiGZipMiddleware(GZipMiddleware):
    """gzip for JSON answers to GET under /api/ (the catalog is 75 KB) when the client accepts it.

    BREACH needs an answer that carries a secret next to text the attacker chooses, fetched with the victim's
    ambient credentials. The API has none: it takes bearer tokens only (no session cookie reaches /api/,
    core/middleware.py), so a cross-site page cannot make a browser send the victim's token, and a caller
    only ever compresses answers to its own requests. Writes (POST, whose answers carry new secrets: token
    secrets, query codes) are not compressed anyway; Django adds random bytes to each gzip header as well.
    """

    def process_response(self, request, response):
        if not request.path_info.startswith(API_PREFIX) or request.method not in ("GET", "HEAD"):
            return response
        if not response.get("Content-Type", "").startswith(JSON_TYPES):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))  # a short answer too: the same URL may be gzipped
        return super().process_response(request, response)
