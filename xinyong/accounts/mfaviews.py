"""Second-factor pages (issue 14): `/accounts/mfa/` (the user's authenticators and recovery codes),
`/accounts/mfa/enrol/` (add an authenticator: a QR code drawn as inline SVG by segno, and the key as text for
typing in; confirmed by its first code), and `/accounts/set-password/<uidb64>/<token>/` (the one-time link
`xinyong account create` prints; Django's `default_token_generator`, valid PASSWORD_RESET_TIMEOUT seconds and
spent once the password changes). An officer who sets a password goes straight on to the enrolment.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinyong.accounts import mfa
from xinyong.accounts.actors import user_actor
from xinyong.accounts.models import User
from xinyong.accounts.sessions import (
    STEP_ENROL,
    destination,
    login_url,
    pending_get,
    pending_set,
    session_start,
)
from xinyong.accounts.signin import PENDING_GONE, verified
from xinyong.accounts.signinforms import CodeForm
from xinyong.audit.services import audit_append
from xinyong.core.errors import DomainError

MFA_URL = "/accounts/mfa/"
ENROL_WRONG = "验证码不正确。请确认手机时间准确，输入身份验证器中本账户当前显示的 6 位数字。"


def _actor(request: HttpRequest, user):
    return user_actor(user, getattr(request, "request_id", ""))


def _enrolling(request: HttpRequest) -> tuple[User | None, dict | None]:
    """The user adding an authenticator: the signed-in one, or the one half-way through a login or a
    set-password link (the password was right, the first authenticator is due)."""
    if request.user.is_authenticated:
        return request.user, None
    pending = pending_get(request, STEP_ENROL)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    return user, pending


def _key_text(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def enrol_page(request: HttpRequest) -> HttpResponse:
    user, pending = _enrolling(request)
    if user is None:
        messages.warning(request, PENDING_GONE)
        return redirect(login_url())
    if pending is None and mfa.has_totp(user) and not verified(user):
        return redirect(login_url(request.path))  # prove the existing factor before adding another
    device = mfa.totp_device_pending(user)
    form = CodeForm(data=request.POST if request.method == "POST" else None, recovery=False)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if mfa.totp_device_confirm(actor=_actor(request, user), device=device, code=code, now=timezone.now()):
            device = TOTPDevice.objects.get(pk=device.pk)
            messages.success(request, f"已绑定身份验证器“{device.name}”。建议现在生成恢复码，妥善保存。")
            if pending is not None:
                session_start(request, user, method="password+totp", device=device)
                return HttpResponseRedirect(destination(user, pending["next"]))
            import django_otp

            django_otp.login(request, device)
            return redirect(MFA_URL)
        form.add_error("code", ENROL_WRONG)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="身份验证器二维码")
    context = {"form": form, "qr_svg": qr, "key_text": _key_text(device), "enrolling_user": user}
    return render(request, "accounts/enrol.html", context)


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def mfa_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated or (mfa.has_totp(user) and not verified(user)):
        return redirect(login_url(request.path))
    if mfa.is_officer(user) and not mfa.has_totp(user):
        return redirect("/accounts/mfa/enrol/")
    if request.method == "POST":
        action, actor, now = request.POST.get("action"), _actor(request, user), timezone.now()
        try:
            if action == "recovery":
                codes = mfa.recovery_codes_make(actor=actor, user=user, now=now)
                return render(request, "accounts/recovery_codes.html", {"codes": codes})
            if action == "remove":
                name = mfa.device_remove(
                    actor=actor, user=user, device_id=request.POST.get("device", ""), now=now
                )
                messages.success(request, f"已删除“{name}”。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(MFA_URL)
    devices = [
        {"id": d.persistent_id, "name": d.name, "created": d.created_at, "used": d.last_used_at}
        for d in mfa.totp_devices(user)
    ]
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    context = {
        "devices": devices,
        "recovery": recovery.persistent_id if recovery else "",
        "recovery_left": mfa.recovery_codes_left(user),
        "officer": mfa.is_officer(user),
    }
    return render(request, "accounts/mfa.html", context)


class SetPasswordPage(PasswordResetConfirmView):
    """The one-time set-password link (module docstring); validators and errors in Chinese."""

    template_name = "accounts/set_password.html"
    title = "设置密码"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active and user.deactivated_at is None else None

    def form_valid(self, form):
        with transaction.atomic():
            user = form.save()
            audit_append(
                actor=_actor(self.request, user),
                action="account.password_set",
                target_type="user",
                target_id=user.pk,
                now=timezone.now(),
                payload={"via": "link"},
            )
        self.request.session.pop("_password_reset_token", None)
        if mfa.is_officer(user) and not mfa.has_totp(user):
            pending_set(self.request, user, step=STEP_ENROL, wanted="")
            messages.success(self.request, "密码已设置。工作人员还须绑定身份验证器，完成后即登录。")
            return redirect("/accounts/mfa/enrol/")
        messages.success(self.request, "密码已设置，请用新密码登录。")
        return redirect(login_url())


urlpatterns = [
    path("accounts/mfa/", mfa_page, name="mfa"),
    path("accounts/mfa/enrol/", enrol_page, name="mfa_enrol"),
    path("accounts/set-password/<uidb64>/<token>/", SetPasswordPage.as_view(), name="set_password"),
]
