"""Fixtures of the standing tests: the records app's reference data and officer."""

from xinyong.records.tests.conftest import officer, reference  # noqa: F401
