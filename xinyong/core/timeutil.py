"""Time helpers: timestamps are UTC; business dates are reckoned in Asia/Shanghai (docs/interfaces.md)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current instant (UTC, aware). Interfaces call this and pass `now` into services."""
    return _read_clock()


def _read_clock() -> dt.datetime:
    """The system clock; tests freeze it here, for every importer of `now` (tests/support/clock.py)."""
    return dt.datetime.now(dt.UTC)


def business_date(instant: dt.datetime) -> dt.date:
    """The calendar date in Beijing of an aware instant."""
    return instant.astimezone(BEIJING).date()


def end_of_business_day(day: dt.date) -> dt.datetime:
    """A deadline on `day` ends at 23:59:59 Beijing time."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=BEIJING)


def rfc3339(instant: dt.datetime) -> str:
    """An instant as the API writes every timestamp (docs/adr/0020, issue 13): RFC 3339, Beijing offset,
    whole seconds — `2026-12-06T20:26:12+08:00`. A naive value is taken as UTC (the storage's zone)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(BEIJING).replace(microsecond=0).isoformat()
