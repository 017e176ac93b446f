"""The benchmark's own databases (bench/databases.py, issue 18): a copy holds what was committed, a kept database
survives the run and is found again, one database can be dropped on its own, and a kept one is dropped by name
when the run that kept it fails."""

import os
import sqlite3
from contextlib import closing

import pytest
from django.core.management.base import CommandError

from xinyong.bench.databases import (
    TEMPLATE_ENV,
    _fingerprint,
    _record,
    bench_databases,
    dropped_afterwards,
    storage_kind,
    template_usable,
)


def test_a_sqlite_copy_holds_the_rows_still_in_the_write_ahead_log(tmp_path):
    with bench_databases("t", tmp_path, environ={}) as dbs:
        source = dbs.new("source")
        writer = sqlite3.connect(source.sqlite_path)
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("PRAGMA wal_autocheckpoint=0")  # the row stays in the -wal file
        writer.execute("CREATE TABLE t (v TEXT)")
        writer.execute("INSERT INTO t VALUES ('committed')")
        writer.commit()
        copy = dbs.copy(source, "copy")
        writer.close()
        with sqlite3.connect(copy.sqlite_path) as reader:
            assert reader.execute("SELECT v FROM t").fetchall() == [("committed",)]
        assert dbs.existing("copy") == copy and dbs.existing("absent") is None
        dbs.drop(copy)
        assert not copy.sqlite_path.exists() and dbs.existing("copy") is None
        assert dbs.made == [source]


@pytest.mark.skipif(storage_kind() != "postgresql", reason="needs the PostgreSQL server of the test run")
def test_a_kept_postgresql_database_survives_the_run_and_is_found_again(tmp_path):
    with bench_databases("t", tmp_path) as dbs:
        kept, dropped = dbs.new("kept"), dbs.new("dropped")
        dbs.keep_one(kept)
    with bench_databases("t", tmp_path) as dbs:
        assert dbs.existing(kept.name) == kept
        assert dbs.existing(dropped.name) is None
        dbs.drop(kept)
        assert dbs.existing(kept.name) is None


@pytest.mark.skipif(storage_kind() != "postgresql", reason="needs the PostgreSQL server of the test run")
def test_a_kept_database_is_dropped_by_name_when_the_run_fails_after_keeping_it(tmp_path):
    """The check smoke test's fixture: the benchmark keeps its database (`--keep`) once built, and a later
    part that fails leaves no report naming it; the database must not outlive the test run."""
    with pytest.raises(CommandError, match="^基准子进程 cold 失败$"):
        with dropped_afterwards("t", "check", tmp_path) as expected:
            with bench_databases("t", tmp_path) as dbs:  # what bench_check --keep does after its build
                dbs.keep_one(dbs.new("check"))
            assert dbs.existing(expected.name) == expected  # kept: the benchmark's own cleanup spared it
            raise CommandError("基准子进程 cold 失败")
    with bench_databases("t", tmp_path) as dbs:
        assert dbs.existing(expected.name) is None


@pytest.mark.skipif(storage_kind() != "postgresql", reason="needs the PostgreSQL server of the test run")
def test_the_platforms_own_url_options_reach_the_children_not_the_servers_admin_connection(tmp_path):
    """`?pool=1&prepare_threshold=none` are read by the platform (config/envdb.py), not by libpq: the
    benchmark's CREATE/DROP DATABASE still connects, and its children get the options."""
    url = os.environ["XINYONG_DATABASE_URL"].split("?")[0] + "?pool=1&prepare_threshold=none"
    with bench_databases("t", tmp_path, environ={"XINYONG_DATABASE_URL": url}) as dbs:
        made = dbs.new("options")
        assert made.url.endswith(f"/{made.name}?pool=1&prepare_threshold=none")
        assert dbs.existing(made.name) == made
        dbs.drop(made)
        assert dbs.existing(made.name) is None


def test_on_sqlite_nothing_is_dropped_after_the_run(tmp_path):
    """SQLite files live in the run's directory, which its owner removes: the name-based drop leaves them."""
    with dropped_afterwards("t", "check", tmp_path, environ={}) as db:
        db.sqlite_path.parent.mkdir(parents=True)
        db.sqlite_path.write_bytes(b"")
    assert db.kind == "sqlite" and db.sqlite_path.exists()


def _execute(db, sql: str) -> list[tuple]:
    if db.kind == "sqlite":
        with closing(sqlite3.connect(db.sqlite_path)) as conn, conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(db.url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def test_a_benchmark_starts_from_the_sessions_template_while_it_is_what_migrate_made(
    bench_template, tmp_path
):
    """XINYONG_BENCH_TEMPLATE: a new database asked for `migrated` is a copy of the template, with every
    migration applied; a template someone wrote into, or one a migration on disk is missing from, is not
    used — the benchmark then migrates an empty database as without the variable."""
    assert template_usable(bench_template)
    with bench_databases("t", tmp_path) as dbs:
        copied = dbs.new("copied", migrated=True)
        applied = _execute(copied, "SELECT count(*) FROM django_migrations")[0][0]
        assert applied == len(_fingerprint(bench_template)["migrations"]) > 0

        written = dbs.copy(bench_template, "written")
        _record(written, _fingerprint(written))
        assert template_usable(written)
        # a row written into the template after it was recorded
        _execute(written, "INSERT INTO django_content_type (app_label, model) VALUES ('bench', 'written')")
        assert not template_usable(written)

        stale = dbs.copy(bench_template, "stale")
        _execute(stale, "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)")
        _record(stale, _fingerprint(stale))  # recorded as it is: one migration short of the code's
        assert not template_usable(stale)

    os.environ[TEMPLATE_ENV] = stale.url
    try:
        with bench_databases("t", tmp_path / "fallback") as dbs:
            empty = dbs.new("empty", migrated=True)
            if empty.kind == "sqlite":  # nothing copied: the benchmark's migrate makes the file
                assert not empty.sqlite_path.exists()
            else:
                assert _execute(empty, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == []
    finally:
        os.environ[TEMPLATE_ENV] = bench_template.url
