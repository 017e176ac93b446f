"""The benchmark database's files in the operating system's page cache (issue 18): read once to warm them, as
a server that has been answering for a while holds them; or evicted, to measure what the first requests after
a restart or a night of other work see (the cold scenario of `xinyong bench check`).

SQLite: the database file and its WAL, after a checkpoint (so the WAL's pages are in the file). PostgreSQL:
the files of the database's relations under the server's data directory, when this process may read them (the
benchmark run as the server's user or root, the server on this machine); PostgreSQL's own shared buffers are
not touched (emptying them needs a restart), so a PostgreSQL "cold" run is colder than a reconnect only by
what the OS held, and says so. Eviction is `posix_fadvise(POSIX_FADV_DONTNEED)`, which needs no privilege
beyond opening the file; pages still dirty are not dropped.
"""

from __future__ import annotations

import glob
import os
import time
from pathlib import Path

from django.db import connection


def database_files() -> tuple[list[Path], str]:
    """The files holding the benchmark database, and why the list may be empty."""
    if connection.vendor != "postgresql":
        name = Path(connection.settings_dict["NAME"])
        return [p for p in (name, Path(f"{name}-wal")) if p.exists()], ""
    with connection.cursor() as cur:
        try:
            cur.execute("SELECT current_setting('data_directory')")
            root = Path(cur.fetchone()[0])
        except Exception as exc:  # not a superuser: the server does not say where its files are
            return [], f"data_directory 不可读：{type(exc).__name__}"
        cur.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
            "WHERE c.relkind IN ('r', 'i', 't', 'm') AND pg_relation_filepath(c.oid) IS NOT NULL"
        )
        relations = [root / row[0] for row in cur.fetchall()]
    files = [Path(f) for rel in relations for f in (str(rel), *glob.glob(f"{glob.escape(str(rel))}[._]*"))]
    readable = [f for f in files if os.access(f, os.R_OK)]
    if files and not readable:
        return [], "数据库服务器的文件不可读（需以服务器用户或 root 运行，且服务器在本机）"
    return readable, "" if readable else "未找到数据库文件（服务器不在本机？）"


def warm(files: list[Path]) -> float:
    """Read every file once; seconds taken."""
    started = time.perf_counter()
    for path in files:
        try:
            with open(path, "rb", buffering=0) as fh:
                while fh.read(8 << 20):
                    pass
        except OSError:
            continue
    return round(time.perf_counter() - started, 1)


def evict(files: list[Path]) -> dict:
    """Checkpoint, then drop the files' clean pages from the OS page cache; what was done."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("CHECKPOINT")  # dirty shared buffers written out, so their OS pages can be dropped
        else:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()  # the measured checks start on a fresh connection
    size, done = 0, 0
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)  # pages still dirty would stay in the cache
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            size += os.fstat(fd).st_size
            done += 1
        finally:
            os.close(fd)
    return {"files_evicted": done, "evicted_mb": round(size / 2**20)}
