"""Issue 14 done-when, in a real browser (headless Chromium against the live server): an officer logs in with
password and TOTP, reaches the back office and sees only its unit's submissions; then, in a fresh browser
session, repeated wrong passwords lock the account and even the right password is refused, in Chinese."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from selenium.webdriver.common.by import By

from tests.browser import browser, submit_and_read  # noqa: F401 - the fixture
from tests.support.records import reference  # noqa: F401 - the fixture
from xinyong.accounts.models import Unit, User
from xinyong.accounts.tests.signin_support import KEY, PASSWORD, code_now
from xinyong.catalog.models import Category
from xinyong.intake.models import Submission


def _submission(unit: Unit, file_name: str) -> Submission:
    return Submission.objects.create(
        unit=unit,
        category=Category.objects.order_by("code").first(),
        channel="file",
        idempotency_key=file_name,
        body_sha256="0" * 64,
        submitted_by="测试",
        received_at=timezone.now(),
        file_name=file_name,
    )


def _officer() -> User:
    user = User.objects.create_user(
        username="zhang.wei",
        password=PASSWORD,
        unit=Unit.objects.get(code="bj-gongshangju"),
        roles=["data_officer"],
        is_staff=True,
        full_name="张伟",
    )
    user.user_permissions.set(Permission.objects.filter(codename="view_submission"))
    TOTPDevice.objects.create(user=user, name="身份验证器", key=KEY, confirmed=True)
    return user


def _type_password(driver, base: str, password: str) -> str:
    """Fill the login form and press 登录; the text of the page's error summary (or '' if none)."""
    driver.get(f"{base}/accounts/login/?next=/admin/intake/submission/")
    driver.find_element(By.ID, "id_username").send_keys("zhang.wei")
    driver.find_element(By.ID, "id_password").send_keys(password)
    return submit_and_read(driver, "main")


@pytest.mark.django_db(transaction=True)
def test_an_officer_signs_in_with_a_code_sees_its_unit_and_is_locked_out_after_wrong_passwords(
    browser,  # noqa: F811
    live_server,
    reference,  # noqa: F811
    settings,
):
    settings.XINYONG_LOGIN_MAX_FAILURES = 3
    _officer()
    _submission(Unit.objects.get(code="bj-gongshangju"), "工商局的批次.csv")
    _submission(Unit.objects.exclude(code="bj-gongshangju").order_by("code").first(), "别的单位的批次.csv")

    _type_password(browser, live_server.url, PASSWORD)
    assert browser.current_url == f"{live_server.url}/accounts/login/otp/"
    assert browser.title == "输入验证码 · 公共信用信息服务平台"
    browser.find_element(By.ID, "id_code").send_keys(code_now())
    listing = submit_and_read(browser, "changelist")
    assert browser.current_url == f"{live_server.url}/admin/intake/submission/"
    assert "工商局的批次.csv" in listing and "别的单位的批次.csv" not in listing

    browser.delete_all_cookies()  # another browser session
    for attempt in range(3):
        shown = _type_password(browser, live_server.url, f"Wrong-Pass-{attempt}")
        assert "用户名或密码不正确" in shown
    shown = _type_password(browser, live_server.url, PASSWORD)
    assert "登录失败次数过多，该账户已暂停登录，请 15 分钟后再试。" in shown
    assert browser.current_url.startswith(f"{live_server.url}/accounts/login/")
    summary = browser.find_element(By.CLASS_NAME, "error-summary")
    assert summary.get_attribute("role") == "alert"
