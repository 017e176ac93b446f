"""A staged import checkpoints the WAL after its commits, outside the write lock (issue 18, ADR 0041)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from xinyong.core.sqlitedb import checkpoints
from xinyong.core.sqlitedb.checkpoints import checkpoints_after_commits


def _pragma(sql: str):
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()


def _write_a_row() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS wal_probe (id INTEGER PRIMARY KEY, v TEXT)")
        cur.execute("INSERT INTO wal_probe (v) VALUES (%s)", ["x" * 5000])


@pytest.mark.django_db(transaction=True)
def test_the_importing_connection_checkpoints_outside_its_commits_and_gets_its_setting_back():
    if connection.vendor != "sqlite":
        with checkpoints_after_commits() as after_commit:
            assert after_commit() is None  # PostgreSQL has no WAL of ours to copy back
        return
    before = _pragma("PRAGMA wal_autocheckpoint")[0]
    assert before == 4000  # config/envdb.py
    with checkpoints_after_commits() as after_commit:
        assert _pragma("PRAGMA wal_autocheckpoint")[0] == 0  # no checkpoint inside this connection's commits
        _write_a_row()
        after_commit()
        busy, frames, copied = _pragma("PRAGMA wal_checkpoint(PASSIVE)")
        assert (busy, frames > 0, copied) == (0, True, frames)  # everything written was copied back
    assert _pragma("PRAGMA wal_autocheckpoint")[0] == before


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_follows_the_first_commit_and_the_end(monkeypatch):
    done = []
    real = checkpoints._checkpoint
    monkeypatch.setattr(checkpoints, "_checkpoint", lambda: done.append(real()) or done[-1])
    sqlite = connection.vendor == "sqlite"
    with checkpoints_after_commits() as after_commit:
        assert done == []
        if sqlite:
            _write_a_row()
        checked = after_commit()
        assert (checked, len(done)) == ((True, 1) if sqlite else (None, 0))
    assert len(done) == (2 if sqlite else 0)  # and one on the way out


def test_checkpoints_come_as_often_as_the_pages_written_need(monkeypatch):
    """ADR 0046: with a limit of 4,000 pages the log is kept under 2,000. The first commit is checkpointed;
    at 3 pages a row, chunks of 100 rows every 5th (after 500 rows, a next chunk of up to 200 rows would take
    the log to 2,100); a doubled chunk is counted at twice its size ahead, so one comes sooner; once a
    checkpoint finds 30 pages a row, one after every chunk."""
    found = iter([300, 1_500, 9_000, 3_000, 3_000])  # the log's pages at each checkpoint
    monkeypatch.setattr(checkpoints, "_checkpoint", lambda: next(found))
    after = checkpoints._AfterCommits(4000)
    chunks = [100] + [100] * 5 + [100, 200] + [100, 100]
    checked = [after(rows) for rows in chunks]
    assert [i + 1 for i, c in enumerate(checked) if c] == [1, 6, 8, 9, 10]
    assert after.per_row == 30


def test_no_checkpoint_inside_a_callers_transaction_changes_nothing(monkeypatch):
    monkeypatch.setattr(checkpoints, "_checkpoint", lambda: None)
    after = checkpoints._AfterCommits(4000)
    assert [after(100), after(100)] == [False, False]
    assert after.per_row is None


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_nothing_is_checkpointed_before_the_commit():
    with transaction.atomic():
        assert checkpoints._checkpoint() is None
