"""Lock-out on every login (issue 12: 40 wrong admin passwords were all tried): through the real login page
(the admin's /admin/login/ sends there, issue 14), and through `authenticate` for any other login path."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEvent
from xinyong.core.models import LoginFailure

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def admin_user():
    return User.objects.create_superuser(username="root", password="right-password-1")


def _login(password: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": "root", "password": password, "next": "/admin/"}
    )


def test_forty_wrong_passwords_lock_the_account_after_five(admin_user):
    answers = [_login(f"guess-{i}") for i in range(40)]
    assert [a.status_code for a in answers] == [200] * 40  # the form again, never a login
    assert "用户名或密码不正确" in answers[4].content.decode()  # the fifth is still a plain wrong password
    locked = answers[5].content.decode()
    assert "登录失败次数过多，该账户已暂停登录，请 15 分钟后再试。" in locked
    assert LoginFailure.objects.count() == 5  # refused attempts never reach the password check
    right = _login("right-password-1")
    assert right.status_code == 200 and "登录失败次数过多" in right.content.decode()
    event = AuditEvent.objects.get(action="account.login_locked")
    assert (event.target_id, event.payload) == ("root", {"address": "203.0.113.7"})


def test_the_lock_ends_with_the_window_and_another_address_is_not_locked(admin_user):
    for i in range(5):
        _login(f"guess-{i}")
    assert _login("right-password-1", address="198.51.100.2").status_code == 302  # another address
    assert _login("right-password-1", address="198.51.100.2")["Location"] == "/accounts/mfa/enrol/"
    assert "登录失败次数过多" in _login("right-password-1").content.decode()
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(seconds=901))
    answer = _login("right-password-1")
    assert (answer.status_code, answer["Location"]) == (302, "/accounts/mfa/enrol/")  # then its 2nd factor
    assert LoginFailure.objects.count() == 0  # the success cleared that address's failures


@override_settings(XINYONG_LOGIN_MAX_FAILURES_PER_USER=6)
def test_guessing_spread_over_addresses_locks_the_user_name(admin_user):
    for i in range(6):
        _login(f"guess-{i}", address=f"192.0.2.{i}")
    assert "登录失败次数过多" in _login("right-password-1", address="192.0.2.99").content.decode()


def test_every_login_through_authenticate_is_locked_too(admin_user):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    for i in range(5):
        assert authenticate(request, username="root", password=f"guess-{i}") is None
    assert authenticate(request, username="root", password="right-password-1") is None
    other = RequestFactory().post("/", REMOTE_ADDR="203.0.113.10")
    assert authenticate(other, username="root", password="right-password-1") == admin_user
