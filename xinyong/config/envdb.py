"""Turns XINYONG_DATABASE_URL into a Django DATABASES entry, and keeps generated secrets on disk."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlparse, urlunparse

SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA cache_size=-65536;"  # 64 MiB page cache: index maintenance in bulk imports stays in memory
    "PRAGMA temp_store=MEMORY;"
    # WAL checkpoints (copying the WAL back into the database file, inside the commit that crosses the
    # limit) every 4,000 pages instead of SQLite's 1,000: a check writes ~14 pages, so one check in ~70 paid
    # a checkpoint and set the check's p99 (3.4–4.2 ms → 1.3–1.5 ms at 1 M subjects). Pages rewritten
    # between checkpoints are copied once, so fewer, larger checkpoints copy less in all; the rarer stall
    # is longer (max ~5 → ~9 ms) and the WAL file peaks at ~16 MB. Durability is unchanged (ADR 0010).
    "PRAGMA wal_autocheckpoint=4000;"
)


def database_from_url(url: str) -> dict:
    """sqlite:///abs/path (WAL, synchronous=FULL, busy timeout, immediate transactions) or postgresql://."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return _sqlite(unquote(parsed.path) if parsed.netloc == "" else unquote(parsed.netloc + parsed.path))
    if parsed.scheme in ("postgres", "postgresql"):
        return _postgres(parsed)
    raise ValueError(f"XINYONG_DATABASE_URL: unsupported scheme {parsed.scheme!r} (use sqlite or postgresql)")


def _sqlite(path: str) -> dict:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "xinyong.core.sqlitedb",  # Django's SQLite backend + a queue before the write lock
        "NAME": path,
        "CONN_MAX_AGE": None,
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": SQLITE_INIT},
        # Tests use a real file too (WAL, BEGIN IMMEDIATE, busy timeout): in-memory shared-cache SQLite
        # reports "table is locked" to concurrent writers instead of waiting, unlike a real deployment.
        # One file per test process, so two test runs in one checkout do not share a database.
        "TEST": {"NAME": None if path == ":memory:" else _test_path(path)},
    }


def _test_path(path: str) -> str:
    return str(Path(path).with_name(f"test_{os.getpid()}_{Path(path).name}"))


# psycopg prepares on the server only the statements that ask (`prepare=True`: the check's, core.roundtrips,
# ADR 0029), never Django's own; `?prepare_threshold=none` in the URL turns server-side prepared statements
# off (a PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
PREPARE_ONLY_ASKED = 2**31 - 1


PLATFORM_OPTIONS = ("pool", "prepare_threshold")  # query options read here, unknown to libpq


def with_database(url: str, name: str) -> str:
    """`url` naming database `name` on the same server, its query options kept."""
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def admin_url(url: str) -> str:
    """The server's maintenance database, for CREATE/DROP DATABASE with a plain `psycopg.connect`."""
    return libpq_url(with_database(url, "postgres"))


def libpq_url(url: str) -> str:
    """`url` without the query options only the platform reads, for a plain `psycopg.connect`."""
    parsed = urlparse(url)
    kept = [(k, v) for k, vs in parse_qs(parsed.query).items() if k not in PLATFORM_OPTIONS for v in vs]
    return urlunparse(parsed._replace(query=urlencode(kept)))


def _postgres(parsed) -> dict:
    options: dict = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    threshold = options.get("prepare_threshold", PREPARE_ONLY_ASKED)
    options["prepare_threshold"] = None if str(threshold).lower() in ("none", "") else int(threshold)
    pool = _pool_size(options.pop("pool", None))
    if pool:
        options["pool"] = {"min_size": pool, "max_size": pool}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        # one connection per process, kept between requests (a sync worker serves one request at a time), or
        # with ?pool=N a psycopg pool of N per process, which Django cannot combine with persistent ones
        "CONN_MAX_AGE": 0 if pool else None,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


POOL_MAX = 100


def _pool_size(value: str | None) -> int:
    """`?pool=N` (N ≥ 1 connections per process, ADR 0047); absent, 0 or `off` for none."""
    if value is None or value.lower() in ("", "0", "off", "false", "no"):
        return 0
    if not value.isdigit() or not 1 <= int(value) <= POOL_MAX:
        raise ValueError(
            f"XINYONG_DATABASE_URL: pool={value!r} must be a number of connections from 1 to {POOL_MAX}"
        )
    return int(value)


def ensure_secret(path: Path, nbytes: int) -> str:
    """Return the secret kept in `path`, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
