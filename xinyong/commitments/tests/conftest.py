"""Fixtures of the commitments tests; they and the builders the tests share live in tests/support/commitments.py."""

from tests.support.commitments import (  # noqa: F401 - fixtures of this app's tests
    commitments_reference,
    company,
    lists_reference,
    own,
    penalty,
    reference,
)
