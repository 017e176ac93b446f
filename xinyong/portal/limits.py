"""Rate limits on the portal's public pages (issue 15 "rate limits on search and forms"): the API's counters
and classes (core/ratelimit.py), counted per client address; over the limit a Chinese page answers 429 with
`Retry-After`. The pages share the `anon` class with anonymous API calls, so one address has one budget; a
form that files something for others to handle (the tipoff page) also counts its POSTs in the API's `filing`
and `upload` classes, the budget of `POST /api/v1/tipoffs` from the same address."""

from __future__ import annotations

from collections.abc import Callable

from xinyong.core.pagelimits import page_limited

FILING_CLASSES = ("filing", "upload")


def rate_limited(name: str = "anon", *, post_also: tuple[str, ...] = ()) -> Callable:
    """Count each request of the decorated view in class `name` (and each POST also in the classes
    `post_also`, e.g. FILING_CLASSES); answer 429 (a page) beyond any of their limits (core/pagelimits.py)."""

    def decorate(view: Callable) -> Callable:
        limited = page_limited(name)(view)
        return page_limited(*post_also, methods=("POST",))(limited) if post_also else limited

    return decorate
