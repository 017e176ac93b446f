"""The working-day calendar's API (docs/rules.md: deadlines in working days): a public calculator."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Router, Schema
from pydantic import WithJsonSchema

from xinyong.core.api import IsoDate
from xinyong.core.errors import DomainError
from xinyong.core.hygiene import date_check
from xinyong.core.timeutil import rfc3339
from xinyong.workdays.selectors import working_day_deadline

calendar_router = Router(tags=["calendar"])


WorkingDays = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 3660})]


class WorkingDayOut(Schema):
    start: dt.date
    working_days: int
    date: dt.date
    deadline: str
    provisional: bool
    provisional_years: list[int]
    warning: str | None = None


@calendar_router.get(
    "/working-days",
    response=WorkingDayOut,
    operation_id="calendar_add_working_days",
    summary="计算 N 个工作日后的日期（截止时刻为北京时间 23:59:59）",
)
def calendar_add_working_days(request, start: IsoDate, days: WorkingDays = 7):
    """`provisional` is true when a year touched has no published holiday schedule loaded yet."""
    if not 0 <= days <= 3660:
        raise DomainError("calendar.days_out_of_range", "工作日数须在 0–3660 之间")
    date_check(start, field="start")
    result = working_day_deadline(start, days)
    warning = None
    if result.provisional:
        years = "、".join(str(y) for y in result.provisional_years)
        warning = f"{years} 年节假日安排尚未载入，结果按仅周末计算，为临时结果"
    return {
        "start": start,
        "working_days": days,
        "date": result.value.date(),
        "deadline": rfc3339(result.value),
        "provisional": result.provisional,
        "provisional_years": list(result.provisional_years),
        "warning": warning,
    }
