"""Request id: taken from X-Request-ID when sane, else generated; echoed in the response."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as session
from django.middleware import locale
from django.utils import translation

_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
API_PREFIX = "/api/"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SAFE.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class RequestSizeMiddleware:
    """Refuse an API request whose declared body is too large (413 problem `request.too_large`) before a byte
    of it is read: JSON and other bodies above `DATA_UPLOAD_MAX_MEMORY_SIZE` (room for a submission of
    10,000 rows), multipart bodies above `XINYONG_API_MULTIPART_MAX_BYTES` (two file fields of 10 files of
    10 MB, plus the form). Django reads a body sent without a length as empty, so nothing unbounded gets in.
    The admin and the portal keep Django's own limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            declared, limit = self._declared(request), self._limit(request)
            if declared is not None and declared > limit:
                from xinyong.core.api import problem

                detail = f"请求体过大：{declared} 字节，此接口上限 {limit} 字节"
                return problem(request, 413, "request.too_large", detail, limit=limit)
        return self.get_response(request)

    @staticmethod
    def _declared(request) -> int | None:
        try:
            return int(request.META.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None

    @staticmethod
    def _limit(request) -> int:
        if request.content_type == "multipart/form-data":
            return settings.XINYONG_API_MULTIPART_MAX_BYTES
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


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


class _BrowserOnly:
    """A browser middleware passed by for the API (DESIGN §7, issue 5): /api/ authenticates with bearer
    tokens, keeps no session, shows no flash messages and answers in Chinese whatever Accept-Language says,
    so sessions, language negotiation, login and messages only cost it time (about 0.1 ms a request, a
    third of a token-authenticated GET). The admin and the report pages get them as before."""

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.api(request)
        return super().__call__(request)

    def api(self, request):
        return self.get_response(request)


class SessionMiddleware(_BrowserOnly, session.SessionMiddleware):
    pass


class LocaleMiddleware(_BrowserOnly, locale.LocaleMiddleware):
    def api(self, request):
        translation.activate(settings.LANGUAGE_CODE)  # not the language a browser request left on this thread
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)


class AuthenticationMiddleware(_BrowserOnly, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(_BrowserOnly, messages.MessageMiddleware):
    pass
