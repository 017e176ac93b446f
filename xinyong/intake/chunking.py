"""How many rows a staged import writes per transaction (issue 18, ADR 0041).

A staged chunk holds the write lock while it is written: on SQLite, the only write lock, so a check that
arrives meanwhile waits for the rest of the chunk. Rows cost different times on different machines, for
different categories and for corrections (which supersede versions), so a fixed number of rows cannot bound
the wait. `ChunkSizer` bounds it by time instead: each chunk's rows follow from the rows per second the
previous chunks were written at, so that a chunk takes about `XINYONG_IMPORT_CHUNK_MS` (default 25 ms on
SQLite; 200 ms on PostgreSQL, whose checks read under MVCC and never wait for an import's rows), never more
than `XINYONG_IMPORT_CHUNK_ROWS` (default 1,000 on SQLite, 5,000 on PostgreSQL: ADR 0044) nor fewer than
MIN_ROWS (or that cap, if smaller).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

MIN_ROWS = 50
FIRST_ROWS = 200  # before any chunk was timed: about 10 ms of writing on the machines of docs/performance.md
GROWTH = 2.0  # at most doubled from one chunk to the next: one fast chunk does not make the next one long
DEFAULT_MS = {"sqlite": 25, "postgresql": 200}
# the most rows a transaction holds, by storage (ADR 0044): PostgreSQL's checks read under MVCC and never wait
# for an import's rows, so there the time bound decides and the cap only keeps a chunk's memory bounded
DEFAULT_ROWS = {"sqlite": 1000, "postgresql": 5000}


def chunk_rows() -> int:
    """The most rows one write transaction holds (settings.XINYONG_IMPORT_CHUNK_ROWS, else the storage's
    default); a submission of at most this many rows is written and published in one transaction."""
    return settings.XINYONG_IMPORT_CHUNK_ROWS or DEFAULT_ROWS.get(connection.vendor, 1000)


def chunk_seconds() -> float:
    """The time a staged chunk's write should take (settings.XINYONG_IMPORT_CHUNK_MS, else the storage's
    default)."""
    ms = settings.XINYONG_IMPORT_CHUNK_MS or DEFAULT_MS.get(connection.vendor, 25)
    return ms / 1000


class ChunkSizer:
    """Rows of the next chunk, from the write speed of the chunks before it (a smoothed rows/second)."""

    def __init__(self, *, most: int | None = None, seconds: float | None = None) -> None:
        self.most = most if most is not None else chunk_rows()
        self.least = min(MIN_ROWS, self.most)
        self.seconds = seconds if seconds is not None else chunk_seconds()
        self.rows = max(self.least, min(FIRST_ROWS, self.most))
        self._rate: float | None = None

    def observed(self, rows: int, seconds: float) -> None:
        """A chunk of `rows` rows took `seconds` to write: the next chunk's size follows."""
        rate = rows / max(seconds, 1e-4)
        self._rate = rate if self._rate is None else 0.5 * self._rate + 0.5 * rate
        wanted = int(self._rate * self.seconds)
        self.rows = max(self.least, min(self.most, wanted, int(self.rows * GROWTH)))

    @contextmanager
    def timed(self, rows: int) -> Iterator[None]:
        """Time the write of a chunk of `rows` rows (the whole transaction: lock, writes, commit)."""
        start = time.perf_counter()
        yield
        self.observed(rows, time.perf_counter() - start)
