"""The calendar endpoint says when a result is provisional (a year without a loaded schedule)."""

import datetime as dt

import pytest
from django.test import Client

from xinyong.core.actor import Actor
from xinyong.workdays.services import calendar_load_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    calendar_load_builtin(
        actor=Actor.system(), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC), years=[2025, 2026]
    )


def test_deadline_across_national_day(calendar):
    body = Client().get("/api/v1/calendar/working-days?start=2025-09-29&days=7").json()
    assert body == {
        "start": "2025-09-29",
        "working_days": 7,
        "date": "2025-10-15",
        "deadline": "2025-10-15T23:59:59+08:00",
        "provisional": False,
        "provisional_years": [],
        "warning": None,
    }


def test_unloaded_year_is_provisional_with_a_warning(calendar):
    body = Client().get("/api/v1/calendar/working-days?start=2026-12-28&days=7").json()
    assert body["provisional"] is True
    assert body["provisional_years"] == [2027]
    assert body["warning"] == "2027 年节假日安排尚未载入，结果按仅周末计算，为临时结果"


def test_bad_input_is_a_problem(calendar):
    response = Client().get("/api/v1/calendar/working-days?start=2026-13-01")
    assert (response.status_code, response.json()["code"]) == (422, "request.invalid")
    response = Client().get("/api/v1/calendar/working-days?start=2026-01-01&days=-1")
    assert (response.status_code, response.json()["code"]) == (400, "calendar.days_out_of_range")
