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
    """ADR 0046: with a limit of 4,000 pages, a checkpoint once the commits since the last wrote about 2,000:
    after every commit of 3,000 pages, every 6th of 300, at most every 16th."""
    found = iter([300, 1_800, 18_000, 3_000, 10, 160])  # the log's pages at each checkpoint
    monkeypatch.setattr(checkpoints, "_checkpoint", lambda: next(found))
    after = checkpoints._AfterCommits(4000)
    calls = [after() for _ in range(1 + 6 + 6 + 1 + 1 + 16)]
    assert [i + 1 for i, checked in enumerate(calls) if checked] == [1, 7, 13, 14, 15, 31]
    assert after.every == 16  # 160 pages over 16 commits: 10 a commit, capped


def test_no_checkpoint_inside_a_callers_transaction_changes_nothing(monkeypatch):
    monkeypatch.setattr(checkpoints, "_checkpoint", lambda: None)
    after = checkpoints._AfterCommits(4000)
    assert [after(), after()] == [False, False]
    assert after.every == 1


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_nothing_is_checkpointed_before_the_commit():
    with transaction.atomic():
        assert checkpoints._checkpoint() is None
