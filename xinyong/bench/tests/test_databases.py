"""The benchmark's own databases (bench/databases.py, issue 18): a copy holds what was committed, a kept database
survives the run and is found again, and one database can be dropped on its own."""

import sqlite3

import pytest

from xinyong.bench.databases import bench_databases, storage_kind


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
