"""What a benchmark's data build records about itself, inside the database it built (so a reused database says
what it holds), and the size of that database: shared by `bench check` and `bench portal`."""

from __future__ import annotations

import json
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
