"""Issue 15, the other public pages: 首页 (counts of the business day, latest 双公示 items, every service),
信用名单 (public list types, their current entries with listing and end dates and legal basis), 信用承诺,
政策法规 and 规划进度 — exact content through the test client, read as the public reads it."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.support.commitments import GSJ_OFFICER, commitments_reference, own, person_subject, sign  # noqa: F401
from tests.support.lists import (  # noqa: F401
    bj,
    company,
    entry_in,
    lists_reference,
    penalty,
    propose,
    receive,
    reference,
    walk,
)
from tests.support.oversight import ACTOR, T0
from tests.support.records import cf_row
from xinyong.oversight.services import plan_load
from xinyong.records.models import Record
from xinyong.subjects.identifiers import uscc_make

pytestmark = pytest.mark.django_db
OTHER = uscc_make("9111010500054321")


def _html(url: str, status: int = 200) -> str:
    response = Client().get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def listed(penalty, company, clock):  # noqa: F811
    """北京华信 on the market regulator's black list (published 2025-10-15), 北京恒泰 listed and exited there
    (2025-11-03)."""
    receive([cf_row(CF_WSH="恒泰罚1", CF_JDRQ="2025-09-20", XY_YZCD="严重", CF_XDR_SHXYM=OTHER,
                    CF_XDR_MC="北京恒泰商贸有限公司")], key="other")  # fmt: skip
    other = Record.objects.get(doc_no="恒泰罚1")
    shown = walk(propose(company, [penalty]), "published")
    gone = entry_in("exited", other.subject, [other])
    return shown, gone


def test_lists_index_shows_the_public_list_types(listed):
    html = _html("/lists/")
    assert '<a href="/lists/scjg-yzsx/">市场监督管理严重违法失信名单</a>' in html
    assert "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号" in html
    assert "/lists/zdgz/" not in html
    assert [h for h in re.findall(r'<h2 id="kind-\d">([^<]*)</h2>', html)] == [
        "黑名单（严重失信）",
        "红名单（守信激励）",
    ]


def test_a_list_type_page_shows_current_entries_only(listed, clock):
    clock.set(bj(2025, 11, 4, 10))
    html = _html("/lists/scjg-yzsx/")
    assert re.findall(r"<h3>([^<]*)</h3>", html) == ["北京华信科技有限公司"]  # not the exited 恒泰
    assert "<dt>列入日期</dt><dd>2025年10月15日</dd>" in html
    assert "<dt>届满移出日期</dt><dd>2028年10月14日</dd>" in html
    assert "<dt>列入依据</dt><dd>《市场监督管理严重违法失信名单管理办法》第二条</dd>" in html
    assert "<dt>设列依据</dt>" in html and "<dt>认定单位</dt><dd>市工商局</dd>" in html
    _html("/lists/zdgz/", 404)  # not public: as if it did not exist
    _html("/lists/no-such-list/", 404)
    assert "页码应为 1 到 50 之间的整数" in _html("/lists/scjg-yzsx/?page=99", 400)


def test_an_entry_past_its_term_is_no_longer_shown(listed, clock):
    shown, _ = listed
    clock.set(bj(2028, 10, 15, 0, 0))
    assert shown.expires_on == dt.date(2028, 10, 14)
    assert "目前没有在列的主体。" in _html("/lists/scjg-yzsx/")


def test_home_counts_the_business_day(listed, clock):
    clock.set(bj(2025, 10, 15, 23, 59))
    html = _html("/")
    assert '<span class="count" id="count-listed">2</span>' in html  # 华信 and 恒泰 (exited later); not zdgz
    assert '<span class="count" id="count-exited">0</span>' in html
    assert '<span class="count" id="count-published">0</span>' in html
    clock.set(bj(2025, 11, 3, 0, 0))
    html = _html("/")
    assert '<span class="count" id="count-listed">0</span>' in html
    assert '<span class="count" id="count-exited">1</span>' in html


def test_home_counts_records_received_today_and_lists_the_latest(penalty, clock):  # noqa: F811
    clock.set(bj(2025, 9, 26, 18))  # the day the fixtures' penalties arrived (tests/support/lists.py)
    receive([cf_row(CF_WSH="罚2", CF_JDRQ="2025-09-22")], key="second", now=bj(2025, 9, 26, 11))
    receive([cf_row(CF_WSH="罚0", CF_JDRQ="2025-09-24")], key="before", now=bj(2025, 9, 25, 23, 59))
    html = _html("/")
    assert '<span class="count" id="count-published">2</span>' in html
    latest = re.findall(r'<span class="tag">([^<]*)</span> <a href="/records/\d+/">([^<]*)</a>', html)
    assert latest == [("行政处罚", "北京华信科技有限公司")] * 3
    assert re.findall(r"· (\d{4}-\d\d-\d\d)", html) == ["2025-09-24", "2025-09-22", "2025-09-20"]
    assert '<form method="get" action="/search/" class="search" role="search" aria-label="信用查询">' in html
    for link in ("/publicity/licences/", "/publicity/penalties/", "/lists/", "/commitments/", "/policies/",
                 "/plan/", "/progress/", "/reports/verify", "/accounts/login/"):  # fmt: skip
        assert f'<li><a href="{link}">' in html, link


def test_commitments_column_masks_persons(company, own, clock):  # noqa: F811
    clock.set(bj(2025, 11, 4, 10))
    sign(company, actor=own, template="approval-general")
    person = person_subject()
    sign(person, actor=GSJ_OFFICER, template="voluntary-general", evidence="书面承诺书")
    html = _html("/commitments/")
    assert re.findall(r'<a href="/records/\d+/">([^<]*)</a>', html) == ["王*", "北京华信科技有限公司"]
    assert "王芳" not in html
    assert "<dt>承诺类型</dt><dd>审批替代型（告知承诺）</dd>" in html
    assert "<dt>承诺事项</dt><dd>食品经营许可证核发</dd>" in html
    assert "<dt>履约情况</dt><dd>待核查</dd>" in html
    assert "<dt>公示截止</dt><dd>长期</dd>" in html
    body = b"".join(Client().get("/commitments/?format=csv").streaming_content).decode()
    assert "王芳" not in body and "王*," in body
    assert "类别" not in html.split('<form method="get"')[1].split("</form>")[0]  # no type filter here


def test_policies_show_the_catalog_and_rules_in_force(reference, clock):  # noqa: F811
    html = _html("/policies/")
    assert "目录版本 <strong>2026.5</strong>，自 2026年12月1日 起施行。" in html
    assert "<summary>行政处罚信息（CF）</summary>" in html or "（CF）</summary>" in html
    assert "<h3>严重失信行为的行政处罚信息公示期限</h3>" in html
    assert "<dt>内容</dt><dd>是否公示：是；最短：1 年；最长：3 年</dd>" in html
    assert "<dt>施行日期</dt><dd>2026年4月1日</dd>" in html
    assert "<dt>内容</dt><dd>期限：7 个工作日</dd>" in html
    clock.set(bj(2024, 1, 2, 10))  # before the 2026 rows: the 2023 ones are in force
    html = _html("/policies/")
    assert "<dt>内容</dt><dd>是否公示：否</dd>" in html


def test_plan_shows_the_55_tasks_with_their_units(db, clock):
    from xinyong.accounts.reference import units_load

    assert "规划尚未载入" in _html("/plan/")
    units_load(actor=ACTOR, now=T0)
    plan_load(actor=ACTOR, now=T0)
    html = _html("/plan/")
    assert len(re.findall(r'<li id="task-\d+" value="\d+">', html)) == 55
    assert "共 55 项任务" in html
    task55 = html.split('<li id="task-55" value="55">')[1].split("</li>")[0]
    assert "建立健全信用工作督导和考核评估制度" in task55
    assert "责任单位：</span>市经济信息化委（牵头）、人民银行营业管理部" in task55
    assert '<h2 id="section-1">一、加快推进政务诚信建设</h2>' in html


def test_home_is_cheap(penalty, clock, django_assert_max_num_queries):  # noqa: F811
    """A bounded number of statements, and today's count reads the record_unit_received_idx range (SQLite's
    plan; the aggregate of issue 16 replaces it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinyong.records.selectors import publicity_received_count

    with django_assert_max_num_queries(14):
        _html("/")
    if connection.vendor != "sqlite":
        return
    with CaptureQueriesContext(connection) as seen:
        publicity_received_count(on=dt.date(2025, 9, 26), unit_ids=[1, 2, 3])
    statement = seen.captured_queries[-1]["sql"]
    plan = " ".join(str(row) for row in connection.cursor().execute(f"EXPLAIN QUERY PLAN {statement}"))
    assert "record_unit_received_idx" in plan, plan
