"""Django's SQLite backend with a queue in front of the write lock (docs/performance.md, issue 5).

Every transaction starts with BEGIN IMMEDIATE (settings: the writer takes SQLite's only write lock first).
When two processes (two gunicorn workers) want it at once, SQLite's busy handler makes the loser sleep a
fixed 1 ms, then 2, 5, 10 … ms, however soon the lock is free: a check holds it for about 0.3 ms, so every
collision cost a whole millisecond or more. Here the writer first takes an exclusive `flock` on a side file
(`<database>-writelock`) and only then sends BEGIN IMMEDIATE; waiters sleep in the kernel and wake the moment
the holder commits or rolls back.

The side lock only orders writers; SQLite's own lock still decides. A write outside a transaction, another
program, or a process that does not use this backend simply meets SQLite's busy handler as before, so
nothing is weakened: no durability setting changes, and a crash releases the side lock with the process.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None
    _write_locked = False

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        self._drop_write_lock_file()
        if self.transaction_mode == "IMMEDIATE" and not self.is_in_memory_db():
            name = str(self.settings_dict["NAME"])
            self._write_lock_fd = os.open(f"{name}-writelock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        return conn

    def _start_transaction_under_autocommit(self):
        if self._write_lock_fd is not None and not self._write_locked:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
            self._write_locked = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._drop_write_lock_file()

    def _release_write_lock(self) -> None:
        if self._write_locked:
            self._write_locked = False
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)

    def _drop_write_lock_file(self) -> None:
        self._write_locked = False
        if self._write_lock_fd is not None:
            fd, self._write_lock_fd = self._write_lock_fd, None
            os.close(fd)  # closing the descriptor releases a lock still held
