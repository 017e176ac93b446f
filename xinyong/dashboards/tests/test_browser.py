"""A dashboard in a real browser (issue 16): a verified officer of the credit office opens the 双公示 dashboard;
every chart is drawn (ECharts' canvas inside each chart element) from the page's JSON data blocks, with no
Content-Security-Policy violation and no serious or critical axe finding."""

import pytest
from django.conf import settings
from django.test import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import axe_violations, browser, csp_violations  # noqa: F401 - the fixture
from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_publicity_dashboard_draws_its_charts(browser, live_server, world):  # noqa: F811
    officer = User.objects.create_user(
        username="office", password="x-strong-password-1", full_name="信用办",
        unit=Unit.objects.get(code="bj-jingxinwei"), roles=["reviewer"],
    )  # fmt: skip
    cookie = verified_login(Client(), officer).cookies[settings.SESSION_COOKIE_NAME].value
    browser.get(f"{live_server.url}/progress/")  # a page of the site, so that its cookie can be set
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie, "path": "/"})
    csp_violations(browser)  # empty the log
    browser.get(f"{live_server.url}/console/dashboards/publicity/?month_from=2026-10&month_to=2026-11")
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-chart][data-drawn='true'] canvas")
    )
    charts = browser.find_elements(By.CSS_SELECTOR, "[data-chart]")
    assert [c.get_attribute("data-chart") for c in charts] == ["chart-by-month"]
    assert charts[0].find_elements(By.TAG_NAME, "canvas")
    assert charts[0].size["height"] > 100
    rows = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='t-by-month'] tbody tr")
    assert [[c.text for c in r.find_elements(By.CSS_SELECTOR, "th, td")] for r in rows] == [
        ["2026-10", "1", "1", "100.0%", "0"],
        ["2026-11", "5", "2", "40.0%", "2"],
    ]  # the chart's table beside it
    assert csp_violations(browser) == []
    assert axe_violations(browser) == []
