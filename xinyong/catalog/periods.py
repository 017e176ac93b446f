"""Calendar arithmetic for rule quantities (publication periods, retention): months and years from a date.

End-of-month clamping: adding months keeps the day of the month unless the target month is shorter, in which
case the result is that month's last day — 2024-01-31 + 1 month = 2024-02-29, 2023-01-31 + 1 month =
2023-02-28, 2024-02-29 + 1 year = 2025-02-28. A year is 12 months. Working days need the holiday calendar
and are not handled here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from xinyong.core.hygiene import date_overflow

CALENDAR_UNITS = ("months", "years", "calendar_days")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise date_overflow(f"{day.isoformat()} 加 {months} 个月")  # a 400, not a 500 (issue 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_quantity(day: dt.date, quantity: dict[str, Any]) -> dt.date:
    """`day` plus a rule quantity {"amount": n, "unit": "months" | "years" | "calendar_days"}."""
    amount, unit = quantity["amount"], quantity["unit"]
    if unit == "months":
        return add_months(day, amount)
    if unit == "years":
        return add_months(day, 12 * amount)
    if unit == "calendar_days":
        try:
            return day + dt.timedelta(days=amount)
        except OverflowError:
            raise date_overflow(f"{day.isoformat()} 加 {amount} 天") from None
    raise ValueError(f"unit {unit!r} is not a calendar unit (working days need the holiday calendar)")
