"""Secure cookies and HSTS over TLS (issue 12, config/tls.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from xinyong.config.tls import ONE_YEAR, tls_settings

PROBE = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.config.settings")
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
tls = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
print(json.dumps({
    "plain_hsts": plain.headers.get("Strict-Transport-Security"),
    "tls_hsts": tls.headers.get("Strict-Transport-Security"),
    "csrf_secure": tls.cookies["csrftoken"]["secure"],
    "session_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def _probe(tmp_path, **env) -> dict:
    environ = {**os.environ, "XINYONG_HOME": str(tmp_path), "XINYONG_ALLOWED_HOSTS": "testserver", **env}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_default_is_plain_http():
    assert tls_settings({}) == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_tls_turns_everything_on_and_each_can_be_overridden():
    on = tls_settings({"XINYONG_TLS": "1"})
    assert on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SECURE_HSTS_SECONDS"] == ONE_YEAR == 31536000
    assert on["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert not on["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    some = tls_settings({"XINYONG_TLS": "1", "XINYONG_HSTS_SECONDS": "600", "XINYONG_SECURE_COOKIES": "0"})
    assert (some["SECURE_HSTS_SECONDS"], some["SESSION_COOKIE_SECURE"]) == (600, False)
    assert tls_settings({"XINYONG_SECURE_COOKIES": "1"})["CSRF_COOKIE_SECURE"] is True
    with pytest.raises(ValueError, match="XINYONG_TLS must be 0 or 1"):
        tls_settings({"XINYONG_TLS": "yes"})


def test_served_over_tls_the_cookies_are_secure_and_hsts_is_sent(tmp_path):
    """The settings module itself, started with XINYONG_TLS=1: HSTS on requests the front proxy marks https,
    none on plain ones; the CSRF cookie carries Secure."""
    seen = _probe(tmp_path, XINYONG_TLS="1")
    assert seen == {
        "plain_hsts": None,
        "tls_hsts": "max-age=31536000",
        "csrf_secure": True,
        "session_secure": True,
    }
