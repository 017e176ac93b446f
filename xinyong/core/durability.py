"""Commits not waited for on disk, for the intermediate transactions of a staged import (issue 18, ADR 0043).

A staged import writes its rows in many short transactions that nobody sees (ADR 0026: the batch's versions
are shown to nobody until it is published) and records with each one how far it got (`rows_done`). Waiting
for the disk at each of those commits buys nothing the import needs: after a crash it resumes from the last
`rows_done` that reached the disk, and the rows of a lost chunk are lost with the `rows_done` that counted
them. Only the publication, and every other transaction of the platform, waits for the disk.

`commits_not_awaited()` turns the wait off for this connection while inside: SQLite `synchronous=NORMAL`
(in WAL mode a commit is atomic but not yet synced; the WAL is synced at the next checkpoint or by any other
connection's durable commit), PostgreSQL `synchronous_commit = off` (likewise: a crash may lose the last
transactions, never make the database inconsistent). Both logs are one sequence: a durable commit, ours at
publication or another writer's, makes everything committed before it durable too, so nothing durable can
depend on a chunk a crash loses. Inside a caller's transaction (tests) it changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def commits_not_awaited() -> Iterator[None]:
    """This connection's commits do not wait for the disk while inside; its own setting again after."""
    vendor = connection.vendor
    if connection.in_atomic_block or vendor not in ("sqlite", "postgresql"):
        yield
        return
    with connection.cursor() as cur:
        if vendor == "sqlite":
            cur.execute("PRAGMA synchronous")
            restore = f"PRAGMA synchronous={int(cur.fetchone()[0])}"
            cur.execute("PRAGMA synchronous=NORMAL")
        else:
            restore = "RESET synchronous_commit"
            cur.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(restore)
