"""Working days across the real National Day 2025 and Spring Festival 2026 schedules (docs/rules.md)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.core import timeutil
from xinyong.workdays import selectors as workdays
from xinyong.workdays import services as svc
from xinyong.workdays.models import CalendarYear
from xinyong.workdays.selectors import (
    WorkdayResult,
    add_working_days,
    calendar_years_missing,
    is_working_day,
    working_day_deadline,
    working_days_between,
)
from xinyong.workdays.tests.helpers import ACTOR, T0

D = dt.date
SHUANG_GONGSHI_DAYS = 7  # 双公示: publish within 7 working days of the decision (docs/rules.md)


def exact(value) -> WorkdayResult:
    return WorkdayResult(value=value, provisional=False, provisional_years=())


# ------------------------------------------------------------------------------- National Day 2025


@pytest.mark.django_db
def test_national_day_2025_days_off_and_adjusted_saturdays(builtin):
    off = [D(2025, 10, d) for d in range(1, 9)]
    assert [is_working_day(d) for d in off] == [False] * 8
    assert is_working_day(D(2025, 9, 28)) and is_working_day(D(2025, 10, 11))  # Sunday and Saturday worked
    assert is_working_day(D(2025, 9, 30)) and is_working_day(D(2025, 10, 9))
    assert not is_working_day(D(2025, 10, 12))  # an ordinary Sunday


@pytest.mark.django_db
def test_add_working_days_over_national_day_2025(builtin):
    assert add_working_days(D(2025, 9, 30), 1) == exact(D(2025, 10, 9))
    # 9-28 (Sun, worked), 9-29, 9-30, 10-9, 10-10, 10-11 (Sat, worked), 10-13
    assert add_working_days(D(2025, 9, 26), 7) == exact(D(2025, 10, 13))
    assert add_working_days(D(2025, 9, 26), 1) == exact(D(2025, 9, 28))
    assert add_working_days(D(2025, 10, 1), 0) == exact(D(2025, 10, 1))


@pytest.mark.django_db
def test_working_days_between_over_national_day_2025(builtin):
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == exact(0)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == exact(1)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 13)) == exact(7)
    assert working_days_between(D(2025, 9, 27), D(2025, 10, 12)) == exact(6)
    assert working_days_between(D(2025, 10, 13), D(2025, 9, 26)) == exact(0)
    assert working_days_between(D(2025, 10, 13), D(2025, 10, 13)) == exact(0)


@pytest.mark.django_db
def test_shuang_gongshi_deadline_for_a_decision_on_2025_09_29(builtin):
    """Decision Mon 2025-09-29: 9-30 (1), 10-9 (2), 10-10 (3), 10-11 Sat worked (4), 10-13 (5), 10-14 (6),
    10-15 (7): publish by 2025-10-15 23:59:59 Beijing time."""
    assert add_working_days(D(2025, 9, 29), SHUANG_GONGSHI_DAYS) == exact(D(2025, 10, 15))
    deadline = working_day_deadline(D(2025, 9, 29), SHUANG_GONGSHI_DAYS)
    assert deadline == exact(dt.datetime(2025, 10, 15, 23, 59, 59, tzinfo=timeutil.BEIJING))
    assert deadline.value.astimezone(dt.UTC) == dt.datetime(2025, 10, 15, 15, 59, 59, tzinfo=dt.UTC)
    # published on 10-16: one working day late
    assert working_days_between(D(2025, 9, 29), D(2025, 10, 16)).value - SHUANG_GONGSHI_DAYS == 1


# ------------------------------------------------------------------------------- Spring Festival 2026
# chinesecalendar 1.11.0 (read from chinese_calendar.constants, not from memory): holidays 2026-02-15 (Sun)
# .. 2026-02-23 (Mon), so weekdays off 2-16..2-20 and 2-23; working Saturdays 2026-02-14 and 2026-02-28.


@pytest.mark.django_db
def test_spring_festival_2026_schedule(builtin):
    feb = {d: is_working_day(D(2026, 2, d)) for d in range(13, 29)}
    assert [d for d, working in feb.items() if not working] == [15, 16, 17, 18, 19, 20, 21, 22, 23]
    assert feb[14] and feb[28]  # Saturdays worked


@pytest.mark.django_db
def test_add_working_days_over_spring_festival_2026(builtin):
    assert add_working_days(D(2026, 2, 13), 1) == exact(D(2026, 2, 14))
    assert add_working_days(D(2026, 2, 14), 1) == exact(D(2026, 2, 24))
    # 2-14 (Sat), 2-24, 2-25, 2-26, 2-27, 2-28 (Sat), 3-2
    assert add_working_days(D(2026, 2, 13), SHUANG_GONGSHI_DAYS) == exact(D(2026, 3, 2))
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == exact(6)
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 23)) == exact(0)


@pytest.mark.django_db
def test_every_day_2004_to_2026_agrees_with_chinesecalendar(builtin):
    day, last = D(2004, 1, 1), D(2026, 12, 31)
    disagreements = []
    while day <= last:
        if is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


# ------------------------------------------------------------------------------- provisional years


@pytest.mark.django_db
def test_nothing_loaded_is_weekends_only_and_provisional():
    assert add_working_days(D(2025, 9, 30), 1) == WorkdayResult(D(2025, 10, 1), True, (2025,))
    assert working_days_between(D(2025, 12, 30), D(2026, 1, 2)) == WorkdayResult(3, True, (2025, 2026))


@pytest.mark.django_db
def test_2027_is_provisional_until_the_operator_file_is_loaded(builtin):
    # 2026-12-31 (Thu) counts in 2026; 2027-01-01 is a Friday, a working day when only weekends are known
    assert add_working_days(D(2026, 12, 30), 3) == WorkdayResult(D(2027, 1, 4), True, (2027,))
    assert add_working_days(D(2026, 12, 30), 1) == exact(D(2026, 12, 31))
    assert add_working_days(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 1), True, (2027,))
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == WorkdayResult(3, True, (2027,))
    assert working_days_between(D(2026, 12, 30), D(2026, 12, 31)) == exact(1)
    assert calendar_years_missing(through=D(2027, 12, 31), since=D(2026, 11, 28)) == [2027]
    assert calendar_years_missing(through=D(2026, 12, 31)) == []


@pytest.mark.django_db
def test_2027_is_exact_after_the_sample_is_loaded(sample_2027):
    # in the SAMPLE, 2027-01-01 is a holiday
    assert add_working_days(D(2026, 12, 30), 3) == exact(D(2027, 1, 5))
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == exact(2)
    assert calendar_years_missing(through=D(2027, 12, 31), since=D(2026, 11, 28)) == []
    assert add_working_days(D(2027, 12, 31), 1) == WorkdayResult(D(2028, 1, 3), True, (2028,))


@pytest.mark.django_db
def test_incomplete_year_is_used_but_still_provisional(builtin):
    draft = svc.YearSpec(year=2027, days=(svc.DaySpec(D(2027, 1, 1), "holiday", "元旦"),), complete=False)
    svc.calendar_load_year(actor=ACTOR, now=T0, spec=draft)
    assert add_working_days(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 4), True, (2027,))
    svc.calendar_mark_complete(actor=ACTOR, now=T0, years=[2027])
    assert add_working_days(D(2026, 12, 31), 1) == exact(D(2027, 1, 4))


# ------------------------------------------------------------------------------- arguments, cache


@pytest.mark.django_db
def test_arguments_are_checked(builtin):
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), -1)
    with pytest.raises(TypeError):
        add_working_days(dt.datetime(2025, 1, 1, 8, 0, tzinfo=dt.UTC), 1)
    with pytest.raises(TypeError):
        working_days_between(D(2025, 1, 1), dt.datetime(2025, 2, 1, tzinfo=dt.UTC))


@pytest.mark.django_db
def test_warm_cache_makes_no_query(builtin, django_assert_num_queries):
    add_working_days(D(2025, 9, 26), 7)
    with django_assert_num_queries(0):
        for n in range(31):
            add_working_days(D(2025, 9, 26), n)
        working_days_between(D(2004, 1, 1), D(2026, 12, 31))
        is_working_day(D(2025, 10, 1))


@pytest.mark.django_db
def test_other_process_change_is_seen_after_the_staleness_interval(builtin, monkeypatch):
    """A write this process did not make (no invalidate()) is picked up by the fingerprint check."""
    assert add_working_days(D(2026, 12, 31), 1).provisional
    CalendarYear.objects.create(year=2027, source="operator", loaded_at=timeutil.now(), loaded_by="other")
    assert add_working_days(D(2026, 12, 31), 1).provisional  # still within the interval: cached
    monkeypatch.setattr(workdays, "STALENESS_CHECK_SECONDS", 0.0)
    assert add_working_days(D(2026, 12, 31), 1) == exact(D(2027, 1, 1))


# ------------------------------------------------------------------------------- properties

DATES = st.dates(min_value=D(2003, 12, 1), max_value=D(2028, 12, 31))


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=DATES, n=st.integers(min_value=0, max_value=400))
def test_between_inverts_add(sample_2027, start, n):
    end = add_working_days(start, n)
    between = working_days_between(start, end.value)
    assert between.value == n
    assert between.provisional_years == end.provisional_years
    if n >= 1:
        assert is_working_day(end.value)
        assert working_days_between(start, end.value - dt.timedelta(days=1)).value == n - 1
