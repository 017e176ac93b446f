"""A PostgreSQL database of the search benchmark's own (issue 18): when XINYONG_DATABASE_URL names a
PostgreSQL server, `xinyong bench search` builds and measures in a fresh database on that server,
`bench_search_<pid>`, created and dropped through the server's maintenance database (`postgres`), never in
the database the URL names. Self-contained on purpose; the other benchmarks may share it later."""

from __future__ import annotations

import os
import re
from urllib.parse import urlparse, urlunparse

import psycopg

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def server_url() -> str | None:
    """The PostgreSQL URL of the environment, or None (the benchmark then uses SQLite in its directory)."""
    url = os.environ.get("XINYONG_DATABASE_URL", "")
    return url if urlparse(url).scheme in ("postgres", "postgresql") else None


def database_url(url: str, name: str) -> str:
    """`url` with its database replaced by `name` (query string, user and host kept)."""
    return urlunparse(urlparse(url)._replace(path="/" + name))


def fresh_name() -> str:
    return f"bench_search_{os.getpid()}"


def _maintenance(url: str) -> psycopg.Connection:
    return psycopg.connect(database_url(url, "postgres"), autocommit=True)


def create(url: str, name: str) -> None:
    """Create database `name` (UTF-8) on the server of `url`; an existing one is an error."""
    if not _NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    with _maintenance(url) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def exists(url: str, name: str) -> bool:
    with _maintenance(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop(url: str, name: str) -> None:
    if not _NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    with _maintenance(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
