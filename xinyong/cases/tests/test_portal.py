"""Portal column 典型案例 (issue 15; plan task 44): /cases/ lists published cases only, with kind, district and
year filters and bounded paging; /cases/<id>/ shows a published case with its public links; a draft is
unknown (404) and a withdrawn case answers 404 saying it was withdrawn."""

import re

import pytest
from django.test import Client

from tests.support.lists import DECIDER, REVIEWER, bj
from xinyong.accounts.models import Unit
from xinyong.cases.models import CaseKind
from xinyong.cases.services import case_publish, case_withdraw

from .conftest import draft

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/cases/\d+/">([^<]+)</a></h2>', html)


@pytest.fixture
def cases(company, penalty, black):
    """Three published cases (2025 and 2026, 海淀 and 全市), a draft and a withdrawn case."""
    haidian = Unit.objects.get(code="bj-haidian")
    dishonest = draft(subject=company, record_ids=[penalty.pk], list_entry_ids=[black.pk], district=haidian)
    honour = draft(
        kind=CaseKind.HONOUR, title="某物流企业诚信经营获评守信典型", summary="连续五年无失信记录。"
    )
    old = draft(kind=CaseKind.HONOUR, title="2025年守信典型案例", summary="往年案例。")
    draft(title="尚未发布的草稿案例")
    gone = draft(title="已撤回的案例")
    case_publish(actor=DECIDER, case_id=old.pk, now=bj(2025, 12, 30, 9))
    case_publish(actor=DECIDER, case_id=dishonest.pk, now=bj(2026, 3, 3, 9))
    case_publish(actor=REVIEWER, case_id=honour.pk, now=bj(2026, 3, 4, 9))
    case_publish(actor=DECIDER, case_id=gone.pk, now=bj(2026, 3, 4, 10))
    case_withdraw(actor=DECIDER, case_id=gone.pk, reason="内容有误", now=bj(2026, 3, 5, 9))
    return {"dishonest": dishonest, "honour": honour, "old": old, "gone": gone}


def test_the_list_shows_published_cases_newest_first(cases):
    page = Client().get("/cases/")
    assert page.status_code == 200
    html = page.content.decode()
    assert _titles(html) == [
        "某物流企业诚信经营获评守信典型",
        "北京华信科技有限公司虚假宣传被列入严重违法失信名单",
        "2025年守信典型案例",
    ]
    assert "尚未发布的草稿案例" not in html and "已撤回的案例" not in html
    assert '<option value="2026">2026年</option>' in html and '<option value="2025">2025年</option>' in html


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kind=dishonesty", ["北京华信科技有限公司虚假宣传被列入严重违法失信名单"]),
        ("kind=honour&year=2026", ["某物流企业诚信经营获评守信典型"]),
        ("year=2025", ["2025年守信典型案例"]),
        ("district=bj-haidian", ["北京华信科技有限公司虚假宣传被列入严重违法失信名单"]),
        ("district=bj-chaoyang", []),
    ],
)
def test_filters(cases, query, titles):
    html = Client().get(f"/cases/?{query}").content.decode()
    assert _titles(html) == titles
    if not titles:
        assert "没有符合条件的典型案例。" in html


def test_a_wrong_filter_is_a_chinese_message_per_field(cases):
    page = Client().get("/cases/?kind=good&year=1999&page=51")
    html = page.content.decode()
    assert page.status_code == 400
    assert "案例类型“good”不在可选范围内，请从列表中选择" in html
    assert "发布年份“1999”不在可选范围内，请从列表中选择" in html
    assert "页码应为 1 到 50 之间的整数" in html
    assert _titles(html) == []


def test_paging_is_bounded(company):
    for n in range(21):
        case_publish(actor=DECIDER, case_id=draft(title=f"案例{n:02d}").pk, now=bj(2026, 1, 5, 9, n))
    first = Client().get("/cases/").content.decode()
    assert len(_titles(first)) == 20 and _titles(first)[0] == "案例20"
    assert 'href="?page=2" rel="next"' in first
    second = Client().get("/cases/?page=2").content.decode()
    assert _titles(second) == ["案例00"] and 'rel="next"' not in second


def test_a_published_case_page(cases, company, penalty, black, clock):
    clock.set(bj(2026, 3, 10, 10))
    page = Client().get(f"/cases/{cases['dishonest'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>北京华信科技有限公司虚假宣传被列入严重违法失信名单</h1>" in html
    assert "<div><dt>案例类型</dt><dd>失信</dd></div>" in html
    assert "<div><dt>所属区</dt><dd>海淀区政府</dd></div>" in html
    assert "<div><dt>发生日期</dt><dd>2025年9月20日</dd></div>" in html
    assert "<div><dt>发布日期</dt><dd>2026年3月3日</dd></div>" in html
    assert f'<a href="/subjects/{company.uscc}/">北京华信科技有限公司</a>' in html
    assert "<p>2025年9月，市场监管部门查明该公司在商品包装上作虚假宣传。</p>" in html
    assert f'<a href="/lists/{black.list_type.code}/">{black.list_type.name}</a>' in html
    record_link = (
        f'<a href="/records/{penalty.pk}/">行政处罚信息 京工商罚字〔2025〕第88号</a>（北京华信科技有限公司）'
    )
    assert record_link in html


def test_a_draft_or_unknown_case_is_404_and_a_withdrawn_one_says_so(cases):
    draft_case = draft(title="另一份草稿")
    for path in (f"/cases/{draft_case.pk}/", "/cases/999999/"):
        page = Client().get(path)
        assert page.status_code == 404
        assert "该典型案例不存在或尚未发布。" in page.content.decode()
        assert "另一份草稿" not in page.content.decode()
    gone = Client().get(f"/cases/{cases['gone'].pk}/")
    assert gone.status_code == 404
    html = gone.content.decode()
    assert "<h1>该典型案例已撤回</h1>" in html and "该典型案例已由发布单位撤回，不再向社会公开。" in html
    assert "内容有误" not in html and "已撤回的案例" not in html.split("<main")[1]


def test_the_home_page_links_to_the_column(reference):
    html = Client().get("/").content.decode()
    assert '<li><a href="/cases/">典型案例</a></li>' in html


def test_the_cases_in_english(cases):
    """/en/cases/ and /en/cases/<id>/ (issue 15, the English pages): the portal's words in English, the
    cases' texts as published, no other Chinese in <main>; the withdrawn case's 404 in English."""
    from xinyong.portal.tests.leftovers import english

    html = english(Client().get("/en/cases/"), data=["海淀区"])
    assert "<h1>Typical cases</h1>" in html
    assert '<option value="dishonesty">Dishonesty</option>' in html
    assert '<option value="2026">2026</option>' in html
    dishonest = cases["dishonest"]
    assert f'<h2><a href="/en/cases/{dishonest.pk}/">{dishonest.title}</a></h2>' in html
    page = english(Client().get(f"/en/cases/{dishonest.pk}/"), data=["海淀区"])
    assert "<div><dt>Case type</dt><dd>Dishonesty</dd></div>" in page
    assert "<div><dt>Date of events</dt><dd>20 September 2025</dd></div>" in page
    assert re.search(r'<a href="/en/subjects/\w+/">北京华信科技有限公司</a>', page)
    assert re.search(r'<li><a href="/en/records/\d+/">[^<]+</a> \(北京华信科技有限公司\)</li>', page)
    gone = english(Client().get(f"/en/cases/{cases['gone'].pk}/"), status=404)
    assert (
        "This typical case has been withdrawn by the unit that published it and is no longer public." in gone
    )
    errors = english(Client().get("/en/cases/?kind=odd&year=1999"), status=400)
    assert "Case type “odd” is not one of the options; choose from the list" in errors
