"""The public walk of issue 15's "Done when" in one test, in headless Chromium against the live server: home →
a name typed in the search box → the subject page → the detail of the penalty that put the firm on the black
list → that list's column, the content asserted at each step; the same walk at 375 px wide (no sideways scroll,
every link pressed inside the screen); and the English subject page with its switch back to Chinese. Every
page passes axe-core (no serious or critical violation) and the CSP (walking.py). One Chromium serves the
module (tests/browser.py `shared_browser`)."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import module_browser, shared_browser  # noqa: F401 - the fixtures

from .conftest import NEW_NAME, OLD_NAME
from .walking import checked, follow, heading, loaded, reachable

pytestmark = pytest.mark.django_db(transaction=True)
BLACK_LIST = "市场监督管理严重违法失信名单"


def _public_walk(driver, base: str, world, width: int | None) -> None:
    driver.get(f"{base}/")
    assert driver.title == "首页 · 公共信用信息服务平台"
    assert "最新双公示" in driver.find_element(By.ID, "main").text
    checked(driver, width)

    box = driver.find_element(By.ID, "q")
    reachable(driver, box, width)
    box.send_keys("华信数字")
    follow(driver, "form.search button[type=submit]", "results", width)
    assert driver.current_url.endswith("/search/?q=%E5%8D%8E%E4%BF%A1%E6%95%B0%E5%AD%97")
    results = driver.find_element(By.ID, "results").text
    assert results.splitlines()[1:] == [
        "“华信数字”的查询结果，第 1 页（第 1–1 条）。",
        NEW_NAME,
        f"代码：{world.subject.uscc} 企业",
        f"其他曾用名：{OLD_NAME}",
        f"{BLACK_LIST} 有信息正在异议处理中",
    ]
    assert [m.text for m in driver.find_elements(By.TAG_NAME, "mark")] == ["华信数字"]
    checked(driver, width)

    follow(driver, f'#results a[href="/subjects/{world.subject.uscc}/"]', "overview", width)
    assert heading(driver) == NEW_NAME
    assert driver.find_element(By.ID, "badges").text == f"{BLACK_LIST} 有信息正在异议处理中"
    assert f"{OLD_NAME}（" in driver.find_element(By.ID, "base").text
    checked(driver, width)

    follow(driver, f'a[href="/records/{world.serious.pk}/"]', "fields", width)
    assert heading(driver) == "行政处罚信息"
    assert driver.find_element(By.CSS_SELECTOR, "p.lead").text == world.serious.doc_no
    assert NEW_NAME in driver.find_element(By.ID, "record").text
    assert driver.find_element(By.ID, "lists").text == BLACK_LIST
    checked(driver, width)

    follow(driver, '#lists a[href="/lists/scjg-yzsx/"]', "rows", width)
    assert heading(driver) == BLACK_LIST
    assert [h.text for h in driver.find_elements(By.CSS_SELECTOR, "#rows h3")] == [NEW_NAME]
    rows = driver.find_element(By.ID, "rows").text
    assert world.subject.uscc in rows and "《市场监督管理严重违法失信名单管理办法》第二条" in rows
    checked(driver, width)


def test_home_search_subject_penalty_and_its_list(shared_browser, live_server, world):  # noqa: F811
    _public_walk(shared_browser, live_server.url, world, None)


def test_the_public_walk_at_375_px(shared_browser, live_server, world):  # noqa: F811
    shared_browser.set_window_size(375, 800)
    assert shared_browser.execute_script("return window.innerWidth;") <= 375
    _public_walk(shared_browser, live_server.url, world, 375)


def test_the_english_subject_page_and_the_switch_back(shared_browser, live_server, world):  # noqa: F811
    driver, code = shared_browser, world.subject.uscc
    driver.get(f"{live_server.url}/en/subjects/{code}/")
    loaded(driver, "overview")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert driver.title == f"{NEW_NAME} · Public Credit Information Service Platform"
    assert driver.find_element(By.ID, "base-title").text == "Basic information"
    assert "Unified social credit code" in driver.find_element(By.ID, "base").text
    assert driver.find_element(By.CSS_SELECTOR, "#languages a[aria-current]").text == "English"
    checked(driver)

    follow(driver, '#languages a[hreflang="zh-CN"]', "overview")
    assert driver.current_url == f"{live_server.url}/subjects/{code}/"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert driver.find_element(By.ID, "base-title").text == "基本信息"
    assert driver.find_element(By.CSS_SELECTOR, "#languages a[aria-current]").text == "中文"
    checked(driver)
