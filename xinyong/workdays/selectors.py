"""Working days under the national holiday calendar (docs/rules.md: 双公示 within 7 working days, objections
within 2 / 10 working days, repairs within 10 / 3 working days).

Counting rule: the day that starts a period is not counted (期间开始之日不计算在内). `add_working_days(d, n)`
is the n-th working day after d; `working_days_between(a, b)` counts the working days w with a < w <= b.
A working day is Monday–Friday unless stored as a `holiday`, or a Saturday/Sunday stored as a `workday`.
Dates are business dates in Asia/Shanghai: turn an instant into one with `timeutil.business_date`, and a
deadline day into its last instant with `timeutil.end_of_business_day` (`working_day_deadline` does both).

Provisional results: a year with no complete `CalendarYear` row is reckoned by weekends only; any result that
touches such a year says so (`provisional=True`, `provisional_years`) so callers can flag and later recompute.

Cache (the choice, documented): the whole calendar (a few hundred exception dates) is held per process in one
immutable snapshot of ordinal sets. Calls make no query while the snapshot is fresh. It is dropped
  * at once by the load services in this process (`invalidate()`, also again on commit), and
  * in other processes by a staleness check: at most once every `STALENESS_CHECK_SECONDS` a single aggregate
    query compares (count, max(loaded_at), sum(revision)) of `CalendarYear` with the snapshot's and reloads
    when it differs (equality, not "newer", so a rolled-back write is also noticed).
Another process therefore sees a calendar change within a few seconds. Tests call `invalidate()` between
tests because each test's database is rolled back underneath the cache.
"""

from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_right
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, Max, Sum

from xinyong.core import timeutil

STALENESS_CHECK_SECONDS = 5.0
BUILTIN_FIRST_YEAR = 2004

T = TypeVar("T")


@dataclass(frozen=True)
class WorkdayResult(Generic[T]):
    """A computed date or count, and whether it rests on a year whose schedule is not loaded yet."""

    value: T
    provisional: bool
    provisional_years: tuple[int, ...]


@dataclass(frozen=True)
class _Snapshot:
    off: frozenset[int]  # ordinals of weekdays off (holiday)
    on: frozenset[int]  # ordinals of weekends worked (workday)
    off_sorted: tuple[int, ...]
    on_sorted: tuple[int, ...]
    complete: frozenset[int]  # years whose schedule is loaded and complete
    fingerprint: tuple


_snapshot: _Snapshot | None = None
_checked_at: float = 0.0


def invalidate() -> None:
    """Drop this process's snapshot; the next call reloads it. Called by every calendar write."""
    global _snapshot, _checked_at
    _snapshot = None
    _checked_at = 0.0


def _fingerprint() -> tuple:
    from xinyong.workdays.models import CalendarYear

    agg = CalendarYear.objects.aggregate(n=Count("id"), last=Max("loaded_at"), rev=Sum("revision"))
    return (agg["n"], agg["last"], agg["rev"])


def _load(fingerprint: tuple) -> _Snapshot:
    from xinyong.workdays.models import CalendarDay, CalendarYear, DayKind

    off, on = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (off if kind == DayKind.HOLIDAY else on).add(day.toordinal())
    years = CalendarYear.objects.values_list("year", "complete")
    return _Snapshot(
        off=frozenset(off),
        on=frozenset(on),
        off_sorted=tuple(sorted(off)),
        on_sorted=tuple(sorted(on)),
        complete=frozenset(y for y, done in years if done),
        fingerprint=fingerprint,
    )


def _current() -> _Snapshot:
    """The snapshot, re-validated against the database at most every STALENESS_CHECK_SECONDS."""
    global _snapshot, _checked_at
    snap = _snapshot
    clock = time.monotonic()
    if snap is not None and clock - _checked_at < STALENESS_CHECK_SECONDS:
        return snap
    fingerprint = _fingerprint()
    if snap is None or snap.fingerprint != fingerprint:
        snap = _load(fingerprint)
        _snapshot = snap
    _checked_at = clock
    return snap


def _check_date(d: dt.date, what: str) -> None:
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"{what} must be a business date (use timeutil.business_date(instant)), got {d!r}")


def _is_working(o: int, snap: _Snapshot) -> bool:
    if o in snap.off:
        return False
    return o in snap.on or (o + 6) % 7 < 5


def _provisional(snap: _Snapshot, first_year: int, last_year: int, value: T) -> WorkdayResult[T]:
    missing = tuple(y for y in range(first_year, last_year + 1) if y not in snap.complete)
    return WorkdayResult(value=value, provisional=bool(missing), provisional_years=missing)


def is_working_day(d: dt.date) -> bool:
    """Whether `d` is a working day (Mon–Fri unless a holiday; Sat/Sun only if an adjusted workday)."""
    _check_date(d, "d")
    return _is_working(d.toordinal(), _current())


def add_working_days(start: dt.date, n: int) -> WorkdayResult[dt.date]:
    """The n-th working day after `start` (start itself not counted; n=0 gives start), e.g. the 双公示
    deadline is `add_working_days(decision_date, 7)` (docs/rules.md). Provisional if a year from start+1 to
    the result has no complete schedule."""
    _check_date(start, "start")
    if n < 0:
        raise ValueError("n must be >= 0")
    if n == 0:
        return WorkdayResult(value=start, provisional=False, provisional_years=())
    snap = _current()
    off, on = snap.off, snap.on
    o = start.toordinal()
    left = n
    last = dt.date.max.toordinal()
    while left:
        o += 1
        if o not in off and (o in on or (o + 6) % 7 < 5):
            left -= 1
        if o >= last and left:
            from xinyong.core.hygiene import date_overflow

            raise date_overflow(f"{start.isoformat()} 后第 {n} 个工作日")  # a 400, not a 500 (issue 12)
    end = dt.date.fromordinal(o)
    first_year = start.year if (start.month, start.day) != (12, 31) else start.year + 1
    return _provisional(snap, first_year, end.year, end)


def _weekdays_through(o: int) -> int:
    """Mon–Fri days among ordinals 1..o (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(o, 7)
    return 5 * weeks + min(rest, 5)


def working_days_between(a: dt.date, b: dt.date) -> WorkdayResult[int]:
    """The number of working days w with a < w <= b (0 when b <= a); e.g. the lateness of a 双公示 record
    is `working_days_between(decision_date, published_date) - 7` when positive (docs/domain.md Record)."""
    _check_date(a, "a")
    _check_date(b, "b")
    if b <= a:
        return WorkdayResult(value=0, provisional=False, provisional_years=())
    snap = _current()
    lo, hi = a.toordinal(), b.toordinal()
    count = _weekdays_through(hi) - _weekdays_through(lo)
    count += bisect_right(snap.on_sorted, hi) - bisect_right(snap.on_sorted, lo)
    count -= bisect_right(snap.off_sorted, hi) - bisect_right(snap.off_sorted, lo)
    first_year = dt.date.fromordinal(lo + 1).year
    return _provisional(snap, first_year, b.year, count)


def working_day_deadline(start: dt.date, n: int) -> WorkdayResult[dt.datetime]:
    """The instant a deadline of n working days after `start` ends: 23:59:59 Beijing time
    (docs/interfaces.md)."""
    day = add_working_days(start, n)
    return WorkdayResult(
        value=timeutil.end_of_business_day(day.value),
        provisional=day.provisional,
        provisional_years=day.provisional_years,
    )


def calendar_years_missing(*, through: dt.date, since: dt.date | None = None) -> list[int]:
    """Years from `since` (default: 2004, the first year chinesecalendar knows) through `through` whose
    schedule is not loaded or not complete: their working days are weekends-only and provisional."""
    first = (since or dt.date(BUILTIN_FIRST_YEAR, 1, 1)).year
    snap = _current()
    return [y for y in range(first, through.year + 1) if y not in snap.complete]


def calendar_warnings(*, today: dt.date) -> list[str]:
    """Warning lines (Chinese) when the current or next year's schedule is missing or not complete."""
    from xinyong.workdays.models import CalendarYear

    wanted = (today.year, today.year + 1)
    rows = dict(CalendarYear.objects.filter(year__in=wanted).values_list("year", "complete"))
    lines = []
    for y in wanted:
        if y not in rows:
            lines.append(
                f"警告：{y} 年节假日安排尚未载入，"
                f"涉及 {y} 年的工作日计算按仅周末处理并标记为临时（provisional）"
            )
        elif not rows[y]:
            lines.append(
                f"警告：{y} 年节假日安排尚未标记为完整，涉及 {y} 年的工作日计算标记为临时（provisional）"
            )
    return lines
