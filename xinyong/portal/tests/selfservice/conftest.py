"""Fixtures of the portal's self-service tests (/me/, issue 14): the remedies tests' world
(tests/support/remedies.py), which overrides the search and subject pages' world of ../conftest.py."""

from tests.support.remedies import (  # noqa: F401 - fixtures of these tests
    commitments_reference,
    company,
    entry,
    lists_reference,
    own,
    penalty,
    reference,
    remedies_reference,
)
