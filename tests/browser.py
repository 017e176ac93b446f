"""A real browser for the portal tests: Debian's headless Chromium driven by its chromedriver through Selenium
(no download at run time). Where Chromium is missing the browser tests are skipped, unless
XINYONG_BROWSER_TESTS=1 (set by .ci/run, which installs it) makes the absence a failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _chromium():
    """A fresh headless Chromium (skipped, or failed under XINYONG_BROWSER_TESTS=1, where it is missing)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("XINYONG_BROWSER_TESTS") == "1":
            pytest.fail("XINYONG_BROWSER_TESTS=1 but chromium / chromedriver are not installed")
        pytest.skip(
            "chromium and chromedriver not installed (Debian: apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for csp_violations()
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    driver = _chromium()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def module_browser():
    """One Chromium for every test of a module (starting one costs about a second of a CI core)."""
    driver = _chromium()
    yield driver
    driver.quit()


@pytest.fixture
def shared_browser(module_browser):
    """The module's Chromium as a fresh visitor: no cookies (so no session), a desktop window, an empty console
    log; the test may sign in or narrow the window."""
    module_browser.get("about:blank")
    module_browser.execute_cdp_cmd("Network.clearBrowserCookies", {})  # every site's, not only the page's
    module_browser.set_window_size(1280, 900)
    module_browser.get_log("browser")
    return module_browser


def submit_and_read(
    driver, element_id: str = "result", timeout: float = 15, button: str = "button[type=submit]"
) -> str:
    """Press the page's submit button (the first matching `button`: on pages with the shared layout, whose
    header holds the sign-out button, say `main form button[type=submit]`) and return the text of
    `element_id` on the page that answers.

    The old page is marked in its window object; the wait ends when a page without the mark has finished loading
    and holds the element. Lookups that race the navigation (Chromium answers them with a stale-element or an
    inspector error such as "Node with given id does not belong to the document") are retried, not failed."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__xinyongOldPage = true;")
    driver.find_element(By.CSS_SELECTOR, button).click()

    def answered(d):
        fresh = d.execute_script(
            "return window.__xinyongOldPage === undefined && document.readyState === 'complete';"
        )
        return fresh and d.find_elements(By.ID, element_id)

    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(answered)
    return driver.find_element(By.ID, element_id).text


AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core from npm (vendor/README.md)
_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))}))
  .catch(e => done({error: String(e)}));
"""


def axe_violations(driver, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Inject axe-core into the page the driver shows and run it (WCAG rules as axe ships them): the violations
    of these impacts, each as {id, impact, help, nodes: [CSS selector, …]}; [] means none. An axe failure
    (the script not loading, a rule crashing) fails the test rather than passing it quietly."""
    driver.set_script_timeout(60)
    driver.execute_script(AXE_SOURCE.read_text(encoding="utf-8"))
    answer = driver.execute_async_script(_AXE_RUN)
    if "error" in answer:
        raise AssertionError(f"axe-core did not run: {answer['error']}")
    return [v for v in answer["violations"] if v["impact"] in impacts]


def csp_violations(driver) -> list[str]:
    """The Content-Security-Policy violations Chromium reported on its console since the last call (the
    browser log is read, and so emptied, by each call): each a message such as "Executing inline script
    violates the following Content Security Policy directive 'script-src 'self''. …". A listener for
    `securitypolicyviolation` would itself be an inline script, which the policy forbids; the DevTools log
    (`goog:loggingPrefs` in the fixture) sees every violation, including those before the page's scripts."""
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
