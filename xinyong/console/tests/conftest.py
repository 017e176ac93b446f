"""Fixtures of the console tests: the remedies tests' world (lists, records, commitments reference data), and
the workbench world built on it (tests/support/workbench.py)."""

from tests.support.remedies import (  # noqa: F401 - fixtures of this app's tests
    commitments_reference,
    company,
    lists_reference,
    own,
    penalty,
    reference,
    remedies_reference,
)
from tests.support.workbench import world  # noqa: F401
