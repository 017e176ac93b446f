"""The benchmark's own databases (bench/databases.py, issue 18): a copy holds what was committed, a kept database
survives the run and is found again, one database can be dropped on its own, and a kept one is dropped by name
when the run that kept it fails."""

import sqlite3

import pytest
from django.core.management.base import CommandError

from xinyong.bench.databases import bench_databases, dropped_afterwards, storage_kind


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


def test_on_sqlite_nothing_is_dropped_after_the_run(tmp_path):
    """SQLite files live in the run's directory, which its owner removes: the name-based drop leaves them."""
    with dropped_afterwards("t", "check", tmp_path, environ={}) as db:
        db.sqlite_path.parent.mkdir(parents=True)
        db.sqlite_path.write_bytes(b"")
    assert db.kind == "sqlite" and db.sqlite_path.exists()
