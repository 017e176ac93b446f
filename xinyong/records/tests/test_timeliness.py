"""双公示 timeliness (docs/rules.md, rule `deadline.shuanggongshi`: 7 working days from the decision): an arrival
after the deadline day is late whatever day it falls on; the deadline day itself is on time until 23:59:59
Beijing time. Exact dates under the 2025 and 2026 national holiday calendars."""

import datetime as dt

import pytest

from tests.support.records import xk_row
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.intake.models import Submission
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.records.models import Record
from xinyong.records.publication import Timeliness, timeliness
from xinyong.records.selectors import timeliness_report

pytestmark = pytest.mark.django_db

d = dt.date
# Wednesday 2026-11-04: the 7th working day after it is Friday 2026-11-13 (no holiday in between).
FRIDAY_DEADLINE_DECISION = d(2026, 11, 4)
# Monday 2025-09-22: the 7th working day after it is Tuesday 2025-09-30 (Sunday 09-28 is a working day);
# National Day 2025 is 10-01 … 10-08, Saturday 10-11 is a working day.
HOLIDAY_DEADLINE_DECISION = d(2025, 9, 22)


def _t(decision: dt.date, arrival: dt.date) -> Timeliness:
    return timeliness(decision_date=decision, arrival=arrival, deadline_working_days=7)


@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        (d(2026, 11, 12), Timeliness(6, False, False)),  # Thursday before the deadline
        (d(2026, 11, 13), Timeliness(7, False, False)),  # Friday, the deadline day
        (d(2026, 11, 14), Timeliness(8, True, False)),  # Saturday after: counted as Monday
        (d(2026, 11, 15), Timeliness(8, True, False)),  # Sunday after: counted as Monday
        (d(2026, 11, 16), Timeliness(8, True, False)),  # Monday after
        (d(2026, 11, 7), Timeliness(3, False, False)),  # a Saturday before the deadline stays on time
    ],
)
def test_weekend_after_a_friday_deadline_is_late(reference, arrival, expected):
    assert _t(FRIDAY_DEADLINE_DECISION, arrival) == expected


@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        (d(2025, 9, 30), Timeliness(7, False, False)),  # the deadline day
        (d(2025, 10, 1), Timeliness(8, True, False)),  # National Day: counted as Thursday 10-09
        (d(2025, 10, 3), Timeliness(8, True, False)),
        (d(2025, 10, 8), Timeliness(8, True, False)),  # last holiday day
        (d(2025, 10, 9), Timeliness(8, True, False)),  # first working day after the holiday
        (d(2025, 10, 11), Timeliness(10, True, False)),  # the adjusted working Saturday
        (d(2025, 10, 12), Timeliness(11, True, False)),  # Sunday: counted as Monday 10-13
    ],
)
def test_holiday_after_the_deadline_is_late(reference, arrival, expected):
    assert _t(HOLIDAY_DEADLINE_DECISION, arrival) == expected


def test_same_day_and_no_deadline(reference):
    assert _t(d(2026, 11, 7), d(2026, 11, 7)) == Timeliness(0, False, False)  # a Saturday decision
    assert _t(d(2026, 11, 7), d(2026, 11, 8)) == Timeliness(1, False, False)  # Sunday → Monday, 1st day
    assert timeliness(decision_date=d(2026, 11, 4), arrival=d(2026, 12, 1), deadline_working_days=None) == (
        Timeliness(None, False, False)
    )


def _receive(officer, doc_no: str, decision: dt.date, at: dt.datetime):
    unit = Unit.objects.get(code=officer.unit_code)
    source = SubmissionSource(channel="api", idempotency_key=doc_no, body_sha256=doc_no)
    day = decision.isoformat()
    submission_receive(
        actor=officer,
        unit=unit,
        category=Category.objects.get(code="XK"),
        rows=enumerate([xk_row(XK_WSH=doc_no, XK_JDRQ=day, XK_YXQZ=day)]),
        source=source,
        now=at,
    )


def test_arrivals_stored_and_reported(officer):
    utc = dt.UTC
    # 23:00 Beijing on Friday 2026-11-13 (15:00 UTC): the deadline day, on time
    _receive(
        officer, "ON-FRIDAY-2300", FRIDAY_DEADLINE_DECISION, dt.datetime(2026, 11, 13, 15, 0, tzinfo=utc)
    )
    # 00:30 Beijing on Saturday 2026-11-14 (16:30 UTC on the Friday): late
    _receive(
        officer, "SATURDAY-0030", FRIDAY_DEADLINE_DECISION, dt.datetime(2026, 11, 13, 16, 30, tzinfo=utc)
    )
    _receive(officer, "SUNDAY", FRIDAY_DEADLINE_DECISION, dt.datetime(2026, 11, 15, 2, 0, tzinfo=utc))
    stored = {r.doc_no: (r.delay_working_days, r.late, r.delay_provisional) for r in Record.objects.all()}
    assert stored == {
        "ON-FRIDAY-2300": (7, False, False),
        "SATURDAY-0030": (8, True, False),
        "SUNDAY": (8, True, False),
    }
    assert dict(Submission.objects.values_list("idempotency_key", "late")) == {
        "ON-FRIDAY-2300": 0,
        "SATURDAY-0030": 1,
        "SUNDAY": 1,
    }
    assert timeliness_report(month="2026-11") == [
        {
            "unit": "bj-gongshangju",
            "unit_name": "市工商局",
            "month": "2026-11",
            "total": 3,
            "on_time": 1,
            "late": 2,
            "median_delay_working_days": 8.0,
            "provisional": 0,
        }
    ]


def test_national_day_arrival_stored_late(officer):
    _receive(
        officer, "DEADLINE-2300", HOLIDAY_DEADLINE_DECISION, dt.datetime(2025, 9, 30, 15, 0, tzinfo=dt.UTC)
    )
    _receive(officer, "HOLIDAY", HOLIDAY_DEADLINE_DECISION, dt.datetime(2025, 10, 3, 2, 0, tzinfo=dt.UTC))
    stored = {r.doc_no: (r.delay_working_days, r.late) for r in Record.objects.all()}
    assert stored == {"DEADLINE-2300": (7, False), "HOLIDAY": (8, True)}
