"""Fixtures of the registration tests (issue 14); they and the builders live in tests/support/registration.py."""

from tests.support.registration import uploads  # noqa: F401 - fixture of these tests
