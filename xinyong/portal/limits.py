"""Rate limits on the portal's public pages (issue 15 "rate limits on search and forms"): the API's counters
and classes (core/ratelimit.py), counted per client address; over the limit a Chinese page answers 429 with
`Retry-After`. The pages share the `anon` class with anonymous API calls, so one address has one budget; a
form that files something for others to handle (the tipoff page) also counts its POSTs in the API's `filing`
and `upload` classes, the budget of `POST /api/v1/tipoffs` from the same address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.core import ratelimit

FILING_CLASSES = ("filing", "upload")


def rate_limited(name: str = "anon", *, post_also: tuple[str, ...] = ()) -> Callable:
    """Count each request of the decorated view in class `name` (and each POST in the classes `post_also`);
    answer 429 (a page) beyond any of their limits."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            now_s = ratelimit.clock()
            names = (name, *post_also) if request.method == "POST" else (name,)
            counts = [c for n in names if (c := ratelimit.count_class(request, n, now_s)) is not None]
            over = [c for c in counts if c.exceeded]
            if over:
                wait = max(c.reset_after(now_s) for c in over)
                response = render(request, "portal/rate_limited.html", {"wait": wait}, status=429)
                response["Retry-After"] = str(wait)
            else:
                response = view(request, *args, **kwargs)
            for header, value in ratelimit.headers(counts, now_s).items():
                response[header] = value
            return response

        return limited

    return decorate
