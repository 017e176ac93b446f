"""Where a benchmark keeps its data (issue 18: every benchmark runs on PostgreSQL too).

By default a benchmark works in a SQLite file inside its own data directory, whatever the shell says. When the
shell's XINYONG_DATABASE_URL names a PostgreSQL server, the benchmark works on that server instead, in fresh
databases of its own (`bench_<what>_<pid>_<n>`), created for the run and dropped after it unless kept: the
operator's database is never touched, on either storage.

    with bench_databases("import") as dbs:
        template = dbs.new("template")          # a BenchDatabase: .kind, .url, .name
        run = dbs.copy(template, "run1")        # a file copy, or CREATE DATABASE … TEMPLATE
        env = child_env(home, database=run)     # children see XINYONG_DATABASE_URL=run.url

A benchmark that migrates a new database asks `dbs.new(label, migrated=True)`: when XINYONG_BENCH_TEMPLATE
names a migrated database on the same storage (the tests prepare one per session: `template_prepare`) and that
database is exactly what `migrate` made of an empty one — every migration on disk applied, every table's row
count what it was when the migrations ended (`template_usable`) — the new database is a copy of it, and the
benchmark's own `migrate` then finds nothing to do; otherwise it is empty and the benchmark migrates it as
before. A user's `xinyong bench …` without the variable always starts from an empty database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from xinyong.config.envdb import admin_url, libpq_url, with_database

SQLITE_FILE = "xinyong.sqlite3"
SQLITE_SIDE_FILES = ("", "-wal")  # the database file and its write-ahead log (the -shm index is rebuilt)
TEMPLATE_ENV = "XINYONG_BENCH_TEMPLATE"


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

    def new(self, label: str, *, migrated: bool = False) -> BenchDatabase:
        """An empty database (migrations are the caller's business) — or, with `migrated`, a copy of the
        prepared template XINYONG_BENCH_TEMPLATE names when it is usable (`template_usable`): the caller still
        runs `migrate`, which then has nothing to do."""
        template = self.template() if migrated else None
        if template is not None:
            return self.copy(template, label)
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
            _copy_sqlite(source.sqlite_path, db.sqlite_path)
        self.made.append(db)
        return db

    def template(self) -> BenchDatabase | None:
        """The prepared template XINYONG_BENCH_TEMPLATE names, if it is on this run's storage (the same
        PostgreSQL server) and usable; None otherwise (the caller migrates an empty database)."""
        url = os.environ.get(TEMPLATE_ENV, "")
        if not url:
            return None
        parsed, server = urlparse(url), urlparse(self.server or "")
        if self.server:
            if parsed.scheme not in ("postgres", "postgresql") or parsed.netloc != server.netloc:
                return None
            template = BenchDatabase("postgresql", parsed.path.lstrip("/"), url)
        elif parsed.scheme == "sqlite":
            template = BenchDatabase("sqlite", "template", url)
        else:
            return None
        return template if template_usable(template) else None

    def existing(self, label: str) -> BenchDatabase | None:
        """A database an earlier run built and kept, to reuse (never dropped by this run): on PostgreSQL the
        database named `label` on the server, in SQLite the file of `label` in `root`; None if absent."""
        if self.server:
            url = with_database(self.server, label)
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
            return BenchDatabase("postgresql", name, with_database(self.server, name))
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


def _copy_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in SQLITE_SIDE_FILES:  # the WAL holds committed pages not yet checkpointed
        _copy_if_present(Path(f"{source}{suffix}"), Path(f"{target}{suffix}"))
    Path(f"{target}-shm").unlink(missing_ok=True)


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

    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def _admin(url: str | None, *statements: str) -> None:
    """CREATE/DROP DATABASE on the server, outside a transaction, from its maintenance database."""
    import psycopg

    assert url is not None
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


# ── the prepared template (XINYONG_BENCH_TEMPLATE) ──────────────────────────────────────────────────────


def template_prepare(root: Path | str, *, environ: dict | None = None) -> BenchDatabase:
    """A migrated database to name in XINYONG_BENCH_TEMPLATE (the tests make one per session): an empty
    database on the storage XINYONG_DATABASE_URL says (SQLite in `root`), migrated in a child process by
    `migrate`, as each benchmark's own preparation migrates, and its fingerprint (`_fingerprint`) recorded
    beside it — a file next to the SQLite file, the comment of the PostgreSQL database. Its PostgreSQL
    database is the caller's to drop (`template_drop`)."""
    environ = dict(os.environ if environ is None else environ)
    root = Path(root)
    db = BenchDatabases(what="template", root=root, server=server_url(environ)).new("template")
    env = {**environ, "XINYONG_HOME": str(root / "home"), "XINYONG_DATABASE_URL": db.url}
    env.pop(TEMPLATE_ENV, None)
    cmd = [sys.executable, "-m", "xinyong.cli", "migrate", "--verbosity", "0"]
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    _record(db, _fingerprint(db))
    return db


def template_copy_to(path: Path) -> bool:
    """SQLite: the usable template (XINYONG_BENCH_TEMPLATE) copied to the database file `path`, for a
    benchmark whose child uses the default file of its data directory; False, and nothing copied, when there
    is none (the benchmark migrates an empty database)."""
    template = BenchDatabases(what="template", root=path.parent).template()
    if template is None:
        return False
    _copy_sqlite(template.sqlite_path, path)
    return True


def template_drop(db: BenchDatabase) -> None:
    if db.kind == "postgresql":
        _admin(db.url, f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


def template_usable(db: BenchDatabase) -> bool:
    """Whether `db` is exactly what `migrate` makes of an empty database with this code: its applied
    migrations are every migration on disk, and every table holds as many rows as when the migrations ended
    (nothing was written into it since, nothing is missing). A missing or stale template is not usable."""
    try:
        recorded = _recorded(db)
        if recorded is None or _fingerprint(db) != recorded:
            return False
    except Exception:  # noqa: BLE001 — an unreadable template is an unusable one: the benchmark migrates
        return False
    from django.db.migrations.loader import MigrationLoader

    on_disk = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.nodes}
    return set(recorded["migrations"]) == on_disk


def _fingerprint(db: BenchDatabase) -> dict:
    """The applied migrations and each table's row count."""
    if db.kind == "sqlite":
        if not db.sqlite_path.exists():
            raise FileNotFoundError(db.sqlite_path)
        path = Path("/" + str(db.sqlite_path).lstrip("/"))  # sqlite:////tmp/… → //tmp/…: not a URI authority
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
            migrations = conn.execute("SELECT app, name FROM django_migrations").fetchall()
        finally:
            conn.close()
    else:
        with _connect(db.url) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                ).fetchall()
            ]
            counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
            migrations = conn.execute("SELECT app, name FROM django_migrations").fetchall()
    return {"tables": dict(sorted(counts.items())), "migrations": sorted(f"{a}.{n}" for a, n in migrations)}


def _record(db: BenchDatabase, fingerprint: dict) -> None:
    body = json.dumps(fingerprint, sort_keys=True)
    if db.kind == "postgresql":
        from psycopg import sql

        with _connect(with_database(db.url, "postgres")) as conn:
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(db.name), body))
    else:
        _sidecar(db).write_text(body)


def _recorded(db: BenchDatabase) -> dict | None:
    if db.kind == "sqlite":
        path = _sidecar(db)
        return json.loads(path.read_text()) if path.exists() else None
    rows = _admin_query(
        db.url, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", db.name
    )
    return json.loads(rows[0][0]) if rows and rows[0][0] else None


def _sidecar(db: BenchDatabase) -> Path:
    return Path(f"{db.sqlite_path}.template.json")


def _connect(url: str):
    import psycopg

    return psycopg.connect(libpq_url(url), autocommit=True)
