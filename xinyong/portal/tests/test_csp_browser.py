"""The pages under the Content-Security-Policy in a real browser (issue 15 "Safety"; core/csp.py): headless
Chromium opens the main portal and account pages, signed out and signed in, and its console reports no CSP
violation (tests/browser.py csp_violations). A self-test page with an inline script, an inline style attribute
and a <style> block shows that the check sees violations at all; the API's Swagger UI draws and opens an
operation's "Try it out" form under the same policy."""

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import browser, csp_violations  # noqa: F401 - the fixture
from tests.support.accounts import browser_sign_in
from tests.support.otp import verified_login
from xinyong.accounts.models import User
from xinyong.config import urls as platform_urls

pytestmark = pytest.mark.django_db(transaction=True)

SELF_TEST = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>自检</title>
<style>p { color: red; }</style></head>
<body><p id="x" style="color: blue">自检</p><script>document.title = "inline ran";</script></body></html>"""


def _self_test(request):
    return HttpResponse(SELF_TEST)


# the platform's own patterns at the root (its portal is under i18n_patterns, which only a root URLconf holds)
urlpatterns = [path("csp-self-test/", _self_test), *platform_urls.urlpatterns]


def _load(driver, url: str, ready_id: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, ready_id), message=url)


def test_the_check_sees_violations(browser, live_server, settings):  # noqa: F811
    settings.ROOT_URLCONF = __name__
    _load(browser, f"{live_server.url}/csp-self-test/", "x")
    seen = csp_violations(browser)
    assert browser.title == "自检"  # the inline script did not run
    assert any("Executing inline script violates" in m for m in seen), seen
    assert sum("Applying inline style violates" in m for m in seen) == 2, seen  # <style> and style="…"
    assert csp_violations(browser) == []  # each call reads the log afresh


def test_the_main_pages_run_without_violations(browser, live_server, world):  # noqa: F811
    base = live_server.url
    pages = [
        ("/", "main"),
        ("/search/?q=%E5%8D%8E%E4%BF%A1", "results"),
        (f"/subjects/{world.subject.uscc}/", "overview"),
        (f"/records/{world.known.penalty.pk}/", "fields"),
        ("/publicity/penalties/", "main"),
        ("/lists/", "main"),
        ("/progress/", "code"),
        ("/reports/verify", "number"),
        ("/accounts/login/", "main"),
        ("/accounts/register/", "main"),
    ]
    for page, ready in pages:
        _load(browser, base + page, ready)
        assert csp_violations(browser) == [], page
    browser_sign_in(browser, live_server, User.objects.get(username="huaxin"))
    for page in ("/me/", "/me/query-log/", "/me/objections/new"):
        _load(browser, base + page, "main")
        assert browser.find_element(By.TAG_NAME, "h1").text, page
        assert csp_violations(browser) == [], page


def test_the_api_docs_draw_under_their_policy(browser, live_server):  # noqa: F811
    _load(browser, f"{live_server.url}/api/v1/docs", "swagger-ui")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock"))
    browser.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-body"))
    browser.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".execute"))
    assert csp_violations(browser) == []


def test_the_back_office_runs_without_violations(browser, live_server):  # noqa: F811
    """Django's admin under the same policy (core/csp.py): its index, a change list with actions and filters,
    and a change form with its widgets' scripts."""
    admin = User.objects.create_superuser("csp-admin", password="x-strong-password-1", full_name="管理员")
    client = verified_login(Client(), admin)
    browser.get(f"{live_server.url}/progress/")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    browser.add_cookie({"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "path": "/"})
    for page in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin.pk}/change/"):
        _load(browser, live_server.url + page, "content")
        assert browser.find_element(By.TAG_NAME, "h1").text, page
        assert csp_violations(browser) == [], page
