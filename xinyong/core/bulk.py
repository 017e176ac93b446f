"""Raw bulk writes for the hot paths (imports). Django's bulk_create manages ~13,000 rows/s on SQLite
(FACTS.md); executemany with pre-allocated ids is what gets near the storage's own speed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection


def allocate_ids(table: str, n: int) -> list[int]:
    """Reserve `n` primary keys of `table` for explicit inserts, inside the caller's write transaction.

    PostgreSQL: draws from the column's sequence. SQLite: the write transaction (BEGIN IMMEDIATE) holds the
    database's only write lock, so max(id, sqlite_sequence) + 1 … cannot be taken by anyone else.
    """
    if n <= 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_ids must run inside the write transaction that uses the ids")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cur.fetchall()]
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        top = cur.fetchone()[0]
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cur.fetchone()
        start = max(top, row[0] if row else 0) + 1
    return list(range(start, start + n))


def insert_many(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT every row with one prepared statement (executemany)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cur:
        cur.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)


def select_in(sql: str, values: Sequence, *, before: Sequence = (), chunk: int = 500) -> list[tuple]:
    """Run `sql` (which contains one `IN ({})` placeholder) over `values` in chunks; concatenate the rows."""
    out: list[tuple] = []
    with connection.cursor() as cur:
        for i in range(0, len(values), chunk):
            part = values[i : i + chunk]
            cur.execute(sql.format(", ".join(["%s"] * len(part))), [*before, *part])
            out.extend(cur.fetchall())
    return out


def db_datetime(value):
    """A datetime as the database layer expects it in raw SQL (what the ORM would send)."""
    return connection.ops.adapt_datetimefield_value(value)


def db_date(value):
    return connection.ops.adapt_datefield_value(value)
