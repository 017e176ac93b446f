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


@pytest.fixture
def reporting(loaded: PlanLoadResult, settings, tmp_path) -> None:
    """The plan, and the 2026 holiday calendar its 2026Q3 deadline is counted on; uploads in tmp_path."""
    from xinyong.workdays.selectors import invalidate
    from xinyong.workdays.services import calendar_load_builtin

    settings.XINYONG_UPLOAD_DIR = tmp_path / "uploads"
    calendar_load_builtin(actor=ACTOR, now=T0, years=[2026])
    invalidate()
