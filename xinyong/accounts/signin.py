"""Sign-in pages (issue 14): `/accounts/login/` (user name and password), `/accounts/login/otp/` (the code of
the authenticator, or a recovery code) and `/accounts/logout/` (POST only).

A right password signs the user in at once only when no second factor is due; a user with an authenticator
goes on to the code step; an officer without one goes to the enrolment of a first authenticator before
anything else (accounts/mfaviews.py). Wrong passwords and wrong codes both count toward the lock-out of
accounts/login.py, and django-otp's throttling slows wrong codes further. Each wrong password or code is
audited (`account.login_failed`, `account.mfa_failed`) without the password or the code; attempts refused
while locked are not (the lock itself is: `account.login_locked`), so hammering a lock cannot grow the trail.

The three pages are in Chinese at their paths and in English under `/en/` (issue 15, accounts/urls.py): each
step redirects to the next by its name, reversed under the active language, so a sign-in begun in English
stays in English; the enrolment of an officer's first authenticator is Chinese only, as the officers' pages
are.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from xinyong.accounts import mfa
from xinyong.accounts.login import login_failure_record, login_locked_for
from xinyong.accounts.models import User
from xinyong.accounts.sessions import (
    STEP_ENROL,
    STEP_OTP,
    client_address,
    destination,
    localised,
    pending_clear,
    pending_get,
    pending_set,
    safe_next,
    session_end,
    session_start,
)
from xinyong.accounts.signinforms import CodeForm, LoginForm, locked_error
from xinyong.accounts.wording import in_chinese
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.loginfailures import login_failures_clear
from xinyong.core.pagelimits import page_limited

# the next steps, by name: the code step in the page's language, the officers' enrolment at its Chinese path
ENROL_URL, OTP_URL, LOGIN_URL = "accounts:mfa_enrol", "accounts:login_otp", "accounts:login"
THROTTLED = ngettext_lazy(
    "验证码错误次数过多，请 %(seconds)d 秒后再试。",
    "验证码错误次数过多，请 %(seconds)d 秒后再试。",
    "seconds",
)
WRONG_CODE = gettext_lazy("验证码不正确或已过期，请输入身份验证器当前显示的 6 位数字。")
PENDING_GONE = gettext_lazy("登录步骤已超时，请重新输入用户名和密码。")


def verified(user) -> bool:
    """The session passed a second factor (django-otp's OTPMiddleware)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def _next_step(request: HttpRequest, user, wanted: str) -> HttpResponse:
    """After a right password (or for a signed-in session that still lacks its second factor)."""
    if mfa.has_totp(user):
        pending_set(request, user, step=STEP_OTP, wanted=wanted)
        return redirect(OTP_URL)
    if mfa.is_officer(user):
        pending_set(request, user, step=STEP_ENROL, wanted=wanted)
        # shown on the enrolment page, which is Chinese only as the officers' pages are
        messages.info(request, "工作人员登录须使用身份验证器（第二重验证）。请先绑定一个身份验证器。")
        return redirect(ENROL_URL)
    session_start(request, user, method="password")
    return HttpResponseRedirect(destination(user, wanted))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@page_limited("login", methods=("POST",))
def login_page(request: HttpRequest) -> HttpResponse:
    wanted = safe_next(request, request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME))
    user = request.user
    if request.method == "GET" and user.is_authenticated:
        if verified(user) or not (mfa.has_totp(user) or mfa.is_officer(user)):
            return HttpResponseRedirect(destination(user, wanted))
        return _next_step(request, user, wanted)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with transaction.atomic():  # the failure, the lock-out and their audit events together
            valid = form.is_valid()
            if form.failed:
                _audit_failure(request, "account.login_failed", form.cleaned_data["username"], "password")
        if valid:
            return _next_step(request, form.user, wanted)
    # the unified identity sign-in comes back to the page asked for, else to /me/ in the page's language
    after = wanted or ("" if in_chinese() else localised("/me/"))
    return render(request, "accounts/login.html", {"form": form, "next": wanted, "oidc_next": after})


def _audit_failure(request: HttpRequest, action: str, target: str | int, step: str) -> None:
    audit_append(
        actor=Actor.anonymous(getattr(request, "request_id", "")),
        action=action,
        target_type="user",
        target_id=str(target)[:128],
        now=timezone.now(),
        payload={"address": client_address(request), "step": step},
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@page_limited("login", methods=("POST",))
def login_otp_page(request: HttpRequest) -> HttpResponse:
    pending = pending_get(request, STEP_OTP)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if pending is None or user is None:
        messages.warning(request, str(PENDING_GONE))
        return redirect(LOGIN_URL)
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address, now = client_address(request), timezone.now()
        wait = login_locked_for(username=user.get_username(), address=address, now=now)
        if wait:
            pending_clear(request)
            messages.error(request, locked_error(wait).messages[0])
            return redirect(LOGIN_URL)
        check = mfa.code_check(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            login_failures_clear(username=user.get_username(), address=address)
            session_start(request, user, method=check.method, device=check.device)
            return HttpResponseRedirect(destination(user, pending["next"]))
        if check.throttled_until is not None:
            seconds = max(1, int((check.throttled_until - now).total_seconds() + 0.999))
            form.add_error("code", THROTTLED % {"seconds": seconds})
        else:
            with transaction.atomic():
                _audit_failure(request, "account.mfa_failed", user.pk, "totp")
                login_failure_record(username=user.get_username(), address=address, now=now)
            form.add_error("code", str(WRONG_CODE))
    return render(request, "accounts/login_otp.html", {"form": form})


@require_POST
@csrf_protect
def logout_page(request: HttpRequest) -> HttpResponse:
    session_end(request, reason="user")
    messages.info(request, _("您已安全退出。"))
    return redirect(LOGIN_URL)


urlpatterns = [
    path("accounts/login/", login_page, name="login"),
    path("accounts/login/otp/", login_otp_page, name="login_otp"),
    path("accounts/logout/", logout_page, name="logout"),
]
