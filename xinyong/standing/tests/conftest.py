"""Fixtures of the standing tests: reference data of the records, lists, commitments and remedies tests."""

from tests.support.records import officer  # noqa: F401
from tests.support.remedies import (  # noqa: F401
    commitments_reference,
    company,
    lists_reference,
    penalty,
    reference,
    remedies_reference,
)
