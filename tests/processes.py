"""Helpers for tests that start a platform process (server, worker, importer) beside the test run."""

from __future__ import annotations

import socket
from urllib.parse import quote


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """The test database as a subprocess must reach it (the same SQLite file, or the same PostgreSQL
    database); the rows it should see must be committed (transaction=True)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgresql://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


test_database_url.__test__ = False  # a helper, not a test
