"""The SQLite backend's write queue (core/sqlitedb): the side lock is held exactly while a transaction is
open, and released by commit, by rollback (an exception in the block) and by closing the connection."""

from __future__ import annotations

import fcntl
import os

import pytest
from django.db import connection, transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backend only"),
]


def _queue_is_free() -> bool:
    """Whether another writer would get the side lock now (a separate open file, as another process has)."""
    fd = os.open(f"{connection.settings_dict['NAME']}-writelock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_the_side_lock_is_held_for_the_transaction_and_released_by_commit():
    connection.ensure_connection()
    assert _queue_is_free()
    with transaction.atomic():
        assert not _queue_is_free()
        with transaction.atomic():  # a savepoint keeps the outer transaction's lock
            assert not _queue_is_free()
        assert not _queue_is_free()
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    assert _queue_is_free()


def test_rollback_releases_the_side_lock():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        assert not _queue_is_free()
        raise Boom
    assert _queue_is_free()


def test_closing_the_connection_releases_the_side_lock():
    with transaction.atomic():
        assert not _queue_is_free()
        connection.close()  # e.g. a worker shutting down mid-request
        assert _queue_is_free()
    with transaction.atomic():  # the next connection opens its own descriptor
        assert not _queue_is_free()
    assert _queue_is_free()


def test_database_settings_are_unchanged():
    """The queue changes no durability setting: WAL, synchronous=FULL, BEGIN IMMEDIATE; checkpoints every
    4,000 WAL pages (config/envdb.py, ADR 0010)."""
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_autocheckpoint")
        assert cur.fetchone()[0] == 4000
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"
        cur.execute("PRAGMA synchronous")
        assert cur.fetchone()[0] == 2
    assert connection.transaction_mode == "IMMEDIATE"
