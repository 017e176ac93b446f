"""Rate limits on /api/ with a counter shared by every worker (issue 13; issue 12 for filings and uploads).

Each request is counted in one or more fixed-window buckets, one UPSERT each, in the database (so two
gunicorn workers enforce one limit), keyed by client: the token for an authenticated request, else the
client address (an IPv6 address by its /64, which one host can fill). The classes and their limits
(`settings.XINYONG_RATE_LIMITS`, read at request time; env vars XINYONG_RATE_*):

- `anon`    anonymous reads and writes, per address;
- `lookup`  anonymous lookups by a code (progress by query code, report verification, certificates): a
            stricter limit, since each answer confirms or denies a guess;
- `token`   everything one token does;
- `filing`  filings that affect others — objections and anonymous tipoffs — per source (token or address);
- `upload`  bytes uploaded with those filings per source, counted from Content-Length (a daily cap);
- `login`   sign-in attempts (the password and the code step) per address, on the portal's pages only.

Over a limit: 429 problem `rate.limited` with `Retry-After`; every answer of a limited class carries
`RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers-08, structured fields). A window
is aligned to the epoch (a day window ends at 00:00 UTC). On SQLite the counters live in a side file (see
`_store`). Counter rows are reset by the UPSERT itself when
a new window starts, and rows idle for longer than the longest window are deleted once a minute per
process (docs/adr/0020-http-conventions.md).
"""

from __future__ import annotations

import ipaddress
import re
import sqlite3
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

API_PREFIX = "/api/"
LOOKUP_PATHS = re.compile(
    r"^/api/v1/(objections/progress|repairs/progress|tipoffs/progress|reports/verify|training/certificates/)"
)
FILING_PATHS = re.compile(r"^/api/v1/(objections|tipoffs)/?$")
SWEEP_EVERY = 60.0
_last_sweep = [0.0]


@dataclass(frozen=True)
class Policy:
    """One class's limit: `quota` hits (or bytes, for `upload`) per `window` seconds."""

    name: str
    quota: int
    window: int


@dataclass(frozen=True)
class Count:
    """A bucket after this request: what it used in the window that started at `window_start`."""

    policy: Policy
    used: int
    window_start: int

    def reset_after(self, now: int) -> int:
        return max(1, self.window_start + self.policy.window - now)

    @property
    def remaining(self) -> int:
        return max(0, self.policy.quota - self.used)

    @property
    def exceeded(self) -> bool:
        return self.used > self.policy.quota


def policy(name: str) -> Policy | None:
    """The configured limit of a class, or None when it is off ("" or "0"). Format "QUOTA/SECONDS"."""
    text = str(settings.XINYONG_RATE_LIMITS.get(name) or "").strip()
    if not text or text == "0":
        return None
    quota, _, window = text.partition("/")
    return Policy(name=name, quota=int(quota), window=int(window or 60))


def client_address(request) -> str:
    """The caller's address: REMOTE_ADDR, or the nearest untrusted X-Forwarded-For hop when the request
    came through a proxy listed in XINYONG_RATE_TRUSTED_PROXIES (the front server `xinyong up` starts)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = settings.XINYONG_RATE_TRUSTED_PROXIES
    if remote in trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return _network(hop)
    return _network(remote)


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:60]
    if ip.version == 6:
        mapped = ip.ipv4_mapped
        return str(mapped) if mapped else str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def classes_for(request, token_id: int | None) -> list[tuple[str, str]]:
    """(class, client) pairs this request is counted in."""
    source = f"t{token_id}" if token_id else client_address(request)
    path, method = request.path_info, request.method
    pairs = [("token", source)] if token_id else []
    if not token_id:
        lookup = method in ("GET", "HEAD", "POST") and LOOKUP_PATHS.match(path)
        pairs.append(("lookup" if lookup else "anon", source))
    if method == "POST" and FILING_PATHS.match(path):
        pairs += [("filing", source), ("upload", source)]
    return pairs


def clock() -> int:
    """Unix seconds (one place for the tests to set the time)."""
    return int(time.time())


def count(request, token_id: int | None, now_s: int) -> list[Count]:
    """Count this request in each of its buckets (one UPSERT per configured class)."""
    counts: list[Count] = []
    if not any(policy(name) for name in settings.XINYONG_RATE_LIMITS):
        return counts
    for name, client in classes_for(request, token_id):
        limit = policy(name)
        if limit is None:
            continue
        amount = _declared_bytes(request) if name == "upload" else 1
        window_start = now_s - now_s % limit.window
        used, started = counter_add(f"{name}:{client}", window_start, amount)
        counts.append(Count(policy=limit, used=used, window_start=started))
    if counts:  # a request no class counts (its classes off) touches no table
        sweep_if_due(now_s)
    return counts


def count_class(request, name: str, now_s: int, client: str | None = None) -> Count | None:
    """Count a request outside /api/ (the portal's pages and forms, issue 15; core/pagelimits.py) in class
    `name`, keyed by `client` or else the client address (an `upload` bucket counts the declared bytes);
    None when the class is off."""
    limit = policy(name)
    if limit is None:
        return None
    amount = _declared_bytes(request) if name == "upload" else 1
    bucket = f"{name}:{client or client_address(request)}"
    used, started = counter_add(bucket, now_s - now_s % limit.window, amount)
    sweep_if_due(now_s)
    return Count(policy=limit, used=used, window_start=started)


def _declared_bytes(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


_UPSERT = """
INSERT INTO core_rate_counter (bucket, window_start, hits, bytes) VALUES (%s, %s, %s, %s)
ON CONFLICT (bucket) DO UPDATE SET
  hits = CASE WHEN excluded.window_start > core_rate_counter.window_start
              THEN excluded.hits ELSE core_rate_counter.hits + excluded.hits END,
  bytes = CASE WHEN excluded.window_start > core_rate_counter.window_start
               THEN excluded.bytes ELSE core_rate_counter.bytes + excluded.bytes END,
  window_start = {greatest}(core_rate_counter.window_start, excluded.window_start)
RETURNING hits, bytes, window_start
"""
_SIDE_TABLE = """CREATE TABLE IF NOT EXISTS core_rate_counter (bucket TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL, hits INTEGER NOT NULL, bytes INTEGER NOT NULL)"""
_side = threading.local()


def _store():
    """Where the counters live: PostgreSQL's own table (model RateCounter), or, on SQLite, the same table in a
    side file XINYONG_HOME/ratelimit.sqlite3 — counting a GET must not take the main database's only write
    lock (an import holds it for seconds) nor wait for its fsync; a count needs no durability."""
    if connection.vendor != "sqlite":
        return connection, "GREATEST"
    path = str(settings.XINYONG_HOME / "ratelimit.sqlite3")
    if getattr(_side, "path", None) != path:
        side = sqlite3.connect(path, timeout=5, isolation_level=None)
        side.executescript(f"PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; {_SIDE_TABLE};")
        _side.path, _side.connection = path, side
    return _side.connection, "MAX"


def _execute(sql: str, params: list):
    store, greatest = _store()
    cursor = store.cursor()
    try:
        if store is connection:
            cursor.execute(sql.format(greatest=greatest), params)
        else:
            cursor.execute(sql.format(greatest=greatest).replace("%s", "?"), params)
        return (cursor.fetchall() if cursor.description else []), cursor.rowcount
    finally:
        cursor.close()


def counter_add(bucket: str, window_start: int, amount: int) -> tuple[int, int]:
    """Add one hit (and `amount` bytes, for an upload bucket) in one statement; a bucket whose stored window
    is older starts again from this request. Returns what the bucket used in its window, and its start."""
    is_bytes = bucket.startswith("upload:")
    rows, _ = _execute(_UPSERT, [bucket, window_start, 1, amount if is_bytes else 0])
    hits, used_bytes, started = rows[0]
    return (used_bytes if is_bytes else hits), started


def counters() -> list[tuple[str, int, int, int]]:
    """Every bucket as (bucket, window_start, hits, bytes), by name (for tests and operators)."""
    return [tuple(r) for r in _execute("SELECT * FROM core_rate_counter ORDER BY bucket", [])[0]]


def counters_clear() -> None:
    _execute("DELETE FROM core_rate_counter", [])


def sweep_if_due(now_s: int) -> int:
    """Delete buckets whose window ended long ago (idle clients), at most once a minute per process."""
    if now_s - _last_sweep[0] < SWEEP_EVERY:
        return 0
    _last_sweep[0] = now_s
    return sweep(now_s)


def sweep(now_s: int) -> int:
    longest = max((p.window for n in settings.XINYONG_RATE_LIMITS if (p := policy(n))), default=86400)
    return _execute("DELETE FROM core_rate_counter WHERE window_start < %s", [now_s - 2 * longest])[1]


def headers(counts: list[Count], now_s: int) -> dict[str, str]:
    """RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers-08) for the request's buckets."""
    if not counts:
        return {}
    policies = ", ".join(f'"{c.policy.name}";q={c.policy.quota};w={c.policy.window}' for c in counts)
    states = ", ".join(f'"{c.policy.name}";r={c.remaining};t={c.reset_after(now_s)}' for c in counts)
    return {"RateLimit-Policy": policies, "RateLimit": states}


class RateLimitMiddleware:
    """Count each /api/ request; over a limit, answer 429 problem `rate.limited` instead of the view.
    Runs after the token middleware (accounts.middleware), which sets `request.api_token_id`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        now_s = clock()
        counts = count(request, getattr(request, "api_token_id", None), now_s)
        over = [c for c in counts if c.exceeded]
        response = refused(request, over, now_s) if over else self.get_response(request)
        for name, value in headers(counts, now_s).items():
            response[name] = value
        return response


def refused(request, over: list[Count], now_s: int):
    from xinyong.core.api import problem

    worst = max(over, key=lambda c: c.reset_after(now_s))
    unit = "字节" if worst.policy.name == "upload" else "次请求"
    detail = (
        f"请求过于频繁：{worst.policy.window} 秒内最多 {worst.policy.quota} {unit}"
        f"（{worst.policy.name}），请 {worst.reset_after(now_s)} 秒后再试"
    )
    response = problem(
        request, 429, "rate.limited", detail, policy=worst.policy.name, retry_after=worst.reset_after(now_s)
    )
    response["Retry-After"] = str(worst.reset_after(now_s))
    return response
