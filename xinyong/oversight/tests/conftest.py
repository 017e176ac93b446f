"""Fixtures: the shipped unit registry in the database, and the shipped plan loaded on top of it."""

import datetime as dt

import pytest

from xinyong.accounts.reference import units_load
from xinyong.core.actor import Actor
from xinyong.oversight.services import PlanLoadResult, plan_load

T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
ACTOR = Actor(label="system:test", roles=frozenset({"admin"}))


@pytest.fixture
def units(db: None) -> None:
    """The units.yaml registry (77 units, 2 groups), as ``xinyong up`` loads it before the plan."""
    units_load(actor=ACTOR, now=T0)


@pytest.fixture
def loaded(units: None) -> PlanLoadResult:
    """The shipped 2018–2020 plan, loaded once."""
    return plan_load(actor=ACTOR, now=T0)
