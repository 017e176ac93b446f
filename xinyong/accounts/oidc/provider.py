"""The provider's endpoints (issue 14): the ones configured, else those of its discovery document
(OpenID Connect Discovery 1.0, `ISSUER/.well-known/openid-configuration`), read when first needed — never at
start-up, so a provider that is down stops only OpenID Connect sign-ins — and kept for an hour."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

DISCOVERY_TTL = 3600
_FIELDS = {
    "authorization": ("OIDC_OP_AUTHORIZATION_ENDPOINT", "authorization_endpoint"),
    "token": ("OIDC_OP_TOKEN_ENDPOINT", "token_endpoint"),
    "userinfo": ("OIDC_OP_USER_ENDPOINT", "userinfo_endpoint"),
    "jwks": ("OIDC_OP_JWKS_ENDPOINT", "jwks_uri"),
}
_cache: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The discovery document could not be read or does not describe the configured issuer."""


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    userinfo: str
    jwks: str


def oidc_enabled() -> bool:
    return bool(getattr(settings, "XINYONG_OIDC_ENABLED", False))


def oidc_issuer() -> str:
    return getattr(settings, "XINYONG_OIDC_ISSUER", "")


def _discovered(issuer: str) -> dict:
    with _lock:
        hit = _cache.get(issuer)
        if hit and hit[0] > time.monotonic():
            return hit[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=getattr(settings, "OIDC_TIMEOUT", 10)
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"discovery of {issuer} failed: {type(exc).__name__}") from None
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"the discovery document of {issuer} names another issuer")
    with _lock:
        _cache[issuer] = (time.monotonic() + DISCOVERY_TTL, document)
    return document


def provider_endpoints() -> Endpoints:
    """The four endpoints; each configured one wins, the others come from discovery."""
    given = {key: getattr(settings, setting, "") for key, (setting, _) in _FIELDS.items()}
    if not all(given.values()):
        document = _discovered(oidc_issuer())
        for key, (_, field) in _FIELDS.items():
            given[key] = given[key] or str(document.get(field) or "")
        if not all(given.values()):
            raise ProviderUnavailable("the discovery document lacks an endpoint")
    return Endpoints(**given)
