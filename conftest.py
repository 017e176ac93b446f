"""Test set-up shared by every app. The database comes from XINYONG_DATABASE_URL (SQLite by default)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    """Each test's database is rolled back under the per-process calendar cache: start and end clean."""
    from xinyong.core import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()
