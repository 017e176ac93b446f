"""Portal page 信用查询 /search/ (issue 15): highlighted matches, former names, kind and district, badges of
current list entries and objections, bounded paging, Chinese answers to empty and short queries, persons never
listed, rate limits."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import SubjectFactory, make_uscc
from tests.support.records import PERSON
from xinyong.core import ratelimit
from xinyong.portal import search

from .conftest import HONOURED, NEW_NAME

pytestmark = pytest.mark.django_db


def _get(url: str, status: int = 200) -> str:
    response = Client().get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def _items(page: str) -> list[str]:
    """Each result's block, whitespace between tags removed."""
    return [
        re.sub(r">\s*\n\s*<", "><", item).strip()
        for item in re.findall(r'<li class="result-item">(.*?)</li>', page, re.S)
    ]


def test_matches_highlighted_with_kind_district_former_names_and_badges(world):
    page = _get("/search/?q=华信")
    assert '<p class="hint">“华信”的查询结果，第 1 页（第 1–2 条）。</p>' in page
    assert _items(page) == [
        f'<h3><a href="/subjects/{HONOURED}/">北京<mark>华信</mark>物流有限公司</a></h3>'
        f'<p class="facts"><span>代码：{HONOURED}</span> <span>企业</span> <span>海淀区</span></p>'
        '<p class="badges"><span class="badge badge-good">诚信典型红名单</span></p>',
        f'<h3><a href="/subjects/{world.subject.uscc}/">北京<mark>华信</mark>数字科技有限公司</a></h3>'
        f'<p class="facts"><span>代码：{world.subject.uscc}</span> <span>企业</span></p>'
        '<p class="former">其他曾用名：北京华信科技有限公司</p>'
        '<p class="badges"><span class="badge badge-bad">市场监督管理严重违法失信名单</span> '
        '<span class="badge badge-flag">有信息正在异议处理中</span></p>',
    ]
    assert 'aria-label="分页"' not in page  # one page only


def test_a_former_name_that_matched_is_highlighted(world):
    (item,) = _items(_get("/search/?q=华信科技"))
    assert item.startswith(
        f'<h3><a href="/subjects/{world.subject.uscc}/">{NEW_NAME}</a></h3>'
        '<p class="matched">曾用名：北京<mark>华信科技</mark>有限公司</p>'
    )
    assert "其他曾用名" not in item


def test_by_code(world):
    (item,) = _items(_get(f"/search/?q={world.subject.uscc.lower()}"))
    assert item.startswith(f'<h3><a href="/subjects/{world.subject.uscc}/">{NEW_NAME}</a></h3>')


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "请输入要查询的名称或代码"),
        ("华", "名称查询至少需要 2 个字"),
        ("华" * 51, "查询内容不能超过 50 个字"),
    ],
)
def test_empty_short_and_long_queries_are_explained(db, query, message):
    page = _get(f"/search/?q={query}", status=400)
    assert f'<ul><li><a href="#q">{message}</a></li></ul>' in page
    assert f'<p class="field-error" id="q-error">{message}</p>' in page
    assert 'aria-describedby="q-hint q-error" aria-invalid="true"' in page
    assert 'id="results"' not in page


def test_the_form_alone_without_a_query(db):
    page = _get("/search/")
    assert '<label for="q">名称或代码</label>' in page and 'id="results"' not in page
    assert "error-summary" not in page


def test_no_match(world):
    page = _get("/search/?q=不存在的名字")
    assert '<p id="no-results">未找到与“不存在的名字”相关的法人和非法人组织。' in page


def test_paging_forward_to_a_bound(world, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 1)
    monkeypatch.setattr(search, "MAX_PAGES", 2)
    first = _get("/search/?q=华信")
    assert [i.split("</a>")[0] for i in _items(first)] == [
        f'<h3><a href="/subjects/{HONOURED}/">北京<mark>华信</mark>物流有限公司'
    ]
    (next_url,) = re.findall(r'<a href="(/search/\?q=[^"]+)" rel="next">下一页</a>', first)
    second = _get(next_url.replace("&amp;", "&"))
    assert "第 2 页（第 2–2 条）" in second
    assert [i.split("</a>")[0] for i in _items(second)] == [
        f'<h3><a href="/subjects/{world.subject.uscc}/">北京<mark>华信</mark>数字科技有限公司'
    ]
    assert 'rel="next"' not in second and '<a href="/search/?q=%E5%8D%8E%E4%BF%A1">回到第一页</a>' in second
    assert 'start="2"' in second
    monkeypatch.setattr(search, "MAX_PAGES", 1)  # more results than the bound: no further page, said why
    capped = _get("/search/?q=华信")
    assert 'rel="next"' not in capped
    assert (
        '<p class="hint" id="capped">结果较多，仅显示前 1 条。请输入更完整的名称或代码以缩小范围。</p>'
        in capped
    )


def test_a_forged_or_foreign_cursor_is_refused(world, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 1)
    first = _get("/search/?q=华信")
    (after,) = re.findall(r'after=([^"]+)" rel="next"', first)
    for url in [
        f"/search/?q=华信&after={after}x",
        f"/search/?q=北京&after={after}",
        "/search/?q=华信&after=e30",
    ]:
        page = _get(url.replace("&amp;", "&"), status=400)
        assert '<ul><li><a href="#q">分页参数无效或已过期，请重新查询</a></li></ul>' in page, url


def test_persons_are_never_listed(world, person):
    """By name, or by the exact resident ID (which the API answers masked): the page lists no one."""
    for query in ["王芳", PERSON]:
        page = _get(f"/search/?q={query}")
        assert _items(page) == [] and 'id="no-results"' in page
        assert person.person_masked not in page and "自然人" not in page.replace("不公开自然人信息", "")


def test_rate_limited(db, settings, monkeypatch):
    settings.XINYONG_RATE_LIMITS = {**settings.XINYONG_RATE_LIMITS, "anon": "2/60"}
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_796_000_000 - 1_796_000_000 % 60 + 20)
    ratelimit.counters_clear()
    try:
        answers = [Client().get("/search/?q=华信") for _ in range(3)]
    finally:
        ratelimit.counters_clear()
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0]["RateLimit"] == '"anon";r=1;t=40'
    refused = answers[2]
    assert refused["Retry-After"] == "40"
    assert "<h1>请求过于频繁</h1>" in refused.content.decode()
    assert "请 40 秒后再试。" in refused.content.decode()


def test_a_page_of_results_costs_the_same_queries_however_many_it_shows(world):
    """Badges, districts and former names are read for the whole page at once (no query per result)."""
    with CaptureQueriesContext(connection) as two:
        _get("/search/?q=华信")
    for n in range(5):
        SubjectFactory(name=f"北京华信第{n}贸易有限公司", uscc=make_uscc(7000 + n), district="bj-chaoyang")
    with CaptureQueriesContext(connection) as seven:
        page = _get("/search/?q=华信")
    assert len(_items(page)) == 7 and "<span>朝阳区</span>" in page
    assert len(seven.captured_queries) == len(two.captured_queries)
