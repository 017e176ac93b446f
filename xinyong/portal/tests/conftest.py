"""Fixtures of the portal's self-service tests: the remedies tests' world (tests/support/remedies.py)."""

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
