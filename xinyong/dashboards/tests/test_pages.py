"""The dashboards (issue 16): a page's table cells and its CSV equal the same numbers counted in the test
directly from the records and submissions; the credit office sees every unit, a unit's officer only its own;
the district filter; the filter's errors per field. Pages read only the monthly figures (metrics app)."""

import csv
import datetime as dt
import io
import re
import statistics

import pytest
from django.test import Client

from tests.support.otp import verified_login
from tests.support.records import COMPANY
from xinyong.accounts.models import Unit, User
from xinyong.intake.models import Submission
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db

BJ = dt.timezone(dt.timedelta(hours=8))
QUERY = "?month_from=2026-10&month_to=2026-11"


def _user(username, unit_code, role):
    user = User.objects.create_user(
        username=username, password="x-strong-password-1", full_name=username,
        unit=Unit.objects.get(code=unit_code), roles=[role],
    )  # fmt: skip
    return verified_login(Client(), user)


@pytest.fixture
def office(world):
    return _user("office", "bj-jingxinwei", "reviewer")


def _table(body: str, key: str) -> list[list[str]]:
    section = re.search(rf'aria-labelledby="t-{key}">(.*?)</section>', body, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>")[1], re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]


def _csv(client, slug, key, query=QUERY) -> list[list[str]]:
    answer = client.get(f"/console/dashboards/{slug}/{key}.csv{query}")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def _publicity_from_records(unit_code, **where):
    """(rows, on time, rate, median working days late) counted from the records themselves."""
    start = dt.datetime(2026, 10, 1, tzinfo=BJ)
    records = Record.objects.filter(
        unit__code=unit_code, change_kind="original", category__deadline_working_days__isnull=False,
        received_at__gte=start, received_at__lt=dt.datetime(2026, 12, 1, tzinfo=BJ), **where,
    )  # fmt: skip
    late_days = [r.delay_working_days - r.category.deadline_working_days if r.late else 0 for r in records]
    on_time = sum(1 for d in late_days if d == 0)
    median = statistics.median(late_days)
    return [str(len(late_days)), str(on_time), f"{on_time / len(late_days) * 100:.1f}%", f"{median:g}"]


def test_publicity_per_unit_equals_the_records(office):
    body = office.get(f"/console/dashboards/publicity/{QUERY}").content.decode()
    assert _table(body, "by-unit") == [
        ["市财政局", *_publicity_from_records("bj-caizhengju")],
        ["市工商局", *_publicity_from_records("bj-gongshangju")],
    ]
    # spelled out once: 工商局 4 rows (2 on time; late by 2 and 23 working days), 财政局 2 (1 late by 24)
    assert _table(body, "by-unit") == [
        ["市财政局", "2", "1", "50.0%", "12"],
        ["市工商局", "4", "2", "50.0%", "1"],
    ]
    assert _csv(office, "publicity", "by-unit") == [
        ["单位", "报送条数", "按时报送", "比率", "超期工作日中位数"],
        *_table(body, "by-unit"),
    ]


def test_the_chart_data_block_and_the_month_table(office):
    body = office.get(f"/console/dashboards/publicity/{QUERY}").content.decode()
    assert _table(body, "by-month") == [
        ["2026-10", "1", "1", "100.0%", "0"],
        ["2026-11", "5", "2", "40.0%", "2"],
    ]
    assert '<script id="chart-by-month" type="application/json">' in body
    assert 'data-chart="chart-by-month"' in body


def test_submissions_per_category_equal_the_submissions(office):
    body = office.get(f"/console/dashboards/submissions/{QUERY}").content.decode()
    expected = []
    for code, name in (("CF", "行政处罚信息"), ("XK", "行政许可信息")):
        subs = Submission.objects.filter(category__code=code)
        total, rejected = sum(s.total for s in subs), sum(s.rejected for s in subs)
        expected.append([f"{code} {name}", str(total), str(rejected), f"{rejected / total * 100:.1f}%"])
    assert (
        _table(body, "by-category")
        == expected
        == [
            ["CF 行政处罚信息", "4", "1", "25.0%"],
            ["XK 行政许可信息", "3", "0", "0.0%"],
        ]
    )
    assert _csv(office, "submissions", "by-category")[1:] == expected


def test_the_district_filter(office):
    body = office.get(f"/console/dashboards/publicity/{QUERY}&district=bj-dongcheng").content.decode()
    company = Subject.objects.get(uscc=COMPANY)
    assert _table(body, "by-unit") == [
        ["市财政局", *_publicity_from_records("bj-caizhengju", subject=company)],
        ["市工商局", *_publicity_from_records("bj-gongshangju", subject=company)],
    ]
    assert "东城区 · 2026-10 至 2026-11" in body


def test_a_unit_officer_sees_only_its_own_unit(world):
    officer = _user("czj", "bj-caizhengju", "data_officer")
    body = officer.get(f"/console/dashboards/publicity/{QUERY}").content.decode()
    assert _table(body, "by-unit") == [["市财政局", *_publicity_from_records("bj-caizhengju")]]
    assert "本页只显示本单位（市财政局）的数字" in body
    assert [row[0] for row in _csv(officer, "publicity", "by-unit")] == ["单位", "市财政局"]


def test_the_filter_refuses_per_field(office):
    answer = office.get("/console/dashboards/publicity/?month_from=2026-13&month_to=2026-01&district=nowhere")
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "月份格式应为 YYYY-MM，如 2026-11" in body
    assert "选择一个有效的选项" in body
    assert office.get("/console/dashboards/publicity/?month_from=2026-11&month_to=2026-10").status_code == 400
    assert office.get("/console/dashboards/nothing/").status_code == 404


def test_every_dashboard_opens_and_the_navigation_lists_them(office):
    index = office.get("/console/dashboards/").content.decode()
    assert 'aria-current="page">看板</a>' in index
    for slug in ("publicity", "submissions", "checks", "remedies", "lists"):
        assert f'href="/console/dashboards/{slug}/"' in index
        assert office.get(f"/console/dashboards/{slug}/{QUERY}").status_code == 200


def test_anonymous_is_sent_to_the_login_page(world):
    answer = Client().get("/console/dashboards/publicity/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
