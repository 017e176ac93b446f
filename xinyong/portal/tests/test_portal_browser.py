"""The public pages in a real browser (issue 15; headless Chromium against the live server, tests/browser.py):
search → subject page → a penalty's detail, typed and clicked as a visitor would, at desktop width and at
375 px (no horizontal scrolling), each page checked with axe-core for serious or critical violations."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser import axe_violations, browser, submit_and_read  # noqa: F401 - the fixture

from .conftest import NEW_NAME

pytestmark = pytest.mark.django_db(transaction=True)


def _open(driver, href: str, ready_id: str) -> None:
    """Follow the link to `href` on the page and wait until the new page holds `ready_id`."""
    driver.execute_script("window.__xinyongOldPage = true;")
    driver.find_element(By.CSS_SELECTOR, f'a[href="{href}"]').click()
    WebDriverWait(driver, 15).until(
        lambda d: (
            d.execute_script(
                "return window.__xinyongOldPage === undefined && document.readyState === 'complete';"
            )
            and d.find_elements(By.ID, ready_id)
        )
    )


def _checked(driver, width: int | None) -> None:
    """The page has no serious or critical accessibility violation and, on a narrow screen, no sideways scroll."""
    assert axe_violations(driver) == [], driver.current_url
    if width:
        assert driver.execute_script("return document.documentElement.scrollWidth;") <= width, (
            driver.current_url
        )


def _walk(driver, base: str, world, width: int | None) -> None:
    driver.get(f"{base}/search/")
    assert driver.title == "信用查询 · 公共信用信息服务平台"
    _checked(driver, width)
    driver.find_element(By.ID, "q").send_keys("华")
    assert submit_and_read(driver, "error-title") == "无法查询"
    assert driver.find_element(By.ID, "q-error").text == "名称查询至少需要 2 个字"
    _checked(driver, width)  # the error summary and the invalid field

    driver.find_element(By.ID, "q").send_keys("信")
    results = submit_and_read(driver, "results")
    assert "北京华信数字科技有限公司" in results and "其他曾用名：北京华信科技有限公司" in results
    assert [m.text for m in driver.find_elements(By.TAG_NAME, "mark")] == ["华信", "华信"]
    _checked(driver, width)

    _open(driver, f"/subjects/{world.subject.uscc}/", "overview")
    assert driver.find_element(By.TAG_NAME, "h1").text == NEW_NAME
    assert driver.find_element(By.ID, "badges").text == "市场监督管理严重违法失信名单 有信息正在异议处理中"
    _checked(driver, width)
    Select(driver.find_element(By.ID, "view")).select_by_value("compliance")
    overview = submit_and_read(driver, "overview")
    titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.category h2")]
    assert titles == [
        "行政处罚记录",
        "行政强制记录",
        "严重失信主体名单记录",
        "失信被执行人记录",
        "刑事犯罪记录",
    ]
    assert "严重失信主体名单记录" in overview and "行政许可信息" not in overview
    assert driver.current_url.endswith("?view=compliance")
    _checked(driver, width)

    _open(driver, f"/records/{world.known.penalty.pk}/", "fields")
    assert driver.find_element(By.TAG_NAME, "h1").text == "行政处罚信息"
    assert "违法行为类型" in driver.find_element(By.ID, "fields").text
    assert "虚假宣传" in driver.find_element(By.ID, "fields").text
    _checked(driver, width)

    driver.get(f"{base}/records/{world.known.penalty.pk + 10000}/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "未找到可公开的信息"
    _checked(driver, width)


def test_search_subject_and_penalty_in_the_browser(browser, live_server, world):  # noqa: F811
    browser.set_window_size(1280, 900)
    _walk(browser, live_server.url, world, None)


def test_the_same_walk_at_375_px(browser, live_server, world):  # noqa: F811
    browser.set_window_size(375, 800)
    assert browser.execute_script("return window.innerWidth;") <= 375
    _walk(browser, live_server.url, world, 375)


def test_axe_reports_what_it_finds(browser):  # noqa: F811
    """The helper fails a page that breaks the rules (an image without alt text, a field without a label)."""
    browser.get("data:text/html;charset=utf-8,<html lang=zh-CN><title>t</title><main><img src=x.png>"
                "<input type=text></main></html>")  # fmt: skip
    assert sorted(v["id"] for v in axe_violations(browser)) == ["image-alt", "label"]
