"""Sign-in with password and second factor (issue 14): the login page, the code step, enrolment of an
officer's first authenticator, the admin's demand for a verified session, logout and the audit events."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.otp import verified_login
from xinyong.accounts.tests.signin_support import (
    PASSWORD,
    actions,
    code_from_page,
    code_now,
    key_from_page,
    officer,
    password_step,
    subject_user,
)
from xinyong.core.models import LoginFailure

pytestmark = pytest.mark.django_db
ADDRESS = {"address": "127.0.0.1"}


def test_an_officer_logs_in_with_password_and_code_and_reaches_the_back_office(clock):
    user = officer()
    client = Client()
    first = password_step(client, "zhang.wei", next="/admin/")
    assert (first.status_code, first["Location"]) == (302, "/accounts/login/otp/")
    assert client.get("/admin/").status_code == 302  # the password alone signed nobody in
    page = client.get("/accounts/login/otp/").content.decode()
    assert 'autocomplete="one-time-code"' in page and "输入验证码" in page
    before = client.session.session_key
    done = client.post("/accounts/login/otp/", {"code": code_now()})
    assert (done.status_code, done["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.session.session_key != before  # rotated at login
    cookie = done.cookies["sessionid"]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")
    assert actions("account.login") == [
        ("account.login", str(user.pk), {"method": "password+totp", **ADDRESS})
    ]


def test_a_wrong_code_is_refused_in_chinese_audited_and_counted_then_throttled(clock):
    user = officer()
    client = Client()
    password_step(client, "zhang.wei")
    wrong = client.post("/accounts/login/otp/", {"code": "000000" if code_now() != "000000" else "111111"})
    assert "验证码不正确或已过期" in wrong.content.decode()
    assert 'class="error-summary"' in wrong.content.decode()
    assert actions("account.mfa_failed") == [
        ("account.mfa_failed", str(user.pk), {**ADDRESS, "step": "totp"})
    ]
    assert LoginFailure.objects.filter(username="zhang.wei").count() == 1
    throttled = client.post("/accounts/login/otp/", {"code": code_now()})  # django-otp waits 1 s
    assert "验证码错误次数过多，请 1 秒后再试。" in throttled.content.decode()
    clock.advance(seconds=2)
    done = client.post("/accounts/login/otp/", {"code": code_now()})
    assert (done.status_code, done["Location"]) == (302, "/console/")
    assert LoginFailure.objects.filter(username="zhang.wei").count() == 0
    assert "account.login" in [a for a, _, _ in actions("account.login")]


def test_wrong_codes_lock_the_account_like_wrong_passwords(clock, settings):
    settings.XINYONG_LOGIN_MAX_FAILURES = 3
    officer()
    client = Client()
    password_step(client, "zhang.wei")
    for _ in range(3):
        clock.advance(seconds=60)  # past django-otp's throttling: the lock-out is what stops it
        client.post("/accounts/login/otp/", {"code": "123456" if code_now() != "123456" else "654321"})
    clock.advance(seconds=60)
    locked = client.post("/accounts/login/otp/", {"code": code_now()}, follow=True).content.decode()
    assert "登录失败次数过多，该账户已暂停登录，请 12 分钟后再试。" in locked
    again = password_step(Client(), "zhang.wei").content.decode()
    assert "登录失败次数过多" in again
    assert [a for a, _, _ in actions("account.login_locked", "account.login")] == ["account.login_locked"]


def test_a_wrong_password_is_audited_without_the_password():
    officer()
    answer = password_step(Client(), "zhang.wei", password="Wrong-Pass-2026")
    assert answer.status_code == 200
    assert "用户名或密码不正确" in answer.content.decode()
    assert actions("account.login_failed") == [
        ("account.login_failed", "zhang.wei", {**ADDRESS, "step": "password"})
    ]
    assert "Wrong-Pass" not in str(actions("account.login_failed"))


def test_an_officer_without_an_authenticator_enrols_one_before_anything_else(clock):
    user = officer(device=False)
    client = Client()
    first = password_step(client, "zhang.wei")
    assert first["Location"] == "/accounts/mfa/enrol/"
    assert client.get("/admin/").status_code == 302 and client.get("/accounts/mfa/").status_code == 302
    page = client.get("/accounts/mfa/enrol/").content.decode()
    assert "<svg" in page and "身份验证器二维码" in page  # the QR code, inline
    assert key_from_page(page) == key_from_page(client.get("/accounts/mfa/enrol/").content.decode())
    wrong = client.post("/accounts/mfa/enrol/", {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    clock.advance(seconds=2)
    done = client.post("/accounts/mfa/enrol/", {"code": code_from_page(page)})
    assert (done.status_code, done["Location"]) == (302, "/console/")
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert actions("account.mfa_enrol", "account.login") == [
        ("account.mfa_enrol", str(user.pk), {"device": "totp", "name": "身份验证器"}),
        ("account.login", str(user.pk), {"method": "password+totp", **ADDRESS}),
    ]


def test_a_subject_without_an_authenticator_logs_in_with_the_password_and_goes_to_me():
    user = subject_user()
    answer = password_step(Client(), "huaxin")
    assert answer["Location"] == "/me/"
    assert actions("account.login") == [("account.login", str(user.pk), {"method": "password", **ADDRESS})]
    assert password_step(Client(), "huaxin", next="/progress/")["Location"] == "/progress/"
    assert password_step(Client(), "huaxin", next="https://evil.example/")["Location"] == "/me/"


def test_the_admin_refuses_a_password_only_session_and_sends_to_the_login_page():
    client = Client()
    client.force_login(officer())  # signed in, but no second factor in this session
    first = client.get("/admin/")
    assert first["Location"] == "/admin/login/?next=/admin/"
    second = client.get(first["Location"])
    assert second["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    third = client.get(second["Location"])
    assert third["Location"] == "/accounts/login/otp/"  # it must show the code first


def test_a_subject_is_told_it_may_not_enter_the_back_office():
    client = Client()
    client.force_login(subject_user())
    refused = client.get("/admin/login/?next=/admin/")
    assert refused.status_code == 403 and "无权访问管理后台" in refused.content.decode()


def test_logout_is_post_only_and_audited():
    user = officer()
    client = verified_login(Client(), user)
    assert client.get("/accounts/logout/").status_code == 405
    done = client.post("/accounts/logout/")
    assert done["Location"] == "/accounts/login/"
    assert client.get("/admin/").status_code == 302
    assert actions("account.logout") == [("account.logout", str(user.pk), {"reason": "user"})]
    assert "您已安全退出" in client.get("/accounts/login/").content.decode()


def test_logout_needs_the_csrf_token():
    client = verified_login(Client(enforce_csrf_checks=True), officer())
    assert client.post("/accounts/logout/").status_code == 403
    assert client.get("/admin/").status_code == 200


def test_the_admin_logout_is_the_audited_logout():
    user = officer()
    client = verified_login(Client(), user)
    assert client.post("/admin/logout/")["Location"] == "/accounts/login/"
    assert actions("account.logout") == [("account.logout", str(user.pk), {"reason": "user"})]


def test_the_code_step_without_a_password_step_starts_again():
    answer = Client().get("/accounts/login/otp/", follow=True)
    assert answer.redirect_chain == [("/accounts/login/", 302)]
    assert "登录步骤已超时" in answer.content.decode()


def test_a_signed_in_subject_with_a_verified_session_is_sent_on(clock):
    user = subject_user()
    TOTPDevice.objects.create(user=user, name="身份验证器", key="ab" * 20, confirmed=True)
    client = Client()
    assert password_step(client, "huaxin")["Location"] == "/accounts/login/otp/"
    done = client.post("/accounts/login/otp/", {"code": code_now("ab" * 20)})
    assert done["Location"] == "/me/"
    assert client.get("/accounts/login/")["Location"] == "/me/"
    assert PASSWORD not in str(actions("account.login"))


def test_a_password_change_in_the_back_office_follows_the_policy_and_is_audited():
    user = officer()
    client = verified_login(Client(), user)
    url = "/admin/password_change/"
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert "密码太短：至少 12 个字符，现有 3 个。" in weak.content.decode()
    new = "Another-Pass-2027"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert actions("account.password_set") == [
        ("account.password_set", str(user.pk), {"via": "admin_password_change"})
    ]
    assert client.get("/admin/").status_code == 200  # the session stays signed in and verified


def _landing(username: str, password: str = PASSWORD, *, steps_ahead: int = 0, **extra) -> str:
    """Where a sign-in with password and code (every user here has the test key) sends the browser."""
    client = Client()
    assert password_step(client, username, password, **extra)["Location"] == "/accounts/login/otp/"
    return client.post("/accounts/login/otp/", {"code": code_now(steps_ahead=steps_ahead)})["Location"]


def test_an_officer_lands_on_the_console_others_where_they_did_and_a_safe_next_wins(clock):
    from tests.support.accounts import agency_make, agent_make
    from tests.support.factories import make_uscc
    from xinyong.accounts.models import User
    from xinyong.accounts.tests.signin_support import KEY, unit
    from xinyong.subjects.models import Subject

    officer("zhang.wei")  # a data officer of a unit: a government role
    officer("li.na", unit_code="t-minzheng")
    back_office_only = User.objects.create_user(  # staff, and no role the unit may hold
        username="wang.fang", password=PASSWORD, unit=unit(), roles=[], is_staff=True
    )
    agent = agent_make()
    firm = Subject.objects.create(
        kind="enterprise", uscc=make_uscc(7), name="北京某某有限公司", created_at=clock()
    )
    agency_make(agent, firm, valid_from=clock().date(), valid_to=clock().date())
    for user in (back_office_only, subject_user(), agent):
        TOTPDevice.objects.create(user=user, name="身份验证器", key=KEY, confirmed=True)
    assert _landing("zhang.wei") == "/console/"
    assert _landing("li.na", next="https://evil.example/console/") == "/console/"  # not a path here: dropped
    assert _landing("wang.fang") == "/admin/"
    assert _landing("huaxin") == "/me/"
    assert _landing("daili", "x-strong-password-1") == "/me/"
    assert (
        verified_login(Client(), User.objects.get(username="zhang.wei")).get("/console/").status_code == 200
    )
    again = {"steps_ahead": 1}  # a second sign-in needs a fresh code
    assert _landing("zhang.wei", next="/admin/intake/submission/", **again) == "/admin/intake/submission/"
    assert _landing("wang.fang", next="//evil.example/", **again) == "/admin/"
