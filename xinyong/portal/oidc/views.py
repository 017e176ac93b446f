"""The two pages of an OpenID Connect sign-in under /accounts/oidc/ (issue 14): `authenticate/` sends the
browser to the provider (mozilla-django-oidc: state, nonce, PKCE), `callback/` takes it back, signs the
subject in and lands on XINYONG_OIDC_LOGIN_REDIRECT (or a safe `next`), or explains in Chinese why not (403).
With OpenID Connect off both answer 404 “未启用”."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from xinyong.accounts.oidc.provider import ProviderUnavailable, oidc_enabled, provider_endpoints
from xinyong.accounts.sessions import session_start

TITLE = "统一身份认证登录"
DISABLED = "本平台未启用统一身份认证（OpenID Connect）登录，请使用其他方式登录。"
UNAVAILABLE = "统一身份认证平台暂时无法访问，请稍后再试。"
CANCELLED = "统一身份认证平台没有完成登录（已取消或被拒绝），请重新登录。"
EXPIRED = "登录状态已失效（可能已在其他窗口完成或超时），请重新发起统一身份认证登录。"


def _page(request, message: str, status: int, *, code: str = ""):
    context = {"title": TITLE, "message": message, "code": code}
    return render(request, "accounts/oidc_message.html", context, status=status)


class OidcAuthenticateView(OIDCAuthenticationRequestView):
    """Start the code flow at the configured provider."""

    def __init__(self, **kwargs) -> None:
        View.__init__(self, **kwargs)  # the provider's settings are read per request, not at import

    def get(self, request):
        if not oidc_enabled():
            return _page(request, DISABLED, 404, code="oidc.disabled")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints().authorization
        except ProviderUnavailable:
            return _page(request, UNAVAILABLE, 503, code="oidc.provider_unavailable")
        self.OIDC_RP_CLIENT_ID = getattr(settings, "OIDC_RP_CLIENT_ID", "")
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Finish it: sign in (backend.OidcBackend) or say why not."""

    def get(self, request):
        if not oidc_enabled():
            return _page(request, DISABLED, 404, code="oidc.disabled")
        return super().get(request)

    def login_success(self):
        """Sign in through the one session start (accounts/sessions.py: audit `account.login`, session
        timeouts), instead of the library's bare `auth.login`."""
        current = getattr(self.request, "user", None)
        if not (current and current.is_authenticated and current == self.user):
            session_start(self.request, self.user, method="oidc", backend=self.user.backend)
        return HttpResponseRedirect(self.success_url)

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or getattr(
            settings, "XINYONG_OIDC_LOGIN_REDIRECT", "/"
        )

    def login_failure(self):
        refusal = getattr(self.request, "oidc_refusal", None)
        if refusal is not None:
            return _page(self.request, refusal.message, 403, code=refusal.code)
        if self.request.GET.get("error"):
            return _page(self.request, CANCELLED, 403, code="oidc.provider_error")
        return _page(self.request, EXPIRED, 403, code="oidc.state_missing")


app_name = "oidc"
urlpatterns = [
    path("authenticate/", OidcAuthenticateView.as_view(), name="authenticate"),
    path("callback/", OidcCallbackView.as_view(), name="callback"),
]


def oidc_context(request) -> dict:
    """Template context processor: `oidc_enabled` shows the button (accounts/_oidc_button.html)."""
    return {"oidc_enabled": oidc_enabled()}
