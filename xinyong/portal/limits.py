"""Rate limits on the portal's public pages (issue 15 "rate limits on search and forms"): the API's counters
and classes (core/ratelimit.py), counted per client address; over the limit a Chinese page answers 429 with
`Retry-After`. The pages share the `anon` class with anonymous API calls, so one address has one budget."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.core import ratelimit


def rate_limited(name: str = "anon") -> Callable:
    """Count each request of the decorated view in class `name`; answer 429 (a page) beyond the limit."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            now_s = ratelimit.clock()
            counted = ratelimit.count_class(request, name, now_s)
            if counted is not None and counted.exceeded:
                wait = counted.reset_after(now_s)
                response = render(request, "portal/rate_limited.html", {"wait": wait}, status=429)
                response["Retry-After"] = str(wait)
            else:
                response = view(request, *args, **kwargs)
            for header, value in ratelimit.headers([counted] if counted else [], now_s).items():
                response[header] = value
            return response

        return limited

    return decorate
