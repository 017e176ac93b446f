"""The append-only guard on audit_event (created by migration audit.0002), switched off only for `flush`."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from django.db import connection

_SQLITE_ON = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]
_SQLITE_OFF = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]
_PG_ON = ["ALTER TABLE audit_event ENABLE TRIGGER USER"]
_PG_OFF = ["ALTER TABLE audit_event DISABLE TRIGGER USER"]


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


@contextmanager
def audit_guard_lifted():
    """Lift the guard for the duration of a whole-database flush, then put it back."""
    sqlite = connection.vendor == "sqlite"
    _execute(_SQLITE_OFF if sqlite else _PG_OFF)
    try:
        yield
    finally:
        _execute(_SQLITE_ON if sqlite else _PG_ON)


def guard_restore(apps, schema_editor) -> None:
    """Migration step: put the SQLite triggers back after a rebuild of audit_event dropped them with the old
    table (PostgreSQL keeps its triggers through ALTER TABLE)."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in _SQLITE_ON:
            schema_editor.execute(sql)


def is_test_database() -> bool:
    name = str(connection.settings_dict.get("NAME", ""))
    return Path(name).name.startswith("test_") or "memorydb" in name or name == ":memory:"
