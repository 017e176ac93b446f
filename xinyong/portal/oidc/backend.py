"""The OpenID Connect authentication backend (issue 14, docs/adr/0033): mozilla-django-oidc's code flow
(state, nonce, PKCE, the token request, the ID token's RS256 signature checked against the provider's JWKS),
plus what it leaves out — the ID token's `iss` and `aud`, the userinfo `sub` equal to the ID token's — and the
platform's own rule instead of its e-mail matching: match.subject_matched, then accounts'
oidc_account_sign_in.

Settings are read per sign-in, not at start-up: a password login never waits for the provider, and a test can
point the platform at the provider it started. A refusal is audited and left on the request
(`request.oidc_refusal`) for the callback page to explain; nothing about it raises past `authenticate`.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from xinyong.accounts.oidc.provider import ProviderUnavailable, oidc_enabled, oidc_issuer, provider_endpoints
from xinyong.accounts.oidc.signin import OidcRefused, oidc_account_sign_in, oidc_refusal_record
from xinyong.core.timeutil import business_date
from xinyong.portal.oidc.match import stored_sub, subject_matched

log = logging.getLogger(__name__)
PROVIDER_FAILED = "未能与统一身份认证平台核对登录结果，请重新登录；如仍不成功，请稍后再试。"


class OidcBackend(OIDCAuthenticationBackend):
    """Subjects' sign-in through the configured OpenID Connect provider (module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        self.UserModel = get_user_model()  # endpoints and client: per sign-in (`_configure`)

    def _configure(self) -> None:
        endpoints = provider_endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks
        self.OIDC_RP_CLIENT_ID = getattr(settings, "OIDC_RP_CLIENT_ID", "")
        self.OIDC_RP_CLIENT_SECRET = getattr(settings, "OIDC_RP_CLIENT_SECRET", "")
        self.OIDC_RP_SIGN_ALGO = getattr(settings, "OIDC_RP_SIGN_ALGO", "")
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        """Only the callback's call (it passes `nonce`); password logins pass by."""
        if request is None or "nonce" not in kwargs or not oidc_enabled():
            return None
        try:
            self._configure()
            return super().authenticate(request, **kwargs)
        except OidcRefused as refusal:
            return self._refuse(request, refusal)
        except (ProviderUnavailable, requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as exc:
            log.warning("OpenID Connect sign-in failed: %s", type(exc).__name__)
            return self._refuse(request, OidcRefused("oidc.provider_failed", PROVIDER_FAILED))

    def _refuse(self, request, refusal: OidcRefused) -> None:
        request.oidc_refusal = refusal
        oidc_refusal_record(
            issuer=oidc_issuer(),
            refusal=refusal,
            now=timezone.now(),
            request_id=getattr(request, "request_id", ""),
        )
        return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc checks the signature, expiry and nonce; the issuer and audience are ours."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if str(payload.get("iss", "")).rstrip("/") != oidc_issuer():
            raise SuspiciousOperation("ID token from another issuer")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised for another party")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        """The account the verified identifier leads to (match.py, accounts/oidc/signin.py)."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub", "")) != str(payload.get("sub", "")) or not payload.get("sub"):
            raise OidcRefused("oidc.provider_failed", PROVIDER_FAILED, {"rule": "userinfo_sub"})
        claims = {**payload, **userinfo}
        names = getattr(settings, "XINYONG_OIDC_CLAIMS", {})
        now = timezone.now()
        match = subject_matched(claims, names, today=business_date(now))
        name = claims.get(names["name"]) if names["name"] else ""
        return oidc_account_sign_in(
            issuer=oidc_issuer(),
            sub=stored_sub(str(payload["sub"])),
            subject_id=match.subject_id,
            full_name=name if isinstance(name, str) else "",
            now=now,
            request_id=getattr(self.request, "request_id", ""),
        )

    def get_user(self, user_id):
        """Django's own: an inactive user's session ends."""
        return ModelBackend.get_user(self, user_id)
