"""Issue 15, the 双公示 columns /publicity/licences/ and /publicity/penalties/: the rows shown today (window
respected), each filter narrowing them, bounded paging, the CSV download (BOM, Chinese header, the same rows,
bounded with a note), persons never named, and bad filter values answered in Chinese, never a 500."""

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client

from tests.support.records import COMPANY, PERSON, cf_row, officer, reference, xk_row  # noqa: F401
from xinyong.intake.tests.test_submissions import _receive
from xinyong.portal import columns, filters
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
OTHER = uscc_make("9111010500054321")


@pytest.fixture
def penalties(officer, clock):  # noqa: F811
    """Five shown penalties of 市工商局 (received 2026-11-02, Beijing), one not published (minor), one whose
    one-year window ends on 2026-11-10; the other company is registered in 朝阳区."""
    rows = [
        cf_row(CF_WSH="A", CF_JDRQ="2026-10-01"),
        cf_row(CF_WSH="B", CF_JDRQ="2026-10-15", CF_CFLB="罚款;没收违法所得", CF_NR_WFFF="1"),
        cf_row(CF_WSH="C", CF_JDRQ="2026-10-15", CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒泰商贸有限公司"),
        cf_row(CF_WSH="D", CF_JDRQ="2026-10-20", CF_CFLB="警告", CF_NR_FK=None),  # minor: not published
        cf_row(CF_WSH="E", CF_JDRQ="2026-10-28", CF_NR="=cmd|' /C calc'!A0"),
        cf_row(CF_WSH="W", CF_JDRQ="2025-11-10"),  # general: shown until 2026-11-10
        cf_row(
            CF_WSH="P",
            CF_JDRQ="2026-10-30",
            CF_XDR_MC="王小明",
            CF_XDR_LB="自然人",
            CF_XDR_SHXYM=None,
            CF_FRDB=None,
            CF_XDR_ZJLX="身份证",
            CF_XDR_ZJHM=PERSON,
        ),
    ]
    _receive(officer, rows)
    Subject.objects.filter(uscc=OTHER).update(district="bj-chaoyang")


def _docs(html: str) -> list[str]:
    return re.findall(r"<dt>决定文书号</dt><dd>([^<]*)</dd>", html)


def _get(url: str):
    response = Client().get(url)
    return response, response.content.decode()


def test_penalties_shown_today_newest_first(penalties):
    response, html = _get("/publicity/penalties/")
    assert response.status_code == 200
    assert _docs(html) == ["P", "E", "C", "B", "A", "W"]
    assert "<title>行政处罚信息公示 · 公共信用信息服务平台</title>" in html
    assert "<dt>处罚类别</dt><dd>罚款;没收违法所得</dd>" in html
    assert "<dt>公示截止</dt><dd>2026年11月10日</dd>" in html


def test_the_window_is_respected_without_the_sweep(penalties, clock):
    clock.set(dt.datetime(2026, 11, 10, 15, 59, tzinfo=dt.UTC))  # 2026-11-10 23:59 Beijing: last day
    assert "W" in _docs(_get("/publicity/penalties/")[1])
    clock.set(dt.datetime(2026, 11, 10, 16, 0, tzinfo=dt.UTC))  # 2026-11-11 00:00 Beijing
    assert _docs(_get("/publicity/penalties/")[1]) == ["P", "E", "C", "B", "A"]


def test_a_person_is_never_named(penalties):
    _, html = _get("/publicity/penalties/")
    assert "王小明" not in html and "小明" not in html
    assert '<a href="/records/' in html and ">王**</a>" in html
    assert "<dt>身份证件号码</dt><dd>110105********0025</dd>" in html
    assert PERSON not in html
    body = b"".join(Client().get("/publicity/penalties/?format=csv").streaming_content).decode()
    assert "王小明" not in body and "小明" not in body and PERSON not in body
    assert "王**,110105********0025" in body


def test_filters_narrow_the_rows(penalties, officer):  # noqa: F811
    _receive(officer, [xk_row()], category="XK", key="xk")
    _receive(officer, [xk_row(XK_WSH="许2", XK_XKLB="05")], category="XK", key="xk2")
    for query, docs in [
        ("date_from=2026-10-15&date_to=2026-10-20", ["C", "B"]),
        ("date_from=2026-10-28", ["P", "E"]),
        ("district=bj-chaoyang", ["C"]),
        ("unit=bj-gongshangju&type=没收违法所得", ["B"]),
        ("type=罚款", ["P", "E", "C", "B", "A", "W"]),
        ("unit=bj-shuiwuju", []),
        ("district=bj-haidian", []),
    ]:
        assert _docs(_get(f"/publicity/penalties/?{query}")[1]) == docs, query
    assert _docs(_get("/publicity/licences/")[1]) == ["许2", "京工商许字〔2026〕第001号"]
    _, html = _get("/publicity/licences/?type=05")
    assert _docs(html) == ["许2"] and "<dt>许可类别</dt><dd>登记</dd>" in html
    assert "没有符合条件的信息。" in _get("/publicity/penalties/?unit=bj-shuiwuju")[1]


def test_the_form_keeps_the_filter_and_offers_the_lists(penalties):
    _, html = _get("/publicity/penalties/?district=bj-chaoyang&date_from=2026-10-01")
    assert '<option value="bj-chaoyang" selected>朝阳区政府</option>' in html
    assert 'id="date_from" name="date_from" value="2026-10-01"' in html
    assert '<option value="警告">警告</option>' in html
    assert 'href="?district=bj-chaoyang&amp;date_from=2026-10-01&amp;format=csv"' in html


def test_bad_filter_values_answer_in_chinese(penalties):
    for query, message in [
        ("date_from=2026-13-01", "起始日期应为有效日期，格式为 年-月-日（如 2026-10-01）"),
        ("date_to=yesterday", "截止日期应为有效日期，格式为 年-月-日（如 2026-10-01）"),
        ("date_from=2026-10-20&date_to=2026-10-01", "截止日期不能早于起始日期"),
        ("unit=不存在", "提供单位“不存在”不在可选范围内，请从列表中选择"),
        ("district=bj-gongshangju", "所属区“bj-gongshangju”不在可选范围内，请从列表中选择"),
        ("type=拘役", "类别“拘役”不在可选范围内，请从列表中选择"),
        ("page=0", "页码应为 1 到 50 之间的整数；更早的信息请缩小筛选范围后查看"),
        ("page=51", "页码应为 1 到 50 之间的整数；更早的信息请缩小筛选范围后查看"),
        ("page=x", "页码应为 1 到 50 之间的整数；更早的信息请缩小筛选范围后查看"),
        ("format=pdf", "下载格式只能是 csv"),
        ("format=csv&date_from=2026-02-30", "起始日期应为有效日期，格式为 年-月-日（如 2026-10-01）"),
    ]:
        response, html = _get(f"/publicity/penalties/?{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "请修改以下内容后重新查询" in html and message in html, query
        assert _docs(html) == [], query


def test_paging_is_bounded(penalties, monkeypatch):
    monkeypatch.setattr(filters, "PAGE_SIZE", 2)
    _, first = _get("/publicity/penalties/?type=罚款")
    assert _docs(first) == ["P", "E"]
    assert '<a href="?type=%E7%BD%9A%E6%AC%BE&amp;page=2" rel="next">下一页</a>' in first
    assert 'rel="prev"' not in first
    _, second = _get("/publicity/penalties/?type=罚款&page=2")
    assert (
        _docs(second) == ["C", "B"]
        and 'rel="prev"' in second
        and '<ol class="records" id="rows" start="3">' in second
    )
    _, third = _get("/publicity/penalties/?type=罚款&page=3")
    assert _docs(third) == ["A", "W"] and 'rel="next"' not in third
    monkeypatch.setattr(filters, "MAX_PAGE", 2)
    _, last = _get("/publicity/penalties/?page=2")
    assert _docs(last) == ["C", "B"] and 'rel="next"' not in last
    assert "最多显示 2 页；更早的信息请缩小筛选范围（如日期区间）后查看，或下载 CSV。" in last
    assert Client().get("/publicity/penalties/?page=3").status_code == 400


def _csv(url: str) -> tuple[str, list[list[str]]]:
    response = Client().get(url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="penalties.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_has_the_filtered_rows(penalties):
    text, rows = _csv("/publicity/penalties/?date_from=2026-10-15&date_to=2026-10-28&format=csv")
    assert text.startswith(
        "\ufeff决定文书号,决定日期,主体名称,主体代码,提供单位,公示截止,异议处理中,行政相对人名称,"
    )
    assert "处罚类别" in rows[0] and "CF_FR_ZJHM" not in text
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows[1:]] == [
        ("E", "2026-10-28", "北京华信科技有限公司", COMPANY, "2027-10-28"),
        ("C", "2026-10-15", "北京恒泰商贸有限公司", OTHER, "2027-10-15"),
        ("B", "2026-10-15", "北京华信科技有限公司", COMPANY, "2027-10-15"),
    ]
    assert "'=cmd|' /C calc'!A0" in rows[1]  # a formula is defused, as in the API's export


def test_the_csv_is_bounded_with_a_note(penalties, monkeypatch):
    monkeypatch.setattr(columns, "MAX_CSV_ROWS", 3)
    _, rows = _csv("/publicity/penalties/?format=csv")
    assert [r[0] for r in rows[1:4]] == ["P", "E", "C"]
    assert rows[4:] == [
        ["注：符合条件的信息超过 3 条，本文件只含最新的 3 条；请缩小筛选范围（如日期区间）后分次下载。"]
    ]
    _, rows = _csv("/publicity/penalties/?date_from=2026-10-28&format=csv")
    assert [r[0] for r in rows[1:]] == ["P", "E"]  # exactly at or under the bound: no note


def test_odd_values_never_answer_500(penalties):
    from tests.test_no_500 import ODD_VALUES

    client = Client()
    for path in ("/publicity/licences/", "/publicity/penalties/", "/commitments/", "/lists/scjg-yzsx/"):
        for name in ("unit", "district", "type", "date_from", "date_to", "page", "format"):
            for value in [*ODD_VALUES, "\x00", "2026-1-1"]:
                response = client.get(path, {name: value})
                assert response.status_code in (200, 400, 404), (path, name, value)
