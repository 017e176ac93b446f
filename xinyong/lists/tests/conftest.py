"""Fixtures of the lists tests; they and the builders the tests share live in tests/support/lists.py."""

from tests.support.lists import (  # noqa: F401 - fixtures of this app's tests
    company,
    lists_reference,
    penalty,
    reference,
)
