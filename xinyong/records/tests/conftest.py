"""Fixtures of the records tests; they and the builders the tests share live in tests/support/records.py."""

from tests.support.records import (  # noqa: F401 - fixtures of this app's tests
    officer,
    reference,
)
