"""Fixtures of the evaluation tests: world.py's November 2026 of three units."""

from xinyong.evaluation.tests.world import reference, world  # noqa: F401 - fixtures of this app's tests
