"""Calendar month/year arithmetic with end-of-month clamping."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.catalog.periods import add_months, add_quantity


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-03-31", 3, "2024-06-30"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2028-02-29", 48, "2032-02-29"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2026-04-01", 0, "2026-04-01"),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(dt.date.fromisoformat(day), months).isoformat() == expected


def test_add_quantity_units():
    day = dt.date(2024, 2, 29)
    assert add_quantity(day, {"amount": 1, "unit": "years"}) == dt.date(2025, 2, 28)
    assert add_quantity(day, {"amount": 6, "unit": "months"}) == dt.date(2024, 8, 29)
    assert add_quantity(day, {"amount": 20, "unit": "calendar_days"}) == dt.date(2024, 3, 20)
    with pytest.raises(ValueError):
        add_quantity(day, {"amount": 2, "unit": "working_days"})


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_moves_exactly_n_months_and_never_past_the_day(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result.day == day.day or (result + dt.timedelta(days=1)).month != result.month
