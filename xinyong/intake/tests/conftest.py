"""Fixtures of the intake tests: the reference data and officer of the records tests."""

from xinyong.records.tests.conftest import officer, reference  # noqa: F401
