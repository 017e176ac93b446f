"""Records received through the intake: publication windows, timeliness, the sweep, withdrawal."""

import datetime as dt
import json

import pytest

from tests.support.records import NOW, cf_row, xk_row
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.intake.models import Submission
from xinyong.intake.tests.test_submissions import _post, _receive, submissions_client
from xinyong.records.models import Record, RecordStatusChange
from xinyong.records.services import records_sweep

pytestmark = pytest.mark.django_db


def _window(record):
    return (record.status, record.publish_min_end, record.publish_max_end, record.rule_effective_from)


def test_windows_follow_the_rule_in_force_on_the_decision_date(officer):
    rows = [
        cf_row(CF_WSH="A", CF_JDRQ="2026-03-31", XY_YZCD="严重"),
        cf_row(CF_WSH="B", CF_JDRQ="2026-04-01", XY_YZCD="严重"),
        cf_row(CF_WSH="C", CF_JDRQ="2026-03-31", CF_CFLB="警告", CF_NR_FK=None),
        cf_row(CF_WSH="D", CF_JDRQ="2026-04-01", CF_CFLB="警告", CF_NR_FK=None),
        cf_row(CF_WSH="E", CF_JDRQ="2026-10-30"),
    ]
    _receive(officer, rows)
    by_doc = {r.doc_no: r for r in Record.objects.all()}
    d = dt.date
    assert _window(by_doc["A"]) == ("published", d(2027, 3, 31), d(2029, 3, 31), d(2023, 5, 1))
    assert _window(by_doc["B"]) == ("published", d(2027, 4, 1), d(2029, 4, 1), d(2026, 4, 1))
    assert _window(by_doc["C"]) == ("not_published", None, None, d(2023, 5, 1))
    assert _window(by_doc["D"]) == ("not_published", None, None, d(2026, 4, 1))
    assert _window(by_doc["E"]) == ("published", d(2027, 1, 30), d(2027, 10, 30), d(2026, 4, 1))
    assert (by_doc["A"].severity, by_doc["C"].severity, by_doc["E"].severity) == (
        "serious",
        "minor",
        "general",
    )


def test_window_already_over_on_arrival_is_expired(officer):
    _receive(officer, [cf_row(CF_JDRQ="2024-06-03")])
    assert Record.objects.get().status == "expired"


def test_timeliness_across_national_day(officer):
    arrive_15 = dt.datetime(2025, 10, 15, 8, 0, tzinfo=dt.UTC)
    arrive_16 = dt.datetime(2025, 10, 16, 8, 0, tzinfo=dt.UTC)
    _receive(officer, [xk_row(XK_WSH="A", XK_JDRQ="2025-09-29", XK_YXQZ="2025-09-29")], "XK", arrive_15, "a")
    _receive(officer, [xk_row(XK_WSH="B", XK_JDRQ="2025-09-29", XK_YXQZ="2025-09-29")], "XK", arrive_16, "b")
    by_doc = {r.doc_no: (r.delay_working_days, r.late, r.delay_provisional) for r in Record.objects.all()}
    assert by_doc == {"A": (7, False, False), "B": (8, True, False)}
    assert Submission.objects.get(idempotency_key="b").late == 1


@pytest.fixture
def client(reference):
    return submissions_client(reference)


def test_timeliness_report(officer, client):
    _receive(
        officer, [xk_row(XK_WSH="A", XK_JDRQ="2026-10-28"), xk_row(XK_WSH="B", XK_JDRQ="2026-10-09")], "XK"
    )
    rows = client.get("/api/v1/timeliness?month=2026-11").json()["rows"]
    assert rows == [
        {
            "unit": "bj-gongshangju",
            "unit_name": "市工商局",
            "month": "2026-11",
            "total": 2,
            "on_time": 1,
            "late": 1,
            "median_delay_working_days": 10.0,
            "provisional": 0,
        }
    ]


def test_sweep_catches_up_and_is_idempotent(officer):
    _receive(officer, [cf_row(CF_WSH="A", CF_JDRQ="2026-04-01"), cf_row(CF_WSH="B", CF_JDRQ="2026-10-30")])
    system = Actor.system()
    assert records_sweep(actor=system, now=NOW).expired == 0
    later = dt.datetime(2027, 4, 5, 2, 0, tzinfo=dt.UTC)  # days after A's window ended on 2027-04-01
    assert records_sweep(actor=system, now=later).expired == 1
    assert records_sweep(actor=system, now=later).expired == 0
    statuses = dict(Record.objects.values_list("doc_no", "status"))
    assert statuses == {"A": "expired", "B": "published"}
    change = RecordStatusChange.objects.get(to_status="expired")
    assert (change.from_status, change.actor) == ("published", "system")
    assert AuditEvent.objects.filter(action="records.sweep").count() == 1


def test_withdrawal_is_a_version(client, officer):
    _post(client, [xk_row()])
    record = Record.objects.get()
    response = client.post(
        f"/api/v1/records/{record.pk}/withdrawal",
        json.dumps({"reason": "决定已撤销"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "record_id": record.pk + 1,
        "version": 2,
        "status": "withdrawn",
        "supersedes": record.pk,
    }
    again = client.post(
        f"/api/v1/records/{record.pk}/withdrawal",
        json.dumps({"reason": "再次"}),
        content_type="application/json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "record.not_current")
