"""Fixtures of the disclosure tests: reference data of the records, lists, commitments and remedies tests."""

from xinyong.commitments.tests.conftest import commitments_reference  # noqa: F401
from xinyong.lists.tests.conftest import (  # noqa: F401, E402
    company,
    lists_reference,  # noqa: F401
    penalty,
)
from xinyong.records.tests.conftest import officer, reference  # noqa: F401
from xinyong.remedies.tests.conftest import remedies_reference  # noqa: F401
