"""Fixtures for the calendar tests. The working-day cache lives per process while each test's database is
rolled back underneath it, so it is dropped around every test."""

from __future__ import annotations

import pytest

from xinyong.workdays import selectors as workdays
from xinyong.workdays import services
from xinyong.workdays.tests.helpers import ACTOR, SAMPLE_2027, T0


@pytest.fixture(autouse=True)
def _fresh_workday_cache():
    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture
def builtin(db) -> list[int]:
    """The calendar as chinesecalendar knows it (2004–2026)."""
    return services.calendar_load_builtin(actor=ACTOR, now=T0)


@pytest.fixture
def sample_2027(builtin) -> services.CalendarLoadResult:
    """2004–2026 from chinesecalendar plus the SAMPLE 2027 operator file."""
    return services.calendar_load_file(actor=ACTOR, now=T0, path=SAMPLE_2027)
