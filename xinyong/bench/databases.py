"""Where a benchmark keeps its data (issue 18: every benchmark runs on PostgreSQL too).

By default a benchmark works in a SQLite file inside its own data directory, whatever the shell says. When the
shell's XINYONG_DATABASE_URL names a PostgreSQL server, the benchmark works on that server instead, in fresh
databases of its own (`bench_<what>_<pid>_<n>`), created for the run and dropped after it unless kept: the
operator's database is never touched, on either storage.

    with bench_databases("import") as dbs:
        template = dbs.new("template")          # a BenchDatabase: .kind, .url, .name
        run = dbs.copy(template, "run1")        # a file copy, or CREATE DATABASE … TEMPLATE
        env = child_env(home, database=run)     # children see XINYONG_DATABASE_URL=run.url
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

SQLITE_FILE = "xinyong.sqlite3"
SQLITE_SIDE_FILES = ("", "-wal")  # the database file and its write-ahead log (the -shm index is rebuilt)


@dataclass(frozen=True)
class BenchDatabase:
    """One benchmark database: `kind` is "sqlite" or "postgresql"; `url` is what a child's
    XINYONG_DATABASE_URL says."""

    kind: str
    name: str
    url: str

    @property
    def sqlite_path(self) -> Path:
        return Path(urlparse(self.url).path)


def server_url(environ: dict | None = None) -> str | None:
    """The PostgreSQL URL the shell names (the server the benchmark should use), or None for SQLite."""
    url = (environ if environ is not None else os.environ).get("XINYONG_DATABASE_URL", "")
    return url if urlparse(url).scheme in ("postgres", "postgresql") else None


def storage_kind(environ: dict | None = None) -> str:
    return "postgresql" if server_url(environ) else "sqlite"


@dataclass
class BenchDatabases:
    """The databases one benchmark run creates: in `root` (SQLite files) or on the server (PostgreSQL)."""

    what: str
    root: Path
    server: str | None = None
    keep: bool = False
    made: list[BenchDatabase] = field(default_factory=list)

    def new(self, label: str) -> BenchDatabase:
        """An empty database (migrations are the caller's business)."""
        db = self.named(label)
        if db.kind == "postgresql":
            _admin(
                self.server,
                f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)',
                # UTF-8 whatever the server's default (Chinese text)
                f"CREATE DATABASE \"{db.name}\" ENCODING 'UTF8' TEMPLATE template0",
            )
        else:
            db.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        self.made.append(db)
        return db

    def copy(self, source: BenchDatabase, label: str) -> BenchDatabase:
        """A copy of `source` (which no one may be connected to): its file copied, or a PostgreSQL template
        copy (fast: files, not rows)."""
        db = self.named(label)
        if db.kind == "postgresql":
            _wait_unused(self.server, source.name)  # a just-stopped server's sessions end a moment later
            _admin(
                self.server,
                f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)',
                f'CREATE DATABASE "{db.name}" TEMPLATE "{source.name}"',
            )
        else:
            db.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            for suffix in SQLITE_SIDE_FILES:  # the WAL holds committed pages not yet checkpointed
                _copy_if_present(Path(f"{source.sqlite_path}{suffix}"), Path(f"{db.sqlite_path}{suffix}"))
            Path(f"{db.sqlite_path}-shm").unlink(missing_ok=True)
        self.made.append(db)
        return db

    def existing(self, label: str) -> BenchDatabase | None:
        """A database an earlier run built and kept, to reuse (never dropped by this run): on PostgreSQL the
        database named `label` on the server, in SQLite the file of `label` in `root`; None if absent."""
        if self.server:
            url = _with_database(self.server, label)
            found = _admin_query(self.server, "SELECT 1 FROM pg_database WHERE datname = %s", label)
            return BenchDatabase("postgresql", label, url) if found else None
        db = self.named(label)
        return db if db.sqlite_path.exists() else None

    def keep_one(self, db: BenchDatabase) -> None:
        """Keep this database after the run (`--keep`), whatever becomes of the others."""
        if db in self.made:
            self.made.remove(db)

    def drop(self, db: BenchDatabase) -> None:
        """Drop one database this run made (even when the others are kept)."""
        if db.kind == "postgresql":
            _admin(self.server, f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
        else:
            for suffix in (*SQLITE_SIDE_FILES, "-shm"):
                Path(f"{db.sqlite_path}{suffix}").unlink(missing_ok=True)
        if db in self.made:
            self.made.remove(db)

    def drop_all(self) -> None:
        if self.server and not self.keep:
            _admin(self.server, *(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)' for db in self.made))
        self.made.clear()

    def named(self, label: str) -> BenchDatabase:
        """The database this run makes (or made) for `label` — on PostgreSQL `bench_<what>_<pid>_<label>`:
        known before it exists, so that a caller can drop a kept one by name whatever became of the run."""
        if self.server:
            name = f"bench_{self.what}_{os.getpid()}_{label}".lower()[:63]
            return BenchDatabase("postgresql", name, _with_database(self.server, name))
        path = self.root / label / SQLITE_FILE
        return BenchDatabase("sqlite", label, f"sqlite:///{path}")


@contextmanager
def bench_databases(
    what: str, root: Path | str, *, keep: bool = False, environ: dict | None = None
) -> Iterator[BenchDatabases]:
    """The benchmark's databases for one run, dropped at the end (PostgreSQL) unless `keep`; SQLite files live
    in `root`, which the caller removes."""
    dbs = BenchDatabases(what=what, root=Path(root), server=server_url(environ), keep=keep)
    try:
        yield dbs
    finally:
        dbs.drop_all()


@contextmanager
def dropped_afterwards(
    what: str, label: str, root: Path | str, *, environ: dict | None = None
) -> Iterator[BenchDatabase]:
    """The PostgreSQL database `label` of this process's `what` benchmark, dropped by name on the way out
    whatever happened: a caller that keeps it (`--keep`, to reuse it) must not leave it on the server when a
    later part of the run fails (its report, which names it, never comes back then). SQLite: nothing to
    drop (the files live in `root`, which the caller removes)."""
    dbs = BenchDatabases(what=what, root=Path(root), server=server_url(environ))
    db = dbs.named(label)
    try:
        yield db
    finally:
        if db.kind == "postgresql":
            dbs.drop(db)


def _with_database(url: str, name: str) -> str:
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{name}"))


def _copy_if_present(source: Path, target: Path) -> None:
    if source.exists():
        shutil.copyfile(source, target)
    else:
        target.unlink(missing_ok=True)


def _wait_unused(url: str | None, name: str, timeout: float = 60.0) -> None:
    """Until no session is connected to database `name` (CREATE DATABASE … TEMPLATE refuses otherwise)."""
    import time

    assert url is not None
    deadline = time.monotonic() + timeout
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
    while _admin_query(url, query, name)[0][0] and time.monotonic() < deadline:
        time.sleep(0.1)


def _admin_query(url: str, sql: str, *params: object) -> list[tuple]:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def _admin(url: str | None, *statements: str) -> None:
    """CREATE/DROP DATABASE on the server, outside a transaction, from its maintenance database."""
    import psycopg

    assert url is not None
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)
