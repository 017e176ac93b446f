"""Secure cookies and HSTS when the platform is served over TLS (issue 12: "Session cookies lack `Secure` and
there is no HSTS setting for TLS deployments").

XINYONG_TLS=1 says the platform is reached by https through the front proxy, which terminates TLS and sets
`X-Forwarded-Proto` (overwriting whatever a client sent). It turns on, unless set one by one:

- `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE` (XINYONG_SECURE_COOKIES=1|0);
- `SECURE_HSTS_SECONDS` one year (XINYONG_HSTS_SECONDS=n; 0 = no header), with subdomains only when
  XINYONG_HSTS_INCLUDE_SUBDOMAINS=1 and preload only when XINYONG_HSTS_PRELOAD=1 (both are hard to undo);
- `SECURE_PROXY_SSL_HEADER` = X-Forwarded-Proto: https (XINYONG_TRUST_FORWARDED_PROTO=1|0). Only safe when
  the workers are reachable through the front proxy alone (`xinyong up` binds them to loopback).

Django's SecurityMiddleware sends HSTS only on requests it sees as secure, hence the proxy header.
"""

from __future__ import annotations

from collections.abc import Mapping

ONE_YEAR = 365 * 24 * 3600


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip()
    if value == "":
        return default
    if value not in ("0", "1"):
        raise ValueError(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def tls_settings(environ: Mapping[str, str]) -> dict:
    """The Django settings for a TLS deployment, from the environment (see the module docstring)."""
    tls = _flag(environ, "XINYONG_TLS", False)
    secure_cookies = _flag(environ, "XINYONG_SECURE_COOKIES", tls)
    hsts = environ.get("XINYONG_HSTS_SECONDS", "").strip()
    settings = {
        "SESSION_COOKIE_SECURE": secure_cookies,
        "CSRF_COOKIE_SECURE": secure_cookies,
        "SECURE_HSTS_SECONDS": int(hsts) if hsts else (ONE_YEAR if tls else 0),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": _flag(environ, "XINYONG_HSTS_INCLUDE_SUBDOMAINS", False),
        "SECURE_HSTS_PRELOAD": _flag(environ, "XINYONG_HSTS_PRELOAD", False),
        "SECURE_PROXY_SSL_HEADER": None,
    }
    if settings["SECURE_HSTS_SECONDS"] < 0:
        raise ValueError("XINYONG_HSTS_SECONDS must not be negative")
    if _flag(environ, "XINYONG_TRUST_FORWARDED_PROTO", tls):
        settings["SECURE_PROXY_SSL_HEADER"] = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings
