"""Due, near and overdue (ADR 0039): an item's deadline is the instant its step must be done
by (every deadline of the platform ends 23:59:59 Beijing time on a working day). It is overdue (已逾期)
once that instant has passed; near (即将到期) when at most `NEAR_WORKING_DAYS` working days are left (the
deadline's day counts as none left, so "today" is near); otherwise open. An item without a deadline (a
proposal to review, a push to read) is never marked. Working days follow the holiday calendar
(xinyong/workdays)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.core.timeutil import business_date
from xinyong.workdays.selectors import working_days_between

NEAR_WORKING_DAYS = 2

OVERDUE, NEAR, OPEN, NONE = "overdue", "near", "open", "none"
DUE_LABELS = {OVERDUE: "已逾期", NEAR: "即将到期", OPEN: "未到期", NONE: "无期限"}


@dataclass(frozen=True)
class Due:
    """`state` one of overdue / near / open / none; `working_days` left (open, near) or late (overdue)."""

    state: str
    working_days: int | None = None

    @property
    def label(self) -> str:
        return DUE_LABELS[self.state]

    @property
    def text(self) -> str:
        """How the page says it: 逾期 3 个工作日 / 今日到期 / 剩 2 个工作日 / —."""
        if self.state == NONE:
            return "—"
        if self.state == OVERDUE:
            return f"逾期 {self.working_days} 个工作日" if self.working_days else "已逾期"
        return f"剩 {self.working_days} 个工作日" if self.working_days else "今日到期"


def due_of(deadline: dt.datetime | None, *, now: dt.datetime) -> Due:
    """The mark of a deadline at `now` (module docstring)."""
    if deadline is None:
        return Due(NONE)
    today, last = business_date(now), business_date(deadline)
    if now > deadline:
        return Due(OVERDUE, working_days_between(last, today).value)
    left = working_days_between(today, last).value
    return Due(NEAR if left <= NEAR_WORKING_DAYS else OPEN, left)
