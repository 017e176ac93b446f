"""Issue 14, done-when: "a firm signs in through the OIDC provider started by the test and files an
objection" — headless Chromium against the live platform and the real provider (tests/oidc.py, a second
process). The firm is 北京华信科技有限公司 of the remedies tests, with its serious penalty to object to: it
presses 使用统一身份认证登录 on the login page, signs in at the provider, lands on /me/ and files the objection
in the portal form (/me/objections/new)."""

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user
from django.test import RequestFactory
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser import browser, submit_and_read  # noqa: F401 - the fixture
from tests.oidc import oidc_provider  # noqa: F401 - the fixture
from tests.support.remedies import (  # noqa: F401 - fixtures
    FILED_AT,
    commitments_reference,
    company,
    lists_reference,
    penalty,
    reference,
    remedies_reference,
)
from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.models import OidcIdentity, SubjectAccount
from xinyong.audit.models import AuditEvent
from xinyong.remedies.models import Objection

CLIENT_ID, SECRET = "xinyong-browser", "another-client-secret-for-the-browser"


def _session_request(session_key: str):
    """A request carrying the browser's session, as the platform's middleware would see it."""
    request = RequestFactory().get("/me/")
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    request.user = get_user(request)
    return request


@pytest.mark.django_db(transaction=True)
def test_a_firm_signs_in_at_the_provider_and_files_an_objection(
    browser,  # noqa: F811
    live_server,
    oidc_provider,  # noqa: F811
    settings,
    clock,
    company,  # noqa: F811
    penalty,  # noqa: F811
):
    oidc_provider.add_client(CLIENT_ID, SECRET, f"{live_server.url}/accounts/oidc/callback/")
    oidc_provider.add_users(
        (
            "huaxin-legal",
            "provider-password-2",
            {"name": "陈法务", "uscc": company.uscc, "uscc_verified": True},
        )
    )
    for name, value in oidc_provider.platform_settings(CLIENT_ID, SECRET).items():
        setattr(settings, name, value)

    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.ID, "oidc-login").click()  # 使用统一身份认证登录
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "id_username"))
    assert browser.current_url.startswith(f"{oidc_provider.url}/login/")
    assert browser.title == "统一身份认证平台（测试）"
    browser.find_element(By.ID, "id_username").send_keys("huaxin-legal")
    browser.find_element(By.ID, "id_password").send_keys("provider-password-2")
    browser.find_element(By.ID, "sign-in").click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url.startswith(live_server.url))
    assert browser.current_url == f"{live_server.url}/me/"

    request = _session_request(browser.get_cookie("sessionid")["value"])
    user = request.user
    assert user.is_authenticated and user.full_name == "陈法务"
    assert OidcIdentity.objects.get(user=user).issuer == oidc_provider.issuer
    assert SubjectAccount.objects.get(user=user).subject_id == company.pk
    actor = request_actor(request)
    assert actor.label == f"user:{user.pk}" and subject_id_of(actor=actor) == company.pk
    actions = list(
        AuditEvent.objects.filter(actor=actor.label).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["account.oidc_link", "account.oidc_login", "account.login"]

    clock.set(FILED_AT)  # the penalty is still published then (the remedies fixtures' day)
    browser.find_element(By.LINK_TEXT, "提出异议").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.ID, "id_record"))
    Select(browser.find_element(By.ID, "id_record")).select_by_value(str(penalty.pk))
    Select(browser.find_element(By.ID, "id_grounds")).select_by_value("error")
    browser.find_element(By.ID, "id_description").send_keys("罚款金额应为一万元，与决定书不一致")
    shown = submit_and_read(browser, button="main form button[type=submit]")
    code = browser.find_element(By.ID, "query-code").text
    assert shown.startswith(f"查询码：{code}")
    objection = Objection.objects.get(query_code=code)
    assert (objection.subject_id, objection.filed_by, objection.flagged_at) == (
        company.pk,
        actor.label,
        FILED_AT,
    )
    assert objection.state == "submitted"
