"""A real OpenID Connect provider for the account tests (issue 14): tests/oidc_provider (django-oauth-toolkit)
started in a SECOND PROCESS on a free port, ready when its discovery document answers (polled, no fixed
sleep), stopped at the end of the session. Its database is a SQLite file in a temporary directory: the
provider's process gets no XINYONG_* or DJANGO_* variable of the test run, so it cannot reach the platform's
database.

`oidc_provider.add_users(...)` / `.add_client(...)` run its `provider_setup` command (another short process);
`.platform_settings(client_id, secret)` are the platform's settings for it, made by the platform's own builder
(accounts/oidc/__init__.py). `sign_in(client, provider, ...)` walks the code flow with urllib and a cookie jar
against the provider and Django's test client against the platform."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html import unescape as html_unescape
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60


@dataclass
class OidcProvider:
    url: str
    home: Path
    env: dict
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "django", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise AssertionError(f"provider command {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def add_users(self, *users: tuple[str, str, dict]) -> None:
        """(username, password, claims) each; claims as the provider asserts them (`name`, `uscc`, …)."""
        args = []
        for username, password, claims in users:
            args += ["--user", username, password, json.dumps(claims, ensure_ascii=False)]
        self.manage("provider_setup", *args)

    def add_client(self, client_id: str, secret: str, *redirect_uris: str) -> None:
        uris = [arg for uri in redirect_uris for arg in ("--redirect-uri", uri)]
        self.manage("provider_setup", "--client-id", client_id, "--client-secret", secret, *uris)

    def platform_settings(self, client_id: str, secret: str, **env: str) -> dict:
        """The platform's settings for this provider, from its own builder (discovery-style: issuer only)."""
        from django.conf import settings

        from xinyong.accounts.oidc import oidc_settings

        environ = {
            "XINYONG_OIDC_ISSUER": self.issuer,
            "XINYONG_OIDC_CLIENT_ID": client_id,
            "XINYONG_OIDC_CLIENT_SECRET": secret,
            **env,
        }
        backends = [b for b in settings.AUTHENTICATION_BACKENDS if "oidc" not in b]
        return oidc_settings(environ, backends=backends)


def _wait_ready(provider: OidcProvider) -> None:
    """Poll the discovery document until it answers 200; fail early if the process died."""
    url = f"{provider.issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise AssertionError(f"the OIDC provider exited:\n{provider.log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200 and json.load(response)["issuer"] == provider.issuer:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)  # the interval between polls, not a wait for readiness
    raise AssertionError(
        f"the OIDC provider did not answer in {READY_TIMEOUT} s:\n{provider.log.read_text()}"
    )


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    home = tmp_path_factory.mktemp("oidc_provider")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XINYONG_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OIDC_PROVIDER_HOME=str(home),
        OIDC_PROVIDER_ISSUER=f"http://127.0.0.1:{port}/o",
        PYTHONPATH=str(ROOT),
        NO_PROXY="127.0.0.1,localhost",
    )
    provider = OidcProvider(url=f"http://127.0.0.1:{port}", home=home, env=env, log=home / "server.log")
    provider.manage("migrate", "--run-syncdb", "--verbosity", "0")
    with open(provider.log, "wb") as log:
        provider.process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(provider)
        yield provider
    finally:
        provider.process.terminate()
        try:
            provider.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            provider.process.kill()
            provider.process.wait()


# ── the code flow without a browser: urllib (cookie jar) at the provider, the test client at the platform ──


class _StopAtPlatform(urllib.request.HTTPRedirectHandler):
    """Follow the provider's redirects, but stop at one that leaves for the platform."""

    def __init__(self, platform: str) -> None:
        self.platform = platform

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if newurl.startswith(self.platform):
            return None  # urllib raises HTTPError(302); the caller reads its Location
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def provider_login(
    authorize_url: str, username: str, password: str, platform: str = "http://testserver"
) -> str:
    """Sign in at the provider's login page and return the platform URL the provider sends the browser back
    to (the callback with `code` and `state`)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _StopAtPlatform(platform)
    )
    with opener.open(authorize_url, timeout=30) as page:  # → /login/?next=/o/authorize/…
        login_url, html = page.geturl(), page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    following = html_unescape(re.search(r'name="next" value="([^"]*)"', html)[1])
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": following}
    ).encode()
    request = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})
    try:
        with opener.open(request, timeout=30) as page:
            raise AssertionError(
                f"the provider did not send the browser back: {page.geturl()}\n{page.read()[:500]!r}"
            )
    except urllib.error.HTTPError as answer:
        if answer.code not in (301, 302, 303):
            raise AssertionError(
                f"the provider answered {answer.code} at {answer.url}: {answer.read()[:800]!r}"
            ) from None
        return answer.headers["Location"]


def sign_in(client, username: str, password: str, next_url: str = ""):
    """The whole flow for Django's test client: start at /accounts/oidc/authenticate/, sign in at the
    provider, return the platform's answer to the callback."""
    start = client.get("/accounts/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content.decode()
    back = provider_login(start["Location"], username, password)
    parts = urllib.parse.urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")
