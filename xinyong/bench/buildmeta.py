"""What a benchmark's data build records about itself, inside the database it built (so a reused database says
what it holds), the size of that database, and how a build leaves it: shared by the benchmarks' data
builds."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.db import connection


def meta_write(table: str, meta: dict) -> None:
    """Keep `meta` (JSON) in a one-row table `table` of the benchmark's database."""
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (body TEXT NOT NULL)")
        cur.execute(f"INSERT INTO {table} (body) VALUES (%s)", [json.dumps(meta, ensure_ascii=False)])


def meta_read(table: str) -> dict:
    """What `meta_write` kept in `table`; {} for a database without it."""
    if table not in connection.introspection.table_names():
        return {}
    with connection.cursor() as cur:
        cur.execute(f"SELECT body FROM {table}")
        row = cur.fetchone()
    return json.loads(row[0]) if row else {}


def database_bytes() -> int:
    """The size of the benchmark's database: PostgreSQL's own count, or the SQLite file with its WAL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return cur.fetchone()[0]
    name = Path(connection.settings_dict["NAME"])
    return sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())


def settle_after_load() -> float:
    """Leave a freshly loaded benchmark database as a server that has run a while holds it (issue 18).

    PostgreSQL: VACUUM (ANALYZE), not only ANALYZE. Rows loaded with COPY are in no page's visibility map
    until a vacuum has passed, so every index-only scan (the check's records summary, the search's posting
    lists) still visits the table, one heap page per entry, and the first read of each row dirties its page
    to set hint bits. A deployed server's autovacuum does this after a load; this machine's runs with
    autovacuum off, and a measurement cannot wait for it. SQLite: the WAL checkpointed and truncated.
    Run once, after the whole load; returns the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM (ANALYZE)")
        else:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return round(time.perf_counter() - started, 1)
