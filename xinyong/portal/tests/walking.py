"""Steps of the browser walks (issue 15 "Done when"; test_walks_browser.py, selfservice/test_walks_browser.py):
follow a link as a visitor would and check each page reached — no serious or critical axe-core violation, no
Content-Security-Policy violation on the console and, on a narrow screen, no sideways scroll and the link or
button to press inside the screen."""

from __future__ import annotations

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import axe_violations, csp_violations


def checked(driver, width: int | None = None) -> None:
    """The page shown passes axe (serious, critical) and the CSP; at `width`, it is no wider than the screen."""
    assert axe_violations(driver) == [], driver.current_url
    assert csp_violations(driver) == [], driver.current_url
    if width:
        wide = driver.execute_script("return document.documentElement.scrollWidth;")
        assert wide <= width, f"{driver.current_url}: {wide} px wide at {width} px"


def reachable(driver, element, width: int | None) -> None:
    """The element is shown and, on a narrow screen, lies within its width once scrolled to."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    assert element.is_displayed(), element.get_attribute("outerHTML")[:200]
    if width:
        right = driver.execute_script("return arguments[0].getBoundingClientRect().right;", element)
        assert right <= width, (driver.current_url, element.get_attribute("outerHTML")[:200], right)


def loaded(driver, ready_id: str, timeout: float = 15) -> None:
    """Wait until a new page (one without the old page's mark) has loaded and holds `ready_id`."""

    def ready(d):
        fresh = d.execute_script(
            "return window.__xinyongOldPage === undefined && document.readyState === 'complete';"
        )
        return fresh and d.find_elements(By.ID, ready_id)

    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(ready)


def follow(driver, css: str, ready_id: str, width: int | None = None) -> None:
    """Press the link or button `css` (checked reachable first) and wait for the page that holds `ready_id`."""
    element = driver.find_element(By.CSS_SELECTOR, css)
    reachable(driver, element, width)
    driver.execute_script("window.__xinyongOldPage = true;")
    element.click()
    loaded(driver, ready_id)


def heading(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text
