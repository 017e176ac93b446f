"""Request id: taken from X-Request-ID when sane, else generated; echoed in the response."""

from __future__ import annotations

import re
import uuid

_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SAFE.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class RejectNulMiddleware:
    """Refuse NUL characters in the path, query or a JSON body (400 problem): PostgreSQL cannot store them
    and no legitimate credit data contains them, so they never reach a service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from xinyong.core.api import problem

            return problem(request, 400, "request.nul_character", "请求中含有不允许的空字符（NUL）")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in vs[1]):
            return True
        if request.content_type == "application/json" and request.method in ("POST", "PUT", "PATCH"):
            return b"\x00" in request.body or b"\\u0000" in request.body
        return False
