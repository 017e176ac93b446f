"""Due, near and overdue in working days (ADR 0039, console/workbench/due.py), across the 2026 National Day
holiday (10-01 … 10-07 off, Sat 10-10 worked) of the loaded calendar."""

import pytest

from tests.support.lists import bj
from xinyong.console.workbench.due import due_of

pytestmark = pytest.mark.django_db
DEADLINE = bj(2026, 10, 9, 23, 59, 59)  # Fri


@pytest.mark.parametrize(
    ("now", "state", "days", "text", "label"),
    [
        (bj(2026, 9, 28, 10), "open", 4, "剩 4 个工作日", "未到期"),  # 09-29, 09-30, 10-08, 10-09
        (bj(2026, 9, 30, 10), "near", 2, "剩 2 个工作日", "即将到期"),  # the holiday counts no working day
        (bj(2026, 10, 8, 10), "near", 1, "剩 1 个工作日", "即将到期"),
        (bj(2026, 10, 9, 23, 59, 59), "near", 0, "今日到期", "即将到期"),
        (bj(2026, 10, 10, 0, 0, 0), "overdue", 1, "逾期 1 个工作日", "已逾期"),  # Sat 10-10 is worked
        (bj(2026, 10, 11, 12), "overdue", 1, "逾期 1 个工作日", "已逾期"),  # Sunday adds none
        (bj(2026, 10, 13, 9), "overdue", 3, "逾期 3 个工作日", "已逾期"),
    ],
)
def test_marks(reference, now, state, days, text, label):
    due = due_of(DEADLINE, now=now)
    assert (due.state, due.working_days, due.text, due.label) == (state, days, text, label)


def test_three_working_days_left_is_not_near_and_no_deadline_is_never_marked(reference):
    assert due_of(bj(2026, 10, 13, 23, 59, 59), now=bj(2026, 10, 9, 10)).state == "open"  # 10, 12, 13
    assert due_of(bj(2026, 10, 12, 23, 59, 59), now=bj(2026, 10, 9, 10)).state == "near"  # 10, 12
    none = due_of(None, now=bj(2026, 10, 9, 10))
    assert (none.state, none.working_days, none.text, none.label) == ("none", None, "—", "无期限")


def test_an_overdue_deadline_on_a_saturday_night_not_worked_counts_from_monday(reference):
    due = due_of(bj(2026, 10, 16, 23, 59, 59), now=bj(2026, 10, 17, 10))  # Fri deadline, Sat 10-17 off
    assert (due.state, due.working_days, due.text) == ("overdue", 0, "已逾期")
