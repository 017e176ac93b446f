"""The forms of the sign-in pages (issue 14), with Chinese labels and errors, in English under /en/ (issue 15:
the accounts app's catalog, accounts/locale/en)."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from xinyong.accounts.login import login_locked_for

WRONG_PASSWORD = _("用户名或密码不正确。请注意区分大小写。")
# accounts/login.py's LOCKED (the admin's login form, Chinese only), marked for the sign-in pages
LOCKED = ngettext_lazy(
    "登录失败次数过多，该账户已暂停登录，请 %(minutes)d 分钟后再试。",
    "登录失败次数过多，该账户已暂停登录，请 %(minutes)d 分钟后再试。",
    "minutes",
)


def locked_error(wait_seconds: int) -> ValidationError:
    return ValidationError(LOCKED, code="locked", params={"minutes": math.ceil(wait_seconds / 60)})


class LoginForm(forms.Form):
    """User name and password, through `authenticate` (so the lock-out of accounts/login.py applies)."""

    username = forms.CharField(
        label=_("用户名"), max_length=150, error_messages={"required": _("请输入用户名。")}, strip=True
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("请输入密码。")},
    )

    def __init__(self, request, *args, **kwargs):
        self.request, self.user, self.failed = request, None, False
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (username and password):
            return self.cleaned_data
        address = self.request.META.get("REMOTE_ADDR", "")[:45]
        wait = login_locked_for(username=username, address=address, now=timezone.now())
        if wait:
            raise locked_error(wait)
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            self.failed = True
            raise ValidationError(WRONG_PASSWORD, code="invalid_login")
        return self.cleaned_data


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        error_messages={"required": _("请输入验证码。")},
        help_text=_("打开手机上的身份验证器应用，输入显示的 6 位数字；手机不在身边时可输入一个恢复码。"),
    )

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric" if not recovery else "text", autofocus=True
        )
        if not recovery:
            self.fields["code"].help_text = _("在身份验证器应用中添加账户后，输入它显示的 6 位数字。")
