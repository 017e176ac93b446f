"""WAL checkpoints outside the write lock, for a writer of many short transactions (issue 18, ADR 0041).

SQLite copies the write-ahead log back into the database file in the commit that takes the log past
`wal_autocheckpoint` pages (config/envdb.py: 4,000), before the commit returns — so before our side lock
(sqlitedb/base.py) is released, and a check that waits for the lock waits for the checkpoint too. A staged
import writes ~1 KB rows and crosses the limit every few dozen chunks. `checkpoints_after_commits` turns the
importing connection's automatic checkpoints off while it writes and has it checkpoint (PASSIVE: never waits
for, nor blocks, readers or writers) between its transactions instead, every ROWS_PER_CHECKPOINT rows and at
the end, outside the lock. Other connections keep their own setting. On PostgreSQL it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

#: Rows of ~1 KB written between two checkpoints: about the 4,000 pages of the automatic limit (each
#: checkpoint copies and syncs the database file: one per chunk made an import half as fast).
ROWS_PER_CHECKPOINT = 4_000


@contextmanager
def checkpoints_after_commits() -> Iterator[Callable[[int], None]]:
    """While inside: no automatic checkpoint in this connection's commits; call the function given after each
    commit (outside any transaction) with the rows it wrote: once ROWS_PER_CHECKPOINT have been written, it
    checkpoints them. On the way out, what is left is checkpointed and the setting restored."""
    if connection.vendor != "sqlite":
        yield lambda rows: None
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_autocheckpoint")
        pages = cur.fetchone()[0]
        cur.execute("PRAGMA wal_autocheckpoint=0")
    pending = 0

    def after_commit(rows: int) -> None:
        nonlocal pending
        pending += rows
        if pending >= ROWS_PER_CHECKPOINT and _checkpoint():
            pending = 0

    try:
        yield after_commit
    finally:
        _checkpoint()
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


def _checkpoint() -> bool:
    """A PASSIVE checkpoint, unless inside a caller's transaction (tests: nothing is committed yet)."""
    if connection.in_atomic_block:
        return False
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(PASSIVE)")
        cur.fetchall()
    return True
