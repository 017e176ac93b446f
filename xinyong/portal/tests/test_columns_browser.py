"""Issue 15 in a real browser (headless Chromium against the live server; tests/browser.py): home → the
行政处罚 column → a district filter → the 信用名单 index → a list type's page; every public page of this part
without serious or critical axe-core violations (tests/browser.py axe_violations); the same pages at 375 px wide without a
horizontal scroll bar."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser import axe_violations, browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.commitments import commitments_reference, own, sign  # noqa: F401
from tests.support.lists import bj, company, lists_reference, penalty, propose, receive, reference, walk  # noqa: F401
from tests.support.oversight import ACTOR, T0
from tests.support.records import cf_row, xk_row
from xinyong.oversight.services import plan_load
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

OTHER = uscc_make("9111010500054321")
PAGES = ["/", "/publicity/licences/", "/publicity/penalties/", "/publicity/penalties/?date_from=2030-01-01&date_to=2020-01-01",
         "/lists/", "/lists/scjg-yzsx/", "/commitments/", "/policies/", "/plan/"]  # fmt: skip


@pytest.fixture
def portal_data(penalty, company, own, clock):  # noqa: F811
    """北京华信's serious penalty and its black-list entry (published 2025-10-15), 北京恒泰's penalty (朝阳区),
    a licence, a public commitment and the city plan; the clock on 2025-11-04 in Beijing."""
    receive([cf_row(CF_WSH="恒泰罚1", CF_JDRQ="2025-09-22", CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒泰商贸有限公司")],
            key="other")  # fmt: skip
    receive([xk_row(XK_WSH="许1", XK_JDRQ="2025-09-01", XK_YXQZ="2025-09-01")], category="XK", key="xk")
    Subject.objects.filter(uscc=OTHER).update(district="bj-chaoyang")
    sign(company, actor=own, template="voluntary-general")
    walk(propose(company, [penalty]), "published")
    plan_load(actor=ACTOR, now=T0)
    clock.set(bj(2025, 11, 4, 10))


def _heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def _click(driver, text: str) -> None:
    """Follow the link with this text and wait until the new page has loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__xinyongOldPage = true;")
    driver.find_element(By.LINK_TEXT, text).click()
    WebDriverWait(driver, 15).until(
        lambda d: d.execute_script(
            "return window.__xinyongOldPage === undefined && document.readyState === 'complete';"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_home_to_a_filtered_column_to_a_list(browser, live_server, portal_data):  # noqa: F811
    browser.get(f"{live_server.url}/")
    assert browser.title == "首页 · 公共信用信息服务平台"
    assert browser.find_element(By.ID, "count-listed").text == "0"
    _click(browser, "行政处罚公示")
    assert _heading(browser) == "行政处罚信息公示"
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#rows h2")]
    assert names == ["北京恒泰商贸有限公司", "北京华信科技有限公司"]  # newest decision first
    Select(browser.find_element(By.ID, "district")).select_by_visible_text("朝阳区政府")
    shown = submit_and_read(browser, "rows")
    assert shown.splitlines()[0] == "北京恒泰商贸有限公司"
    assert browser.current_url.endswith(
        "/publicity/penalties/?unit=&district=bj-chaoyang&type=&date_from=&date_to="
    )
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#rows h2")] == ["北京恒泰商贸有限公司"]
    _click(browser, "信用名单")
    assert _heading(browser) == "信用名单"
    _click(browser, "市场监督管理严重违法失信名单")
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#rows h3")] == ["北京华信科技有限公司"]
    assert "列入日期\n2025年10月15日" in browser.find_element(By.ID, "rows").text


@pytest.mark.django_db(transaction=True)
def test_every_page_is_accessible_and_fits_375_px(browser, live_server, portal_data):  # noqa: F811
    found = {}
    for width in (1280, 375):
        browser.set_window_size(width, 900)
        for page in PAGES:
            browser.get(f"{live_server.url}{page}")
            assert browser.execute_script("return window.innerWidth;") == width
            if width == 375:
                wide = browser.execute_script("return document.documentElement.scrollWidth;")
                assert wide <= width, f"{page}: {wide} px wide at {width} px"
            violations = axe_violations(browser)
            if violations:
                found[f"{page} @ {width}px"] = violations
    assert found == {}


def test_the_axe_check_finds_what_it_should(browser):  # noqa: F811
    """The check itself: an unlabelled field and an image without alternative text are reported."""
    browser.get("data:text/html;charset=utf-8,<html lang=zh-CN><title>t</title><main><input id=x>"
                "<img src=a.png></main></html>")  # fmt: skip
    assert sorted(v["id"] for v in axe_violations(browser)) == ["image-alt", "label"]
