"""Fixtures of the government integrity tests: reference data (tests/support/records.py), the known world."""

import pytest

from tests.support.records import reference  # noqa: F401  (fixture)
from xinyong.govintegrity.tests.world import NOW, build_world


@pytest.fixture
def world(reference, clock):  # noqa: F811
    clock.set(NOW)
    return build_world()
