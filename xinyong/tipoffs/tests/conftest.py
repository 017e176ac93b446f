"""Fixtures of the tipoffs tests; they and the builders the tests share live in tests/support/tipoffs.py."""

from tests.support.tipoffs import (  # noqa: F401 - fixtures of this app's tests
    company,
    reference,
)
