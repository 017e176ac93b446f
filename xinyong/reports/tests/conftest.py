"""Fixtures of the reports tests; they and the builders the tests share live in tests/support/reports.py."""

from tests.support.reports import (  # noqa: F401 - fixtures of this app's tests
    known,
    person,
    reference,
)
