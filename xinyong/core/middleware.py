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
    10 MB, plus the form), or `XINYONG_ANON_UPLOAD_MAX_BYTES` plus 1 MiB without an Authorization header (an
    anonymous filer). Django reads a body sent without a length as empty, so nothing unbounded gets in.
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
            limit = settings.XINYONG_API_MULTIPART_MAX_BYTES
            if "authorization" not in request.headers:  # an anonymous filer (issue 12)
                return min(limit, settings.XINYONG_ANON_UPLOAD_MAX_BYTES + 1024 * 1024)
            return limit
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RejectNulMiddleware:
    """Refuse NUL, control and invisible formatting characters in the path, the query string, form and
    multipart fields and file names outside the API, and a raw NUL byte in any other body (400 problem;
    core/hygiene.py, ADR 0018): PostgreSQL cannot store NUL and no legitimate credit data contains the
    others, so they never reach a service. The API's JSON bodies (any content type), form fields and files
    are checked by its parser after authentication (core/api.py StrictJSONParser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import SuspiciousOperation
        from django.http.multipartparser import MultiPartParserError

        from xinyong.core import api, hygiene
        from xinyong.core.errors import DomainError

        try:
            hygiene.request_check(request)
        except DomainError as exc:
            return api.problem(request, 400, exc.code, exc.message, exc.errors)
        except MultiPartParserError as exc:  # read here first: the same answer the API's handler gives
            return api.multipart_refused(request, exc)
        except SuspiciousOperation as exc:
            return api.refused_request(request, exc)
        return self.get_response(request)


class _BrowserOnly:
    """A browser middleware passed by for the API (docs/performance.md, issue 5): /api/ authenticates with
    bearer tokens, keeps no session, shows no flash messages and answers in Chinese whatever Accept-Language
    says, so sessions, language negotiation, login and messages only cost it time (about 0.1 ms a request, a
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
