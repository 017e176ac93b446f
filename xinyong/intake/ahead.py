"""A staged import reads and validates its next chunk while the current one is written (issue 18, ADR 0044).

A chunk's write waits for the database much of its time (PostgreSQL: the COPYs, the lookups, the commit), and
the driver releases the GIL while it waits. `chunks_ahead` hands the reading of the next chunk and its
validation (`RecordImporter.validate`: pure Python, no database) to one worker thread meanwhile; the caller's
thread finishes each chunk (`complete`: the windows and timeliness of dates the import had not met yet, which
read the rules and the calendar) before writing it. So:

* at most one chunk is read ahead of the one being written (memory: two chunks);
* each chunk's size is the sizer's when the chunk is asked for: from the chunks written before the current
  one (the current one's time is not known yet);
* the worker never touches the database: its thread's connection refuses to connect (`_no_database`), so a
  change that made `validate` query would fail at once instead of opening a second connection (which would
  not see the caller's transaction, nor, in tests, the test's data);
* an exception of the worker (a file found unreadable half-way, `FileRefused`; a bug) is raised in the
  caller's thread when the chunk it belongs to is asked for, after the chunks before it were written: what
  the import commits and raises is what it did without the thread;
* leaving the loop, by an error or an interrupt, waits for the worker to finish the chunk it is on (it is
  dropped): nothing reads the rows after the import stopped, and the caller may close the file.

`ahead=False` does the same work in the caller's thread, each chunk read when it is asked for, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from xinyong.core.bulk import collector_paused
from xinyong.intake.chunking import ChunkSizer
from xinyong.intake.importer import Prepared, RecordImporter

Rows = Iterator[tuple[int, dict]]


@contextmanager
def chunks_ahead(
    rows: Rows, sizer: ChunkSizer, importer: RecordImporter, *, ahead: bool = True
) -> Iterator[Iterator[Prepared]]:
    """The rows in prepared chunks of `sizer.rows` rows; with `ahead`, the next one read and validated in a
    worker thread while the caller writes the last one, the worker joined when the block ends."""
    if not ahead:
        yield _prepared(None, rows, sizer, importer)
        return
    pool = ThreadPoolExecutor(1, thread_name_prefix="xinyong-import-ahead", initializer=_no_database)
    try:
        yield _prepared(pool, rows, sizer, importer)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _prepared(
    pool: ThreadPoolExecutor | None, rows: Rows, sizer: ChunkSizer, importer: RecordImporter
) -> Iterator[Prepared]:
    pending: Future[Prepared | None] | None = None
    while True:
        # the first chunk (and every chunk without a pool) is read here, when asked for; the worker's
        # exception, if it raised, is raised by `result()`
        prepared = _read(rows, sizer.rows, importer) if pending is None else pending.result()
        if prepared is None:
            return
        importer.complete(prepared)  # while the worker is idle: it fills the caches `validate` reads
        if pool is not None:
            pending = pool.submit(_read, rows, sizer.rows, importer)
        yield prepared


def _read(rows: Rows, size: int, importer: RecordImporter) -> Prepared | None:
    """The next `size` rows, validated; None when there are no more."""
    with collector_paused():  # reading a chunk allocates as much as writing it (core/bulk.py)
        chunk = list(islice(rows, size))
    return importer.validate(chunk) if chunk else None


def _no_database() -> None:
    """The worker thread's connection refuses to connect (the worker must not read the database)."""

    def refuse() -> None:
        raise RuntimeError("导入预读线程不得访问数据库（intake/ahead.py，ADR 0044）")

    connections[DEFAULT_DB_ALIAS].ensure_connection = refuse  # type: ignore[method-assign]


def read_ahead() -> bool:
    """Whether staged imports read ahead (settings.XINYONG_IMPORT_READ_AHEAD; off by default, ADR 0044)."""
    return settings.XINYONG_IMPORT_READ_AHEAD
