"""Fixtures of the remedies tests; they and the builders the tests share live in tests/support/remedies.py."""

from tests.support.remedies import (  # noqa: F401 - fixtures of this app's tests
    commitments_reference,
    company,
    entry,
    lists_reference,
    own,
    penalty,
    reference,
    remedies_reference,
)
