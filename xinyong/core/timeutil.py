"""Time helpers: timestamps are UTC; business dates are reckoned in Asia/Shanghai (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current instant (UTC, aware). Interfaces call this and pass `now` into services."""
    return dt.datetime.now(dt.UTC)


def business_date(instant: dt.datetime) -> dt.date:
    """The calendar date in Beijing of an aware instant."""
    return instant.astimezone(BEIJING).date()


def end_of_business_day(day: dt.date) -> dt.datetime:
    """A deadline on `day` ends at 23:59:59 Beijing time."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=BEIJING)
