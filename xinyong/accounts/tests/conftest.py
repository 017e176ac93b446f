"""Fixtures of the accounts tests: the lists' reference data, firm and penalty (four eyes between people)."""

from tests.support.lists import (  # noqa: F401 - fixtures of this app's tests
    company,
    lists_reference,
    penalty,
    reference,
)
