"""Fixtures of the measures tests; they and the builders the tests share live in tests/support/measures.py."""

import pytest

from tests.support.measures import (  # noqa: F401 - fixtures of this app's tests
    caizhengju,
    list_types,
    listed_company,
    memoranda,
    reference,
)
from xinyong.measures import rulebook


@pytest.fixture(autouse=True)
def _fresh_rulebook():
    """Each test's database is rolled back under the per-process measure cache: start and end clean."""
    rulebook.invalidate()
    yield
    rulebook.invalidate()
