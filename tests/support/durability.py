"""Whether this connection's commits wait for the disk (ADR 0043), as the storage reports it."""

from __future__ import annotations

from django.db import connection

DURABLE = {"sqlite": "2", "postgresql": "on"}  # SQLite FULL (config/envdb.py); PostgreSQL's default
NOT_AWAITED = {"sqlite": "1", "postgresql": "off"}  # SQLite NORMAL


def commit_wait_setting() -> str:
    """SQLite's `synchronous` (as a number) or PostgreSQL's `synchronous_commit`, as text."""
    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous" if connection.vendor == "sqlite" else "SHOW synchronous_commit")
        return str(cur.fetchone()[0])
