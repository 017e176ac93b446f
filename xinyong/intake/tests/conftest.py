"""Fixtures of the intake tests: the reference data and officer of the records tests."""

from tests.support.records import officer, reference  # noqa: F401
