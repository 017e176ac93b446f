"""Subjects sign in through OpenID Connect (统一身份认证, issue 14; docs/adr/0033). This module is the
settings builder only — pure Python, imported by config/settings.py before Django is set up. Beside it:
`provider` (the provider's endpoints) and `signin` (the account side of a sign-in: identities, subject
accounts, audit). Matching claims to a subject needs the subjects app, a layer above accounts, so the
backend, the matching and the pages live in xinyong/portal/oidc/.

OpenID Connect is on when XINYONG_OIDC_ISSUER, XINYONG_OIDC_CLIENT_ID and XINYONG_OIDC_CLIENT_SECRET are all
set (some but not all of them is a configuration error); off, the login button is hidden and the
`/accounts/oidc/` pages answer 404 “未启用”.

XINYONG_OIDC_ISSUER          the provider's issuer (`iss` of its ID tokens); its endpoints are read from
                             ISSUER/.well-known/openid-configuration unless all four are given below
XINYONG_OIDC_AUTHORIZATION_ENDPOINT, XINYONG_OIDC_TOKEN_ENDPOINT, XINYONG_OIDC_USERINFO_ENDPOINT,
XINYONG_OIDC_JWKS_ENDPOINT   explicit endpoints (each one given wins over discovery)
XINYONG_OIDC_CLIENT_ID, XINYONG_OIDC_CLIENT_SECRET   the platform's registration at the provider
XINYONG_OIDC_SIGN_ALGO       ID token signature algorithm (default RS256, keys from the provider's JWKS)
XINYONG_OIDC_SCOPES          scopes asked for (default "openid profile")
XINYONG_OIDC_PKCE            1|0: PKCE (S256) on the authorization request (default 1)
XINYONG_OIDC_CLAIM_USCC, XINYONG_OIDC_CLAIM_USCC_VERIFIED, XINYONG_OIDC_CLAIM_ID_CARD,
XINYONG_OIDC_CLAIM_ID_CARD_VERIFIED, XINYONG_OIDC_CLAIM_NAME
                             claim names (defaults uscc, uscc_verified, id_card, id_card_verified, name); a
                             verified-claim name set to "" means the provider asserts only verified
                             identifiers (real-name platforms), so no flag is required
XINYONG_OIDC_LOGIN_REDIRECT  where a signed-in subject lands (default /me/)
"""

from __future__ import annotations

from collections.abc import Mapping

OIDC_BACKEND = "xinyong.portal.oidc.backend.OidcBackend"
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "XINYONG_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "XINYONG_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "XINYONG_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "XINYONG_OIDC_JWKS_ENDPOINT",
}
_CLAIMS = {
    "uscc": ("XINYONG_OIDC_CLAIM_USCC", "uscc"),
    "uscc_verified": ("XINYONG_OIDC_CLAIM_USCC_VERIFIED", "uscc_verified"),
    "id_card": ("XINYONG_OIDC_CLAIM_ID_CARD", "id_card"),
    "id_card_verified": ("XINYONG_OIDC_CLAIM_ID_CARD_VERIFIED", "id_card_verified"),
    "name": ("XINYONG_OIDC_CLAIM_NAME", "name"),
}
_REQUIRED = ("XINYONG_OIDC_ISSUER", "XINYONG_OIDC_CLIENT_ID", "XINYONG_OIDC_CLIENT_SECRET")


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip()
    if value == "":
        return default
    if value not in ("0", "1"):
        raise ValueError(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def oidc_settings(environ: Mapping[str, str], *, backends: list[str]) -> dict:
    """The Django settings of the OpenID Connect client, from the environment (module docstring).

    `backends` are the platform's other authentication backends: the OIDC backend comes after them, so the
    password lock-out backend stays first."""
    given = {name: environ.get(name, "").strip() for name in _REQUIRED}
    if not any(given.values()):
        return {"XINYONG_OIDC_ENABLED": False, "AUTHENTICATION_BACKENDS": list(backends)}
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise ValueError(f"OpenID Connect is half configured: set {', '.join(missing)} too (or none of them)")
    algo = environ.get("XINYONG_OIDC_SIGN_ALGO", "").strip() or "RS256"
    if algo.startswith("HS") or algo == "none":
        raise ValueError("XINYONG_OIDC_SIGN_ALGO must be an asymmetric algorithm (RS256, ES256 …)")
    settings = {
        "XINYONG_OIDC_ENABLED": True,
        "AUTHENTICATION_BACKENDS": [*backends, OIDC_BACKEND],
        "XINYONG_OIDC_ISSUER": given["XINYONG_OIDC_ISSUER"].rstrip("/"),
        "XINYONG_OIDC_CLAIMS": {
            key: environ.get(var, default).strip() for key, (var, default) in _CLAIMS.items()
        },
        "XINYONG_OIDC_LOGIN_REDIRECT": environ.get("XINYONG_OIDC_LOGIN_REDIRECT", "").strip() or "/me/",
        "OIDC_RP_CLIENT_ID": given["XINYONG_OIDC_CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": given["XINYONG_OIDC_CLIENT_SECRET"],
        "OIDC_RP_SIGN_ALGO": algo,
        "OIDC_RP_SCOPES": environ.get("XINYONG_OIDC_SCOPES", "").strip() or "openid profile",
        "OIDC_USE_PKCE": _flag(environ, "XINYONG_OIDC_PKCE", True),
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": 10,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc:callback",
    }
    for setting, var in _ENDPOINTS.items():
        settings[setting] = environ.get(var, "").strip()
    return settings
