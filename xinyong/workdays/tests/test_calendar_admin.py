"""The admin is the operator's other way to enter a year; its saves go through the service (docs/rules.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from xinyong.audit.models import AuditEvent
from xinyong.workdays.models import CalendarDay, CalendarYear
from xinyong.workdays.selectors import add_working_days
from xinyong.workdays.tests.test_services import CALLS, HOOK

ADD_URL = "/admin/workdays/calendaryear/add/"
LIST_URL = "/admin/workdays/calendaryear/"


@pytest.fixture(autouse=True)
def _today_2026(clock):
    clock.set(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC))
    CALLS.clear()


def year_form(
    year: int, days: list[tuple[str, str, str]], *, initial: int = 0, complete: bool = True
) -> dict:
    data = {
        "year": str(year),
        "note": "据国办发明电",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(initial),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    if complete:
        data["complete"] = "on"
    for i, (date, kind, name) in enumerate(days):
        data.update({f"days-{i}-date": date, f"days-{i}-kind": kind, f"days-{i}-name": name})
    return data


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_adding_a_year_goes_through_the_service(admin_client, builtin):
    assert add_working_days(dt.date(2026, 12, 31), 1).provisional
    days = [("2027-01-01", "holiday", "元旦"), ("2027-02-20", "workday", "春节")]
    response = admin_client.post(ADD_URL, year_form(2027, days))
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.loaded_by, year.note) == (
        "operator",
        f"user:{response.wsgi_request.user.pk}",
        "据国办发明电",
    )
    assert list(CalendarDay.objects.filter(year=year).values_list("kind", "name")) == [
        ("holiday", "元旦"),
        ("workday", "春节"),
    ]
    event = AuditEvent.objects.filter(action="calendar.load", target_id="2027").get()
    assert (event.payload["via"], event.payload["holidays"], event.payload["workdays"]) == ("admin", 1, 1)
    assert CALLS[-1]["years"] == [2027]
    assert add_working_days(dt.date(2026, 12, 31), 1).value == dt.date(2027, 1, 4)


@pytest.mark.django_db
def test_editing_a_year_replaces_its_days(admin_client, builtin):
    admin_client.post(ADD_URL, year_form(2027, [("2027-01-01", "holiday", "元旦")]))
    year = CalendarYear.objects.get(year=2027)
    day = year.days.get()
    data = year_form(
        2027, [("2027-01-01", "holiday", "元旦"), ("2027-10-01", "holiday", "国庆节")], initial=1
    )
    data.update({"days-0-id": str(day.pk), "days-0-DELETE": "on", "days-1-year": str(year.pk)})
    response = admin_client.post(f"{LIST_URL}{year.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(year.days.values_list("date", flat=True)) == [dt.date(2027, 10, 1)]
    assert CalendarYear.objects.get(year=2027).revision == 2
    assert AuditEvent.objects.filter(action="calendar.load", target_id="2027").count() == 2


@pytest.mark.django_db
def test_invalid_days_are_shown_on_the_form(admin_client, builtin):
    response = admin_client.post(ADD_URL, year_form(2027, [("2027-01-02", "holiday", "元旦")]))
    assert response.status_code == 200
    assert "2027-01-02（星期六） 元旦：周末本来休息，无需录入为节假日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
@override_settings(XINYONG_CALENDAR_RECOMPUTE=[HOOK])
def test_changelist_warns_and_action_completes(admin_client, builtin):
    response = admin_client.get(LIST_URL)
    assert "警告：2027 年节假日安排尚未载入" in response.content.decode()
    admin_client.post(ADD_URL, year_form(2027, [("2027-01-01", "holiday", "元旦")], complete=False))
    assert add_working_days(dt.date(2026, 12, 31), 1).provisional
    year = CalendarYear.objects.get(year=2027)
    response = admin_client.post(
        LIST_URL, {"action": "complete_and_recompute", "_selected_action": [str(year.pk)]}, follow=True
    )
    assert "已将 2027 年标记为完整。重新计算：" in response.content.decode()
    assert CalendarYear.objects.get(year=2027).complete
    assert not add_working_days(dt.date(2026, 12, 31), 1).provisional
    assert AuditEvent.objects.filter(action="calendar.complete").count() == 1
