"""Issue 15's performance requirement for the subject page (docs/performance.md "portal's pages"): each
category shows its latest 10 shown records (newest decision first, then newest id), the counts stay exact,
and "共 N 条，仅显示最近 10 条" links to the publicity column filtered to the subject (`?subject=`), which
lists exactly that subject's records; an unknown subject code is answered per field in Chinese."""

import re

import pytest
from django.test import Client

from tests.support.records import COMPANY, cf_row, officer, reference  # noqa: F401
from xinyong.intake.tests.test_submissions import _receive
from xinyong.subjects.identifiers import uscc_make

pytestmark = pytest.mark.django_db
OTHER = uscc_make("9111010500054321")


def _doc(n: int) -> str:
    return f"京工商罚字〔2026〕第{n:03d}号"


@pytest.fixture
def many(officer, clock):  # noqa: F811
    """25 shown penalties of the company (decided 2026-10-01 … 2026-10-25) and 2 of another company."""
    rows = [cf_row(CF_WSH=_doc(n), CF_JDRQ=f"2026-10-{n:02d}") for n in range(1, 26)]
    rows += [
        cf_row(CF_WSH=f"他{n}", CF_JDRQ="2026-10-20", CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒泰商贸有限公司")
        for n in (1, 2)
    ]
    _receive(officer, rows)


def _get(url: str, status: int = 200) -> str:
    response = Client().get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _shown_docs(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/records/\d+/">([^<]*)</a></h3>', html)


def test_the_subject_page_shows_the_latest_10_and_counts_all(many):
    page = _get(f"/subjects/{COMPANY}/")
    assert _shown_docs(page) == [_doc(n) for n in range(25, 15, -1)]  # newest decision first
    overview = page[page.index('id="overview"') : page.index("</table>")]
    assert re.search(r">行政处罚信息</a></td><td[^>]*>[^<]*</td><td[^>]*>25</td>", overview), overview
    link = f"/publicity/penalties/?subject={COMPANY}"
    assert (
        f'<p class="more" id="more-cf">共 25 条，仅显示最近 10 条 <a href="{link}">查看全部</a></p>' in page
    )


def test_the_link_lists_exactly_that_subjects_penalties(many):
    docs: list[str] = []
    for number in (1, 2):
        html = _get(f"/publicity/penalties/?subject={COMPANY}&page={number}")
        docs += re.findall(r"<dt>决定文书号</dt><dd>([^<]*)</dd>", html)
        assert f'value="{COMPANY}"' in html  # the form keeps the filter
    assert docs == [_doc(n) for n in range(25, 0, -1)]
    csv = Client().get(f"/publicity/penalties/?subject={COMPANY}&format=csv")
    text = b"".join(csv.streaming_content).decode()
    assert len(text.strip().splitlines()) == 26 and "他1" not in text


def test_no_line_when_all_are_shown(many):
    page = _get(f"/subjects/{OTHER}/")
    assert _shown_docs(page) == ["他2", "他1"] and 'class="more"' not in page


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (uscc_make("9111010599999999"), "主体代码：未找到该代码对应的信用主体。请核对代码"),
        ("ABC", "主体代码：无法识别的证件号码：长度为 3 位，应为 9、15、18 或 20 位。请核对代码"),
    ],
)
def test_an_unknown_subject_is_a_field_error(many, code, message):
    html = _get(f"/publicity/penalties/?subject={code}", status=400)
    assert f'<a href="#subject">{message}' in html
    assert '<p class="field-error">' + message in html
    assert "<dt>决定文书号</dt>" not in html


def test_the_english_line(many):
    page = _get(f"/en/subjects/{COMPANY}/")
    link = f"/en/publicity/penalties/?subject={COMPANY}"
    assert f'25 records in all; only the latest 10 are shown. <a href="{link}">View all</a>' in page
