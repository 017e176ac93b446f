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

A checkpoint costs two flushes whatever it copies (~16 ms), so one after every chunk of a small database's
import (a few hundred pages a chunk) was about a third of the import. `_AfterCommits` checkpoints after every
commit until a checkpoint tells how many pages the commits since the last one wrote, then after as many
commits as keep the log under half the limit (at most MOST_COMMITS_APART): at 1 M subjects a chunk writes more
than that, so it still checkpoints after every chunk (ADR 0046).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

SHARE_OF_LIMIT = 0.5  # checkpoint when the commits since the last one wrote about this share of the limit
MOST_COMMITS_APART = 16


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
        yield _AfterCommits(pages)
    finally:
        _checkpoint()
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


class _AfterCommits:
    """Called after each commit: checkpoints once the commits since the last checkpoint have written about
    SHARE_OF_LIMIT of `pages` (estimated from what the last checkpoint found in the log). Returns whether it
    checkpointed."""

    def __init__(self, pages: int) -> None:
        self.budget = max(1, int(pages * SHARE_OF_LIMIT))
        self.every, self.since = 1, 0

    def __call__(self) -> bool:
        self.since += 1
        if self.since < self.every:
            return False
        frames = _checkpoint()
        if frames is None:
            return False
        # the log's frames since the last checkpoint (more, if a reader kept the log from restarting: then
        # the estimate errs towards checkpointing sooner)
        per_commit = max(frames, 1) / self.since
        self.every = min(MOST_COMMITS_APART, max(1, int(self.budget / per_commit)))
        self.since = 0
        return True


def _checkpoint() -> int | None:
    """A PASSIVE checkpoint: the pages (frames) the log held; None inside a caller's transaction (tests:
    nothing is committed yet)."""
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(PASSIVE)")
        _busy, frames, _copied = cur.fetchone()
    return frames
