"""A presented bearer token is checked once, before any /api/ view (issue 13: one way everywhere).

An invalid, revoked or expired token — or an Authorization header that is not `Bearer <secret>` — is
refused with 401 on every endpoint, the public ones included, with `WWW-Authenticate: Bearer
realm="xinyong", error="invalid_token"` (RFC 6750 §3); a request without the header stays anonymous. The
live token is kept on the request (`api_token`, `api_token_id`) for TokenAuth and the rate limiter, so it
is read from the database once per request.
"""

from __future__ import annotations

from xinyong.accounts.services import api_token_authenticate
from xinyong.core.timeutil import now

API_PREFIX = "/api/"


def bearer_secret(header: str) -> str | None:
    """The secret of `Bearer <secret>`, or None when the header is of another shape."""
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header or not request.path_info.startswith(API_PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        secret = bearer_secret(header)
        token = api_token_authenticate(secret=secret, now=now()) if secret else None
        if token is None:
            from xinyong.core.api import unauthorized

            return unauthorized(request, invalid=True)
        request.api_token, request.api_token_id = token, token.pk
        return self.get_response(request)
