"""Rate limits on the portal's public pages (issue 15 "rate limits on search and forms"): the API's counters
and classes (core/ratelimit.py), counted per client address; over the limit a Chinese page answers 429 with
`Retry-After`. The pages share the `anon` class with anonymous API calls, so one address has one budget."""

from __future__ import annotations

from collections.abc import Callable

from xinyong.core.pagelimits import page_limited


def rate_limited(name: str = "anon") -> Callable:
    """Count each request of the decorated view in class `name`; answer 429 (a page) beyond the limit."""
    return page_limited(name)
