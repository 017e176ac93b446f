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
def test_a_checkpoint_follows_every_commit_and_the_end(monkeypatch):
    done = []
    real = checkpoints._checkpoint
    monkeypatch.setattr(checkpoints, "_checkpoint", lambda: done.append(real()) or done[-1])
    with checkpoints_after_commits() as after_commit:
        assert done == []
        after_commit()
        after_commit()
        expected = [True, True] if connection.vendor == "sqlite" else []
        assert done == expected
    assert done == expected + expected[:1]  # and one on the way out


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_nothing_is_checkpointed_before_the_commit():
    with transaction.atomic():
        assert checkpoints._checkpoint() is False
