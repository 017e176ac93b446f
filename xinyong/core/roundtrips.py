"""Fewer round trips for the hot paths on PostgreSQL (issue 18, ADR 0029): reads that do not depend on each
other sent together in one pipeline, as server-side prepared statements, and writes queued until the commit.

Each app keeps its own SQL (ADR 0022): an owner hands out a `Read` (its statement and how to decode the rows)
instead of running it, and the caller composing several owners' reads runs them with `read_together`. On
PostgreSQL that is one psycopg pipeline, one network round trip for all of them, each statement prepared on
the server once per connection; on SQLite (in process, no round trips) they run one after another, as
`bulk.select_in` would.

A statement may hold one `IN ({})` for a list of values: SQLite gets one `%s` per value (in chunks of 500),
PostgreSQL `= ANY(%s::<array>[])` with the list as one array parameter, so its text, and its prepared
statement, is the same for any number of values above one. A single value (the single-subject check, the
hot path) is sent as `= %s::<type>` instead: for `= ANY($n)` the server's generic plan is estimated at many
rows, so it keeps choosing a custom plan and plans the statement again at every execution (0.2–0.3 ms each,
measured at 1 M subjects / 10 M records), while the generic plan of `= $n` is chosen after five executions
and reused.

An IN list may instead be a `Subquery`: the values are selected by the database in the same statement, so a
read that depends on another's result (the check's standing on the subjects its identifiers lead to) is sent
in the same round trip (ADR 0045).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

from xinyong.core.bulk import _driver_sql, in_pipeline

T = TypeVar("T")
CHUNK = 500


@dataclass(frozen=True)
class Statement:
    sql: str  # `%s` placeholders; at most one `IN ({})` for `values`, after every other placeholder
    params: tuple = ()  # the parameters before the values
    values: Sequence | Subquery | None = None  # the IN list; None when the statement has none
    array: str = "bigint"  # the values' element type on PostgreSQL


@dataclass(frozen=True)
class Subquery:
    """The values of an `IN ({})` selected by the database: the one column of `statement`'s rows (its own IN
    list, if any, sent as every other; ADR 0045). An owner hands it out as it hands out a `Read`."""

    statement: Statement

    def read(self) -> Read[set]:
        """The values themselves, as a read to send with those that use them (what they were run over)."""
        return Read([self.statement], lambda rows: {r[0] for r in rows[0]})


IdsIn = Sequence[int] | Subquery  # ids given, or selected by the database in the same statement


def in_values(values: Sequence | Subquery) -> Sequence | Subquery:
    """An IN list as a statement keeps it: a subquery as it is, values as a list of their own."""
    return values if isinstance(values, Subquery) else list(values)


def _has_values(s: Statement) -> bool:
    """Whether `s` is sent at all: an empty IN list selects nothing, answered without the database."""
    return s.values is None or isinstance(s.values, Subquery) or len(s.values) > 0


class Read(Generic[T]):
    """One or more statements and what their rows mean (`finish` gets one row list per statement)."""

    __slots__ = ("finish", "statements")

    def __init__(self, statements: Sequence[Statement], finish: Callable[[list[list[tuple]]], T]):
        self.statements = tuple(statements)
        self.finish = finish

    @classmethod
    def one(
        cls,
        sql: str,
        params: Sequence = (),
        *,
        values: Sequence | Subquery | None = None,
        decode: Callable[[list[tuple]], Any] = list,
        array: str = "bigint",
    ) -> Read:
        return cls([Statement(sql, tuple(params), values, array)], lambda rows: decode(rows[0]))

    @classmethod
    def combine(cls, reads: Sequence[Read], combine: Callable[..., T]) -> Read[T]:
        """Several reads as one: `combine` gets their results in order."""
        sizes = [len(r.statements) for r in reads]

        def finish(rows: list[list[tuple]]) -> T:
            out, at = [], 0
            for read, size in zip(reads, sizes, strict=True):
                out.append(read.finish(rows[at : at + size]))
                at += size
            return combine(*out)

        return cls([s for r in reads for s in r.statements], finish)


def read_together(*reads: Read) -> list:
    """Run every statement of `reads` (one round trip on PostgreSQL) and return each read's result."""
    statements = [s for r in reads for s in r.statements]
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor == "postgresql":
            rows = _postgres(db.connection, statements)
        else:
            rows = [_sqlite(db.connection, s) for s in statements]
    out, at = [], 0
    for read in reads:
        size = len(read.statements)
        out.append(read.finish(rows[at : at + size]))
        at += size
    return out


def _sqlite(raw, s: Statement) -> list[tuple]:
    cur = raw.cursor()
    if s.values is None or isinstance(s.values, Subquery):
        return cur.execute(*_sqlite_statement(s)).fetchall()
    rows: list[tuple] = []
    for i in range(0, len(s.values), CHUNK):  # SQLite's limit on parameters: the list in chunks
        sql, params = _sqlite_list(s, s.values[i : i + CHUNK])
        rows.extend(cur.execute(_driver_sql(sql, "sqlite"), params).fetchall())
    return rows


def _sqlite_statement(s: Statement) -> tuple[str, tuple]:
    """The SQLite text and parameters of `s`, its IN list written out whole (a subquery's too: a subquery is
    for a few values)."""
    sql, params = _composed(s, _sqlite_list)
    return _driver_sql(sql, "sqlite"), params


def _sqlite_list(s: Statement, values: Sequence) -> tuple[str, tuple]:
    return s.sql.format(", ".join(["%s"] * len(values))), (*s.params, *values)


ListWriter = Callable[[Statement, Sequence], tuple[str, tuple]]  # a storage's text and parameters for values


def _composed(s: Statement, write_list: ListWriter) -> tuple[str, tuple]:
    """`s` as its text and parameters: as it is without an IN list; with a subquery, the subquery's statement
    written into it (composed the same way); with values, as `write_list` writes them for the storage."""
    if s.values is None:
        return s.sql, s.params
    if isinstance(s.values, Subquery):
        inner, inner_params = _composed(s.values.statement, write_list)
        return s.sql.replace("IN ({})", f"IN ({inner})"), (*s.params, *inner_params)
    return write_list(s, s.values)


def _postgres(raw, statements: list[Statement]) -> list[list[tuple]]:
    import psycopg

    todo = [s for s in statements if _has_values(s)]
    fresh = len(todo) > 1 and not in_pipeline(raw)
    cursors: list[Any] = []
    with raw.pipeline() if fresh else contextlib.nullcontext():
        for s in todo:
            cur = psycopg.Cursor(raw)  # server-side binding: the statement can be prepared
            cur.execute(*_pg_statement(s), prepare=True)
            cursors.append(cur)
    # a fresh pipeline has been synced on leaving it (one round trip): every result is in; inside the
    # caller's pipeline the first fetch flushes it (one round trip)
    found = iter([cur.fetchall() for cur in cursors])
    return [next(found) if _has_values(s) else [] for s in statements]


def _pg_statement(s: Statement) -> tuple[str, tuple]:
    """The PostgreSQL text and parameters of `s`: its values as one array, or one scalar (see the module)."""
    return _composed(s, _pg_list)


def _pg_list(s: Statement, values: Sequence) -> tuple[str, tuple]:
    if len(values) == 1:
        return _pg_sql(s.sql, s.array, single=True), (*s.params, values[0])
    return _pg_sql(s.sql, s.array), (*s.params, list(values))


@functools.lru_cache(maxsize=256)
def _pg_sql(sql: str, array: str, *, single: bool = False) -> str:
    """`IN ({})` as `= ANY(%s::<array>[])`, or as `= %s::<array>` for a single value."""
    return sql.replace("IN ({})", f"= %s::{array}" if single else f"= ANY(%s::{array}[])")


def execute_prepared(sql: str, params: Sequence = ()):
    """`bulk.execute`, prepared on the server on PostgreSQL (a statement run on every check)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor != "postgresql":
            cur = db.connection.cursor()
            cur.execute(_driver_sql(sql, db.vendor), params)
            return cur
        import psycopg

        cur = psycopg.Cursor(db.connection)
        cur.execute(sql, params, prepare=True)
        return cur


@contextlib.contextmanager
def pipelined_transaction() -> Iterator[bool]:
    """Run the body of an outermost `transaction.atomic()` as one PostgreSQL pipeline: BEGIN is sent with
    the body's first statements and COMMIT with its last, so a body that reads once (the audit tip, issue
    18) costs two round trips in all. Yields whether it does; otherwise (SQLite, or inside another atomic
    block, e.g. a test's) the body runs as usual.

    psycopg, left to itself, sends BEGIN and waits for it, and syncs again whenever the connection's
    autocommit changes in pipeline mode; so for the body the connection is put in autocommit and the body
    is bracketed with an explicit BEGIN and COMMIT of our own. Django's commit at the end of the atomic block
    then finds no transaction open and sends nothing. Statements whose results are read cost a round trip
    each (a fetch flushes the pipeline); the others wait for the COMMIT. Errors surface at the latest at
    the COMMIT, as Django's (IntegrityError …), and roll back everything the body wrote."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or len(db.atomic_blocks) != 1 or db.connection is None:
        yield False
        return
    import psycopg.pq

    raw = db.connection
    if raw.pgconn.transaction_status != psycopg.pq.TransactionStatus.IDLE:  # pragma: no cover - defensive
        yield False
        return
    raw.autocommit = True  # idle and not in a pipeline: no round trip
    try:
        with db.wrap_database_errors, raw.pipeline():
            raw.execute("BEGIN")
            yield True
            raw.execute("COMMIT")
    finally:
        if raw.pgconn.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            raw.execute("ROLLBACK")  # the body failed: nothing it wrote stays
        raw.autocommit = False
