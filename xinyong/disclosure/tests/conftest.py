"""Fixtures of the disclosure tests: reference data of the records, lists, commitments and remedies tests."""

from tests.support.commitments import commitments_reference  # noqa: F401
from tests.support.lists import (  # noqa: F401, E402
    company,
    lists_reference,  # noqa: F401
    penalty,
)
from tests.support.records import officer, reference  # noqa: F401
from tests.support.remedies import remedies_reference  # noqa: F401
