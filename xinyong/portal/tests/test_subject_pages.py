"""Portal pages 主体页 /subjects/<code>/ and 信息详情 /records/<id>/ (issue 15): what the public may read about an
organisation — the same standing a credit report reads — within publication windows; persons refused."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.support.records import PERSON
from tests.support.reports import current
from xinyong.portal.record import NOT_SHOWN
from xinyong.portal.subject import PERSON_REFUSED
from xinyong.records.models import Record, RecordStatus

from .conftest import HONOURED, NEW_NAME

pytestmark = pytest.mark.django_db


def _get(url: str, status: int = 200) -> str:
    response = Client().get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return re.sub(r">\s*\n\s*<", "><", response.content.decode())


def _section(page: str, anchor: str) -> str:
    return re.search(rf'<section aria-labelledby="{anchor}"[^>]*>(.*?)</section>', page, re.S).group(1)


def _links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/records/\d+/">([^<]+)</a></h3>', html)


def test_subject_page_base_information_badges_and_former_name(world):
    page = _get(f"/subjects/{world.subject.uscc}/")
    assert f"<title>{NEW_NAME} · 公共信用信息服务平台</title>" in page
    assert f"<h1>{NEW_NAME}</h1>" in page
    assert (
        '<p class="badges" id="badges"><span class="badge badge-bad">市场监督管理严重违法失信名单</span> '
        '<span class="badge badge-flag">有信息正在异议处理中</span></p>'
    ) in page
    assert (
        '<dl class="facts-list" id="base">'
        f"<div><dt>统一社会信用代码</dt><dd>{world.subject.uscc}</dd></div>"
        "<div><dt>组织机构代码</dt><dd>000123457</dd></div>"
        "<div><dt>主体类型</dt><dd>企业</dd></div>"
        "<div><dt>登记状态</dt><dd>正常</dd></div>"
        '<div><dt>曾用名</dt><dd><ul class="plain"><li>北京华信科技有限公司（2025年09月26日至2026年11月02日）</li>'
        "</ul></dd></div></dl>"
    ) in page
    assert '<a class="button" href="/me/">申请信用报告</a>' in page
    assert '<a class="button secondary" href="/reports/verify">核验信用报告</a>' in page
    assert "截至 2026年11月16日" in page


def test_records_within_their_windows_and_list_entries(world):
    page = _get(f"/subjects/{world.subject.uscc}/")
    assert _links(_section(page, "s-xk")) == ["京工商许字〔2026〕第001号"]  # not the expired 2020 licence
    penalties = _section(page, "s-cf")
    # shown: published and under objection; not repaired (103), withdrawn (104), minor unpublished (105) or past
    # its window (2025 No. 901)
    assert _links(penalties) == [
        "京工商罚字〔2026〕第102号",
        "京工商罚字〔2026〕第101号",
        "京工商罚字〔2025〕第88号",
    ]
    objected = penalties.split("</li>")[0]
    assert f'<h3><a href="/records/{world.known.objected.pk}/">京工商罚字〔2026〕第102号</a></h3>' in objected
    assert (
        "<div><dt>违法行为类型</dt><dd>商标侵权</dd></div><div><dt>处罚内容</dt><dd>罚款人民币二万元</dd></div>"
        in objected
    )
    assert "<div><dt>公示截止</dt><dd>2027年10月28日</dd></div>" in objected
    assert '<p class="flag">该信息正在异议处理中（2026年10月30日起）</p>' in objected
    assert penalties.count('class="flag"') == 1
    listed = _section(page, "s-listscjg-yzsx")
    assert (
        '<h3>市场监督管理严重违法失信名单</h3><dl class="facts-list">'
        "<div><dt>列入日期</dt><dd>2025年10月14日</dd></div>"
        "<div><dt>公布日期</dt><dd>2025年10月15日</dd></div>"
        "<div><dt>有效期至</dt><dd>2028年10月14日</dd></div>"
        "<div><dt>认定单位</dt><dd>市市场监管局</dd></div>"
        "<div><dt>列入依据</dt><dd>《市场监督管理严重违法失信名单管理办法》第二条</dd></div></dl>"
    ) in listed
    commitments = _section(page, "s-xycn")
    assert [re.sub(r"\d+$", "N", link) for link in _links(commitments)] == ["XYCN-N"]  # N: a sequence
    assert "<div><dt>承诺事项</dt><dd>食品经营许可证核发</dd></div>" in commitments
    overview = _section(page, "overview-title")
    assert (
        '<a href="#s-cf">行政处罚信息</a></td><td data-label="性质">负面</td><td data-label="条数">3</td>'
        in overview
    )
    assert (
        '<td data-label="信息类别">行政强制信息</td><td data-label="性质">负面</td><td data-label="条数">0</td>'
        in overview
    )
    assert 'aria-labelledby="s-qz"' not in page  # empty categories only in the overview


def test_honours_red_list(world):
    page = _get(f"/subjects/{HONOURED}/")
    assert '<p class="badges" id="badges"><span class="badge badge-good">诚信典型红名单</span></p>' in page
    assert (
        '<h2 id="s-listcxdx-hmd">名单：诚信典型红名单<span class="badge badge-good">守信激励</span></h2>'
        in page
    )


def test_the_compliance_view_chosen_with_the_select(world):
    page = _get(f"/subjects/{world.subject.uscc}/?view=compliance")
    assert (
        '<option value="compliance" selected>专项信用报告（行政处罚、行政强制、严重失信名单及刑事犯罪记录情况）</option>'
        in page
    )
    titles = re.findall(r'<h2 id="s-[a-z0-9-]+">([^<]+)', page)
    assert titles == [
        "行政处罚记录",
        "行政强制记录",
        "严重失信主体名单记录",
        "失信被执行人记录",
        "刑事犯罪记录",
    ]
    assert "<p>经查询，截至2026年11月16日，本平台未发现该主体的行政强制记录。</p>" in page
    assert "<h3>市场监督管理严重违法失信名单</h3>" in _section(page, "s-yzsx")
    assert 'aria-labelledby="s-xk"' not in page
    unknown = _get(f"/subjects/{world.subject.uscc}/?view=everything")
    assert '<option value="full" selected>' in unknown


def test_other_codes_lead_to_one_address(world):
    response = Client().get("/subjects/000123457/?view=compliance")
    assert (response.status_code, response["Location"]) == (
        301,
        f"/subjects/{world.subject.uscc}/?view=compliance",
    )
    response = Client().get(f"/subjects/{world.subject.uscc.lower()}/")
    assert (response.status_code, response["Location"]) == (301, f"/subjects/{world.subject.uscc}/")


def test_persons_unknown_and_malformed_codes(world, person):
    page = _get(f"/subjects/{PERSON}/", status=404)
    assert f'<p id="explanation">{PERSON_REFUSED}</p>' in page and "王芳" not in page
    page = _get("/subjects/91110108MA00000000/", status=404)
    assert "<h1>未找到该主体</h1>" in page
    page = _get("/subjects/not-a-code/", status=404)
    assert "请核对代码，或通过信用查询按名称查找。" in page
    licence = current("京工商许字〔2026〕第300号")
    assert licence.subject_id == person.pk
    page = _get(f"/records/{licence.pk}/", status=404)
    assert f'<p id="explanation">{NOT_SHOWN}</p>' in page and "王芳" not in page


def test_record_detail_shows_public_fields_only(world):
    page = _get(f"/records/{world.known.penalty.pk}/")
    assert "<title>京工商罚字〔2026〕第101号 - 行政处罚信息 · 公共信用信息服务平台</title>" in page
    assert (
        f'<div><dt>信用主体</dt><dd><a href="/subjects/{world.subject.uscc}/">{NEW_NAME}</a></dd></div>'
        "<div><dt>决定日期</dt><dd>2026年10月28日</dd></div>"
        "<div><dt>报送单位</dt><dd>市市场监管局</dd></div>"
        "<div><dt>公示状态</dt><dd>公示中</dd></div>"
        "<div><dt>公示截止</dt><dd>2027年10月28日</dd></div>"
    ) in page
    rows = re.findall(
        r'<tr><th scope="row" data-label="项目">([^<]+)</th><td data-label="内容">([^<]*)</td></tr>', page
    )
    assert dict(rows)["违法行为类型"] == "虚假宣传"
    assert dict(rows)["处罚类别"] == "罚款、没收违法所得"  # code list labels, as a report prints them
    assert dict(rows)["处罚有效期"] == "长期"
    assert "公示理由" not in dict(rows) and "法定代表人证件号码" not in dict(rows)  # government tier
    assert 'id="objection"' not in page and 'id="lists"' not in page  # the basis of no list entry
    objected = _get(f"/records/{world.known.objected.pk}/")
    assert '<p class="flag" id="objection">该信息正在异议处理中（2026年10月30日起）</p>' in objected


def test_the_basis_of_a_public_list_entry_links_to_that_list(world):
    """The serious penalty put the firm on the black list: its page links to the list's column."""
    page = _get(f"/records/{world.serious.pk}/")
    assert (
        '<h2 id="lists-title">据此列入的信用名单</h2><ul class="plain" id="lists" aria-labelledby="lists-title">'
        '<li><a href="/lists/scjg-yzsx/">市场监督管理严重违法失信名单</a></li></ul>'
    ) in page
    english = _get(f"/en/records/{world.serious.pk}/")
    assert '<h2 id="lists-title">Credit lists based on this decision</h2>' in english
    assert '<a href="/en/lists/scjg-yzsx/">' in english


@pytest.mark.parametrize(
    "doc_no",
    ["京工商罚字〔2026〕第103号", "京工商罚字〔2026〕第104号", "京工商罚字〔2026〕第105号", "京工商罚字〔2025〕第901号",
     "京工商许字〔2020〕第077号"],
)  # fmt: skip
def test_records_not_shown_are_404_with_an_explanation(world, doc_no):
    page = _get(f"/records/{current(doc_no).pk}/", status=404)
    assert "<h1>未找到可公开的信息</h1>" in page and f'<p id="explanation">{NOT_SHOWN}</p>' in page
    assert doc_no not in page


def test_a_superseded_version_and_an_unknown_id(world):
    first = Record.objects.get(doc_no="京工商许字〔2026〕第001号", is_current=False)  # corrected since
    assert first.status == RecordStatus.SUPERSEDED and world.known.licence.pk != first.pk
    assert _get(f"/records/{first.pk}/", status=404).count(NOT_SHOWN) == 1
    assert _get("/records/999999/", status=404).count(NOT_SHOWN) == 1


def test_the_publication_window_ends_on_its_last_day(world, clock):
    url = f"/records/{world.known.penalty.pk}/"
    clock.set(dt.datetime(2027, 10, 28, 15, 59, tzinfo=dt.UTC))  # 23:59 in Beijing, the last day
    assert "公示中" in _get(url)
    assert "京工商罚字〔2026〕第101号" in _get(f"/subjects/{world.subject.uscc}/")
    clock.set(dt.datetime(2027, 10, 28, 16, 0, tzinfo=dt.UTC))  # 00:00 on the day after
    _get(url, status=404)
    assert "京工商罚字〔2026〕第101号" not in _get(f"/subjects/{world.subject.uscc}/")
