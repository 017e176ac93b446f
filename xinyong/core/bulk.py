"""Raw bulk writes for the hot paths (imports). Django's bulk_create manages ~13,000 rows/s on SQLite
(docs/performance.md); executemany with pre-allocated ids is what gets near the storage's own speed there. On
PostgreSQL, where every statement is a round trip, bulk writes are one COPY and batched reads one statement
over an array (issue 18, ADR 0028).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections


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


def insert_many(
    table: str, columns: Sequence[str], rows: Iterable[Sequence], *, ignore_conflicts: bool = False
) -> None:
    """Write every row in the caller's transaction: on SQLite one prepared INSERT (executemany); on PostgreSQL
    one `COPY … FROM STDIN` (issue 18: several times faster than row inserts, a couple of round trips in all;
    a single row is one INSERT, which is one round trip; inside a pipeline, queued row inserts).

    Values are in the database's form (`db_datetime`, `db_date`; JSON columns as JSON text), as for
    `connection.cursor()`. `ignore_conflicts` leaves rows that would break a unique constraint out (`ON
    CONFLICT DO NOTHING`); COPY has no such clause, so those rows go as row inserts on PostgreSQL too.
    """
    cols = ", ".join(f'"{c}"' for c in columns)
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    sql = f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join(["%s"] * len(columns))}){conflict}'
    if connection.vendor == "postgresql" and not ignore_conflicts and not in_pipeline(connection.connection):
        it = iter(rows)
        head = list(itertools.islice(it, 2))
        if len(head) == 1:
            with connection.cursor() as cur:
                cur.execute(sql, head[0])
        elif head:
            copy_rows(table, columns, itertools.chain(head, it))
        return
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def in_pipeline(raw) -> bool:
    """Whether a psycopg connection (None: not opened yet) is inside a pipeline (core/roundtrips.py). COPY
    cannot run there, so `insert_many` queues row inserts instead, which is what the pipeline is for."""
    import psycopg.pq

    return raw is not None and raw.pgconn.pipeline_status != psycopg.pq.PipelineStatus.OFF


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """PostgreSQL only: `COPY table (columns) FROM STDIN` of the rows (text format: psycopg writes each value
    with its text dumper and escapes tabs, newlines and backslashes; None is NULL). Errors are raised as
    Django's (IntegrityError …). Returns the number of rows written."""
    cols = ", ".join(f'"{c}"' for c in columns)
    n = 0
    with connection.cursor() as cur, connection.wrap_database_errors:
        with cur.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write(row)
                n += 1
    return n


_IN_LIST = re.compile(r"\bIN \(\{\}\)")
PG_ARRAY_CHUNK = 10_000


def select_in(sql: str, values: Sequence, *, before: Sequence = (), chunk: int = 500) -> list[tuple]:
    """Run `sql` (which contains one `IN ({})` placeholder, its last parameter) over `values` in chunks;
    concatenate the rows. On PostgreSQL the list is one array parameter (`= ANY(%s)`), so a chunk of up to
    PG_ARRAY_CHUNK values is one statement, one round trip (issue 18)."""
    if connection.vendor == "postgresql":
        any_sql = _IN_LIST.sub("= ANY(%s)", sql)
        size = max(chunk, PG_ARRAY_CHUNK)
        out: list[tuple] = []
        for i in range(0, len(values), size):
            out.extend(execute(any_sql, [*before, list(values[i : i + size])]).fetchall())
        return out
    out = []
    for i in range(0, len(values), chunk):
        part = values[i : i + chunk]
        out.extend(execute(sql.format(", ".join(["%s"] * len(part))), [*before, *part]).fetchall())
    return out


def execute(sql: str, params: Sequence = ()):
    """Run one statement on the driver's own cursor and return that cursor (fetchone / fetchall).

    For the hot paths (the check, the audit append, batched reads): Django's cursor wrapper rewrites every
    statement's placeholders with a regular expression and adds three layers of calls, about 30 µs a
    statement against 15 µs for the statement itself (docs/performance.md). Statements are written with `%s`
    as for `connection.cursor()`; parameters must already be in the database's form (`db_datetime`,
    `db_date`). Errors are raised as Django's (IntegrityError …), as from `connection.cursor()`.
    """
    db = connections[DEFAULT_DB_ALIAS]  # one lookup of the thread's wrapper (`connection` is a proxy)
    if db.connection is None:
        db.ensure_connection()
    cur = db.connection.cursor()
    with db.wrap_database_errors:
        cur.execute(_driver_sql(sql, db.vendor), params)
    return cur


_PLACEHOLDER = re.compile(r"(?<!%)%s")


@functools.lru_cache(maxsize=1024)
def _driver_sql(sql: str, vendor: str) -> str:
    """SQLite's driver takes `?` (what Django's SQLite cursor does to every statement); psycopg takes `%s`."""
    return _PLACEHOLDER.sub("?", sql).replace("%%", "%") if vendor == "sqlite" else sql


def db_datetime(value):
    """A datetime as the database layer expects it in raw SQL (what the ORM would send)."""
    return connection.ops.adapt_datetimefield_value(value)


def db_date(value):
    return connection.ops.adapt_datefield_value(value)


def row_date_iso(value) -> str | None:
    """A date column of a raw-SQL row as YYYY-MM-DD (SQLite gives text, PostgreSQL a date)."""
    if value is None:
        return None
    return value.isoformat()[:10] if isinstance(value, dt.date) else str(value)[:10]


def row_datetime(value) -> dt.datetime:
    """A timestamp column of a raw-SQL row as an aware datetime (SQLite gives naive UTC text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


_pause_lock = threading.Lock()
_pause = {"steps": 0, "ours": False}  # steps in progress (all threads); whether they turned the collector off


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one bulk step (an import chunk, issue 18 bulk speed).

    A chunk allocates a few hundred thousand small containers that live until the chunk is written (rows,
    payloads, index rows); each 700 allocations start a collection, and every tenth of those walks the older
    generation again, whole Django included: 15–25 % of an import's CPU. The hot paths make no reference
    cycles, and the collector runs again when the step ends. Process-wide, so counted across threads: it
    runs again when the last step in progress ends (a staged import validates its next chunk in another
    thread while it writes one, intake/ahead.py), and a collector someone else turned off stays off."""
    with _pause_lock:
        if not _pause["steps"]:
            _pause["ours"] = gc.isenabled()
            gc.disable()
        _pause["steps"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause["steps"] -= 1
            if not _pause["steps"] and _pause["ours"]:
                gc.enable()
