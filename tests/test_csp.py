"""The browser-facing security headers (issue 15 "Safety"; xinyong/core/csp.py): the Content-Security-Policy
on every page outside the API's JSON, with the OpenID Connect provider's origin in `form-action` when it is
configured; Referrer-Policy and Permissions-Policy; HSTS only over TLS; and no inline script, `<style>` block,
`style="…"` attribute or event-handler attribute in any template of ours (the browser tests check the pages)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from xinyong.core import csp

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "xinyong").glob("*/templates/**/*.html"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/search/?q=华信", "/progress/", "/reports/verify", "/accounts/login/", "/accounts/register/",
     "/admin/", "/no-such-page/", "/api/v1/docs"],
)  # fmt: skip
def test_every_page_carries_the_policy(path):
    response = Client().get(path)
    assert response["Content-Security-Policy"] == POLICY, path
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_api_json_carries_none():
    response = Client().get("/api/v1/catalog/categories")
    assert "Content-Security-Policy" not in response
    assert "Permissions-Policy" not in response
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_form_action_allows_the_oidc_provider_when_configured(settings):
    settings.XINYONG_OIDC_ENABLED = True
    settings.XINYONG_OIDC_ISSUER = "https://id.example.gov.cn/realms/bj"
    assert csp.provider_origin() == "https://id.example.gov.cn"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.gov.cn:8443/oauth2/authorize?x=1"
    response = Client().get("/accounts/login/")
    assert "; form-action 'self' https://login.example.gov.cn:8443; " in response["Content-Security-Policy"]
    settings.XINYONG_OIDC_ENABLED = False
    assert csp.provider_origin() == ""


@pytest.mark.django_db
def test_hsts_only_over_tls(settings):
    assert "Strict-Transport-Security" not in Client().get("/progress/")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert "Strict-Transport-Security" not in Client().get("/progress/")
    response = Client().get("/progress/", headers={"x-forwarded-proto": "https"})
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response["Content-Security-Policy"] == POLICY


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|<style|\sstyle=|\son[a-z]+=", re.I
)


def test_no_template_has_inline_script_or_style():
    assert len(TEMPLATES) > 40
    found = [f"{t}: {m.group(0)}" for t in TEMPLATES for m in INLINE.finditer(t.read_text(encoding="utf-8"))]
    assert found == []


def test_the_template_check_finds_what_it_should():
    page = '<script>alert(1)</script><p style="x" onclick="y"><style>p{}</style><script src="/a.js"></script>'
    assert [m.group(0).strip() for m in INLINE.finditer(page)] == ["<script", "style=", "onclick=", "<style"]
