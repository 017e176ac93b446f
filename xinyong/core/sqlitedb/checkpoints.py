"""WAL checkpoints outside the write lock, for a writer of many short transactions (issue 18, ADR 0041).

SQLite copies the write-ahead log back into the database file in the commit that takes the log past
`wal_autocheckpoint` pages (config/envdb.py: 4,000), before the commit returns — so before our side lock
(sqlitedb/base.py) is released, and every writer that waits for the lock waits for the checkpoint too. A
staged import's chunk of ~25 ms writes about 3,000 pages (~150 rows of ~1 KB with their indexes and name
grams), so it takes the log past the limit every other chunk. `checkpoints_after_commits` turns the importing
connection's automatic checkpoints off while it writes and has it checkpoint (PASSIVE: never waits for, nor
blocks, readers or writers) after each of its commits, outside the lock. Checkpointing only every 4,000 rows
left the log past the limit for the other connections: a check's commit then copied it back under the lock,
30–45 ms, and every check and chunk behind it waited (measured at 1 M subjects / 10 M records: the checks' p99
during an import 56–62 ms, 29 ms with a checkpoint after every chunk, for an import 8 % slower). Other
connections keep their own setting. On PostgreSQL it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def checkpoints_after_commits() -> Iterator[Callable[[], object]]:
    """While inside: no automatic checkpoint in this connection's commits; call the function given after each
    commit (outside any transaction) to checkpoint what it wrote. On the way out the setting is restored."""
    if connection.vendor != "sqlite":
        yield lambda: None
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_autocheckpoint")
        pages = cur.fetchone()[0]
        cur.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield _checkpoint
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
