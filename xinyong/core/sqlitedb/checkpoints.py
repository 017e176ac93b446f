"""WAL checkpoints outside the write lock, for a writer of many short transactions (issue 18, ADR 0041).

SQLite copies the write-ahead log back into the database file in the commit that takes the log past
`wal_autocheckpoint` pages (config/envdb.py: 4,000), before the commit returns — so before our side lock
(sqlitedb/base.py) is released, and every writer that waits for the lock waits for the checkpoint too. A
staged import's chunk of ~25 ms writes about 3,000 pages (~150 rows of ~1 KB with their indexes and name
grams), so it takes the log past the limit every other chunk. `checkpoints_after_commits` turns the importing
connection's automatic checkpoints off while it writes and has it checkpoint (PASSIVE: never waits for, nor
blocks, readers or writers) after its commits, outside the lock — after each one at first, then as often as
the pages it writes need (below). Checkpointing only every 4,000 rows left the log past the limit for the
other connections: a check's commit then copied it back under the lock, 30–45 ms, and every check and chunk
behind it waited (measured at 1 M subjects / 10 M records: the checks' p99 during an import 56–62 ms, 29 ms
with a checkpoint after every chunk, for an import 8 % slower). Other connections keep their own setting. On
PostgreSQL it does nothing.

A checkpoint costs two flushes whatever it copies (~16 ms), so one after every chunk of a small database's
import (a few hundred pages a chunk) was about a third of the import. `_AfterCommits` checkpoints after the
first commit, learns from each checkpoint how many pages a row wrote, and skips a checkpoint while the rows
since the last one, and a next chunk twice as large, keep the log under half the limit: at 1 M subjects a
chunk writes more than that, so it still checkpoints after every chunk (ADR 0046).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

SHARE_OF_LIMIT = 0.5  # the log kept under this share of the limit between checkpoints


@contextmanager
def checkpoints_after_commits() -> Iterator[Callable[[int], object]]:
    """While inside: no automatic checkpoint in this connection's commits; call the function given after each
    commit (outside any transaction) with the rows it wrote, to checkpoint when what was written needs it. On
    the way out the log is checkpointed and the setting restored."""
    if connection.vendor != "sqlite":
        yield _nothing
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


def _nothing(rows: int = 1) -> None:
    """PostgreSQL: no WAL of ours to copy back."""


class _AfterCommits:
    """Called after each commit with the rows it wrote: checkpoints unless the rows since the last checkpoint,
    and a next chunk of up to twice this one's (intake/chunking.py GROWTH), stay under SHARE_OF_LIMIT of
    `pages` at the pages per row the last checkpoint found in the log. Returns whether it checkpointed."""

    def __init__(self, pages: int) -> None:
        self.budget = max(1, int(pages * SHARE_OF_LIMIT))
        self.per_row: float | None = None  # unknown until the first checkpoint: it follows the first commit
        self.rows = 0

    def __call__(self, rows: int = 1) -> bool:
        self.rows += rows
        if self.per_row is not None and (self.rows + 2 * rows) * self.per_row < self.budget:
            return False
        frames = _checkpoint()
        if frames is None:
            return False
        # the log's frames since the last checkpoint (more, if a reader kept the log from restarting: then
        # the estimate errs towards checkpointing sooner)
        self.per_row = max(frames, 1) / max(self.rows, 1)
        self.rows = 0
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
