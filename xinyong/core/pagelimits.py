"""Rate limits on the browser pages (issue 15 "rate limits on search and forms"): the API's counters and
classes (core/ratelimit.py) applied to a view. Searches and subject pages count every request in `anon`
(portal/limits.py); the forms count only their submissions (POST) — registration, objections and repairs in
`filing` (and their uploaded bytes in `upload`), the sign-in steps in `login`, per address, on top of the
lock-out after failed passwords (accounts/login.py). Over a limit a Chinese page answers 429 with
`Retry-After`; every answer of a counted request carries `RateLimit-Policy` and `RateLimit`.

A signed-in person's submissions are counted per account (`u<id>`), so that colleagues behind one office
address do not share a budget; everything else per client address (ratelimit.client_address)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.core import ratelimit

TEMPLATE = "portal/rate_limited.html"
WHAT = {"anon": "查询", "lookup": "查询", "filing": "提交", "upload": "上传", "login": "登录尝试"}


def _source(request: HttpRequest, per_user: bool) -> str | None:
    user = getattr(request, "user", None)
    if per_user and user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return None


def page_limited(*classes: str, methods: Iterable[str] | None = None, per_user: bool = False) -> Callable:
    """Count each request of the decorated view (or only those of `methods`) in each class; answer 429 (a
    page) when any is over its limit. `upload` counts the declared body bytes, the others one hit."""
    only = frozenset(methods) if methods is not None else None

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if only is not None and request.method not in only:
                return view(request, *args, **kwargs)
            now_s = ratelimit.clock()
            source = _source(request, per_user)
            counts = [
                c for name in classes if (c := ratelimit.count_class(request, name, now_s, client=source))
            ]
            over = [c for c in counts if c.exceeded]
            if over:
                worst = max(over, key=lambda c: c.reset_after(now_s))
                wait = worst.reset_after(now_s)
                context = {
                    "wait": wait,
                    "what": WHAT.get(worst.policy.name, "请求"),
                    "who": "您的账户" if source else "您的网络地址",
                }
                response = render(request, TEMPLATE, context, status=429)
                response["Retry-After"] = str(wait)
            else:
                response = view(request, *args, **kwargs)
            for header, value in ratelimit.headers(counts, now_s).items():
                response[header] = value
            return response

        return limited

    return decorate
