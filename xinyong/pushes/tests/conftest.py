"""Fixtures of the pushes tests; they and the builders the tests share live in tests/support/pushes.py."""

from tests.support.pushes import (  # noqa: F401 - fixtures of this app's tests
    world,
)
