"""Fixtures: the shipped unit registry in the database, and the shipped plan loaded on top of it."""

import pytest

from tests.support.oversight import ACTOR, T0
from xinyong.accounts.reference import units_load
from xinyong.oversight.services import PlanLoadResult, plan_load


@pytest.fixture
def units(db: None) -> None:
    """The units.yaml registry (77 units, 2 groups), as ``xinyong up`` loads it before the plan."""
    units_load(actor=ACTOR, now=T0)


@pytest.fixture
def loaded(units: None) -> PlanLoadResult:
    """The shipped 2018–2020 plan, loaded once."""
    return plan_load(actor=ACTOR, now=T0)
