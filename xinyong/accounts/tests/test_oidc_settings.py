"""Issue 14: the OpenID Connect client's settings (accounts/oidc/__init__.py) and the platform with it off, or
with its provider unreachable. The sign-ins themselves: test_oidc_signin.py (a real provider)."""

import pytest
from django.contrib.auth import authenticate
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.processes import free_port
from xinyong.accounts.models import User
from xinyong.accounts.oidc import OIDC_BACKEND, oidc_settings

LOCKOUT = "xinyong.accounts.login.LockoutModelBackend"
BASE = {"XINYONG_OIDC_ISSUER": "https://idp.example.gov.cn/", "XINYONG_OIDC_CLIENT_ID": "xinyong"}


def test_off_when_unset_and_the_lockout_backend_alone():
    assert oidc_settings({}, backends=[LOCKOUT]) == {
        "XINYONG_OIDC_ENABLED": False,
        "AUTHENTICATION_BACKENDS": [LOCKOUT],
    }


def test_on_with_issuer_client_and_secret_the_backend_after_the_lockout_one():
    made = oidc_settings({**BASE, "XINYONG_OIDC_CLIENT_SECRET": "s"}, backends=[LOCKOUT])
    assert made["AUTHENTICATION_BACKENDS"] == [LOCKOUT, OIDC_BACKEND]
    assert made["XINYONG_OIDC_ISSUER"] == "https://idp.example.gov.cn"
    assert (made["OIDC_RP_SIGN_ALGO"], made["OIDC_USE_PKCE"], made["OIDC_RP_SCOPES"]) == (
        "RS256",
        True,
        "openid profile",
    )
    assert made["OIDC_OP_TOKEN_ENDPOINT"] == ""  # from discovery
    assert made["XINYONG_OIDC_CLAIMS"] == {
        "uscc": "uscc",
        "uscc_verified": "uscc_verified",
        "id_card": "id_card",
        "id_card_verified": "id_card_verified",
        "name": "name",
    }
    assert made["XINYONG_OIDC_LOGIN_REDIRECT"] == "/me/"


def test_explicit_endpoints_claim_names_and_pkce_off():
    env = {
        **BASE,
        "XINYONG_OIDC_CLIENT_SECRET": "s",
        "XINYONG_OIDC_TOKEN_ENDPOINT": "https://idp.example.gov.cn/token",
        "XINYONG_OIDC_CLAIM_USCC": "tyshxydm",
        "XINYONG_OIDC_CLAIM_USCC_VERIFIED": "",
        "XINYONG_OIDC_PKCE": "0",
    }
    made = oidc_settings(env, backends=[LOCKOUT])
    assert (
        made["OIDC_OP_TOKEN_ENDPOINT"] == "https://idp.example.gov.cn/token"
        and made["OIDC_USE_PKCE"] is False
    )
    assert (made["XINYONG_OIDC_CLAIMS"]["uscc"], made["XINYONG_OIDC_CLAIMS"]["uscc_verified"]) == (
        "tyshxydm",
        "",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (BASE, "XINYONG_OIDC_CLIENT_SECRET"),
        ({**BASE, "XINYONG_OIDC_CLIENT_SECRET": "s", "XINYONG_OIDC_SIGN_ALGO": "HS256"}, "asymmetric"),
        (
            {**BASE, "XINYONG_OIDC_CLIENT_SECRET": "s", "XINYONG_OIDC_PKCE": "yes"},
            "XINYONG_OIDC_PKCE must be 0 or 1",
        ),
    ],
)
def test_half_or_weak_configurations_stop_the_start(env, message):
    with pytest.raises(ValueError, match=message):
        oidc_settings(env, backends=[LOCKOUT])


@pytest.mark.django_db
def test_off_the_pages_answer_404_in_chinese_and_the_button_is_hidden(client, settings):
    settings.XINYONG_OIDC_ENABLED = False
    for path in ("/accounts/oidc/authenticate/", "/accounts/oidc/callback/?code=a&state=b"):
        response = client.get(path)
        assert response.status_code == 404
        assert "本平台未启用统一身份认证（OpenID Connect）登录" in response.content.decode()
    request = RequestFactory().get("/accounts/login/")
    assert render_to_string("accounts/_oidc_button.html", request=request).strip() == ""


def _unreachable(settings):
    env = {
        "XINYONG_OIDC_ISSUER": f"http://127.0.0.1:{free_port()}/o",
        "XINYONG_OIDC_CLIENT_ID": "xinyong",
        "XINYONG_OIDC_CLIENT_SECRET": "s",
    }
    for name, value in oidc_settings(env, backends=[LOCKOUT]).items():
        setattr(settings, name, value)


@pytest.mark.django_db
def test_on_the_button_shows_and_an_unreachable_provider_is_a_503_not_a_500(client, settings):
    _unreachable(settings)
    request = RequestFactory().get("/accounts/login/")
    button = render_to_string("accounts/_oidc_button.html", {"next": "/me/"}, request=request)
    assert 'href="/accounts/oidc/authenticate/?next=/me/"' in button and "使用统一身份认证登录" in button
    response = client.get("/accounts/oidc/authenticate/")
    assert response.status_code == 503
    assert "统一身份认证平台暂时无法访问，请稍后再试。" in response.content.decode()


@pytest.mark.django_db
def test_a_password_login_does_not_wait_for_the_provider(settings):
    _unreachable(settings)
    User.objects.create_user(username="officer", password="a-long-password-9")
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="officer", password="a-long-password-9").username == "officer"
