"""Set-password links, the password policy, idle and absolute session timeouts, and managing one's own
authenticators and recovery codes (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.otp import verified_login
from xinyong.accounts.models import User
from xinyong.accounts.tests.signin_support import (
    actions,
    code_from_page,
    code_now,
    officer,
    password_step,
    subject_user,
    unit,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Credit-Office-2026"


def _link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/set-password/{uid}/{default_token_generator.make_token(user)}/"


def _new_officer() -> User:
    """An officer as `xinyong account create` leaves one: no usable password, no authenticator."""
    return User.objects.create_user(
        username="li.na", password=None, unit=unit(), roles=["case_officer"], is_staff=True, full_name="李娜"
    )


def test_the_set_password_link_sets_a_password_then_the_officer_enrols_and_is_signed_in(clock):
    user = _new_officer()
    client = Client()
    link = _link(user)
    hidden = client.get(link)  # the token leaves the address bar (and the Referer) at once
    assert hidden["Location"].endswith("/set-password/")
    form = client.get(hidden["Location"]).content.decode()
    assert "至少 12 个字符" in form
    weak = client.post(hidden["Location"], {"new_password1": "lina2026", "new_password2": "lina2026"})
    page = weak.content.decode()
    assert "密码太短：至少 12 个字符，现有 8 个。" in page
    assert "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。" in page
    assert 'class="error-summary"' in page and not user.has_usable_password()
    done = client.post(hidden["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/mfa/enrol/"
    enrol = client.get("/accounts/mfa/enrol/").content.decode()
    signed_in = client.post("/accounts/mfa/enrol/", {"code": code_from_page(enrol)})
    assert signed_in["Location"] == "/console/"
    assert client.get("/admin/").status_code == 200
    assert [a for a, _, _ in actions("account.password_set", "account.mfa_enrol", "account.login")] == [
        "account.password_set",
        "account.mfa_enrol",
        "account.login",
    ]
    assert actions("account.password_set")[0][2] == {"via": "link"}
    used = Client().get(link).content.decode()
    assert "此设置密码链接无效：链接已经使用过，或已超过有效期。" in used


def test_an_expired_set_password_link_says_so(monkeypatch, settings):
    user = _new_officer()
    link = _link(user)
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)  # Django's clock for these tokens
    answer = Client().get(link)
    assert answer.status_code == 200 and "此设置密码链接无效" in answer.content.decode()
    assert Client().get("/accounts/set-password/bm9wZQ/abc-def/").content.decode().count("链接无效") == 1


def test_the_password_policy_speaks_chinese():
    for good in ("Credit-Office-2026", "xinyong-pass-2026", "信用平台-Strong-1"):
        validate_password(good)
    cases = {
        "Short-1a": "密码太短：至少 12 个字符，现有 8 个。",
        "abcdefghijklmnop": "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。",
        "Password12345": "这个密码太常见了。",
    }
    for weak, message in cases.items():
        with pytest.raises(ValidationError) as refused:
            validate_password(weak)
        assert message in refused.value.messages
    with pytest.raises(ValidationError) as similar:
        validate_password("Zhang.Wei-2026x", User(username="zhang.wei-2026x"))
    assert similar.value.messages == ["密码跟 用户名 太相似了。"]


def _signed_in_officer(client: Client) -> User:
    user = officer()
    password_step(client, "zhang.wei")
    assert client.post("/accounts/login/otp/", {"code": code_now()})["Location"] == "/console/"
    return user


def test_an_idle_session_ends_after_thirty_minutes(clock):
    client = Client()
    user = _signed_in_officer(client)
    clock.advance(minutes=29)
    assert client.get("/admin/").status_code == 200  # a request resets the idle time
    clock.advance(minutes=29)
    assert client.get("/admin/").status_code == 200
    clock.advance(minutes=31)
    ended = client.get("/admin/intake/submission/", follow=True)
    assert ended.redirect_chain[0] == ("/accounts/login/?next=%2Fadmin%2Fintake%2Fsubmission%2F", 302)
    assert "您已超过 30 分钟未操作，为保护账户安全已自动退出，请重新登录。" in ended.content.decode()
    assert actions("account.logout") == [("account.logout", str(user.pk), {"reason": "idle_timeout"})]
    assert client.get("/admin/").status_code == 302


def test_a_session_ends_after_twelve_hours_however_busy(clock, settings):
    settings.XINYONG_SESSION_MAX_HOURS = 2
    client = Client()
    user = _signed_in_officer(client)
    for _ in range(5):
        clock.advance(minutes=20)
        assert client.get("/admin/").status_code == 200
    clock.advance(minutes=21)
    ended = client.get("/admin/", follow=True)
    assert "本次登录已超过 2 小时，为保护账户安全已自动退出，请重新登录。" in ended.content.decode()
    assert actions("account.logout") == [("account.logout", str(user.pk), {"reason": "absolute_timeout"})]


def test_an_officer_keeps_one_authenticator_and_may_swap_it(clock):
    user = officer()
    client = verified_login(Client(), user)
    first = TOTPDevice.objects.get(user=user)
    refused = client.post("/accounts/mfa/", {"action": "remove", "device": first.persistent_id}, follow=True)
    assert "工作人员必须保留至少一个身份验证器" in refused.content.decode()
    enrol = client.get("/accounts/mfa/enrol/").content.decode()
    assert (
        client.post("/accounts/mfa/enrol/", {"code": code_from_page(enrol)})["Location"] == "/accounts/mfa/"
    )
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 2
    removed = client.post("/accounts/mfa/", {"action": "remove", "device": first.persistent_id}, follow=True)
    assert "已删除“身份验证器”。" in removed.content.decode()
    assert actions("account.mfa_enrol", "account.mfa_remove") == [
        ("account.mfa_enrol", str(user.pk), {"device": "totp", "name": "身份验证器 2"}),
        ("account.mfa_remove", str(user.pk), {"device": "totp", "name": "身份验证器"}),
    ]
    assert client.get("/admin/").status_code == 200  # verified again by the new authenticator at enrolment


def test_someone_elses_device_cannot_be_removed():
    mine, theirs = officer(), officer("wang.fang")
    client = verified_login(Client(), mine)
    device = TOTPDevice.objects.get(user=theirs)
    answer = client.post("/accounts/mfa/", {"action": "remove", "device": device.persistent_id}, follow=True)
    assert "没有这个验证设备" in answer.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists() and actions("account.mfa_remove") == []


def test_the_devices_page_needs_a_verified_session_when_there_is_a_device():
    user = subject_user()
    TOTPDevice.objects.create(user=user, name="身份验证器", key="cd" * 20, confirmed=True)
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/mfa/")["Location"] == "/accounts/login/?next=%2Faccounts%2Fmfa%2F"
    assert (
        client.get("/accounts/mfa/enrol/")["Location"] == "/accounts/login/?next=%2Faccounts%2Fmfa%2Fenrol%2F"
    )
    assert Client().get("/accounts/mfa/")["Location"] == "/accounts/login/?next=%2Faccounts%2Fmfa%2F"


def test_the_api_is_untouched_by_the_second_factor_middleware():
    answer = Client().get("/api/v1/matters")
    assert answer.status_code == 200 and not answer.cookies
    assert not hasattr(answer.wsgi_request, "user")


def test_a_subject_may_drop_its_authenticator_and_its_recovery_codes_go_with_it():
    user = subject_user()
    client = verified_login(Client(), user)
    client.post("/accounts/mfa/", {"action": "recovery"})
    device = TOTPDevice.objects.get(user=user)
    client.post("/accounts/mfa/", {"action": "remove", "device": device.persistent_id})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert password_step(Client(), "huaxin")["Location"] == "/me/"  # the password alone again


def test_the_first_administrator_enrols_an_authenticator_at_its_first_login():
    from django.core.management import call_command

    unit("bj-jingxinwei", "市经济信息化委")
    call_command("createadmin", "--username", "root", "--password", NEW_PASSWORD, stdout=None)
    assert password_step(Client(), "root", password=NEW_PASSWORD)["Location"] == "/accounts/mfa/enrol/"


def test_the_enrolment_page_without_a_login_starts_again():
    answer = Client().get("/accounts/mfa/enrol/", follow=True)
    assert answer.redirect_chain == [("/accounts/login/", 302)]
    assert "登录步骤已超时，请重新输入用户名和密码。" in answer.content.decode()


def test_a_deactivated_persons_link_is_refused():
    user = _new_officer()
    link = _link(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert "此设置密码链接无效" in Client().get(link).content.decode()
