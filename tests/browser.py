"""A real browser for the portal tests: Debian's headless Chromium driven by its chromedriver through Selenium
(no download at run time). Where Chromium is missing the browser tests are skipped, unless
XINYONG_BROWSER_TESTS=1 (set by .ci/run, which installs it) makes the absence a failure."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
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
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
