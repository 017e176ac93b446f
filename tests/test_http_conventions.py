"""HTTP conventions on /api/v1/ (issue 13 "contract kept"; core/http.py, accounts/middleware.py, ADR 0020):
problem+json for 404/405, HEAD and OPTIONS, WWW-Authenticate, an invalid token refused everywhere, one
timestamp shape, ETag and Cache-Control, Vary, gzip."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.test import Client

from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_create, api_token_revoke
from xinyong.core.actor import Actor
from xinyong.core.api import ApiJSONEncoder
from xinyong.core.timeutil import rfc3339

pytestmark = pytest.mark.django_db
ADMIN = Actor(label="user:1", roles=frozenset({"admin"}))
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
PROBLEM = "application/problem+json; charset=utf-8"


@pytest.fixture
def token(db):
    from xinyong.accounts.models import Unit

    units_load(actor=ADMIN, now=NOW)
    unit = Unit.objects.get(code="bj-gongshangju")
    return api_token_create(actor=ADMIN, unit=unit, role="case_officer", now=dt.datetime.now(dt.UTC))


def test_unknown_api_path_is_a_404_problem():
    response = Client().get("/api/v1/no-such-thing")
    assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_a_405_problem_with_allow():
    response = Client().delete("/api/v1/matters")
    assert (response.status_code, response["Content-Type"]) == (405, PROBLEM)
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    body = response.json()
    assert (body["code"], body["status"], body["allowed"]) == (
        "http.method_not_allowed",
        405,
        ["GET", "HEAD", "OPTIONS"],
    )
    assert body["detail"] == "此接口不支持 DELETE 方法，可用方法：GET, HEAD, OPTIONS"


def test_head_answers_like_get_without_a_body():
    get, head = Client().get("/api/v1/matters"), Client().head("/api/v1/matters")
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Length"] == str(len(get.content))
    for name in ("Content-Type", "ETag", "Cache-Control", "Vary"):
        assert head[name] == get[name]


def test_options_answers_204_with_allow_and_unknown_paths_404():
    options = Client().options("/api/v1/objections")
    assert (options.status_code, options.content, options["Allow"]) == (204, b"", "GET, HEAD, OPTIONS, POST")
    unknown = Client().options("/api/v1/no-such-thing")
    assert (unknown.status_code, unknown["Content-Type"]) == (404, PROBLEM)


def test_missing_token_challenge():
    response = Client().get("/api/v1/units/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="xinyong"'
    assert (response["Content-Type"], response.json()["code"]) == (PROBLEM, "auth.required")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/units/me", "/api/v1/matters", "/api/v1/search?q=银行", "/api/v1/objections/progress?code=x"],
)
def test_invalid_token_is_refused_on_every_endpoint(path):
    """A protected endpoint, public reference data, an optional-token search and an anonymous lookup alike."""
    response = Client(HTTP_AUTHORIZATION="Bearer not-a-token").get(path)
    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert response["WWW-Authenticate"] == 'Bearer realm="xinyong", error="invalid_token"'
    assert response.json()["code"] == "auth.required"
    assert response["Cache-Control"] == "no-store"
    malformed = Client(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").get(path)
    assert (malformed.status_code, malformed["WWW-Authenticate"]) == (401, response["WWW-Authenticate"])


def test_revoked_token_is_refused_on_a_public_endpoint(token):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    assert client.get("/api/v1/matters").status_code == 200
    api_token_revoke(actor=ADMIN, prefix=token.token.prefix, now=dt.datetime.now(dt.UTC))
    refused = client.get("/api/v1/matters")
    assert (refused.status_code, refused["WWW-Authenticate"]) == (
        401,
        'Bearer realm="xinyong", error="invalid_token"',
    )


def test_timestamps_are_rfc3339_in_beijing_time(token):
    """One shape for every timestamp: the encoder, and values formatted by hand (units/me `expires_at`)."""
    instant = dt.datetime(2026, 12, 6, 20, 26, 12, 345678, tzinfo=dt.UTC)
    assert json.dumps({"at": instant}, cls=ApiJSONEncoder) == '{"at": "2026-12-07T04:26:12+08:00"}'
    assert rfc3339(dt.datetime(2026, 1, 5, 23, 59, 59)) == "2026-01-06T07:59:59+08:00"
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token.secret}").get("/api/v1/units/me").json()
    assert me["expires_at"] == rfc3339(token.token.expires_at) and me["expires_at"].endswith("+08:00")


def test_public_reference_data_has_etag_and_answers_304():
    first = Client().get("/api/v1/matters")
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["Vary"] == "Authorization, Accept-Encoding"
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    again = Client().get("/api/v1/matters", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert again["Cache-Control"] == "public, max-age=300"
    weak = Client().get("/api/v1/matters", HTTP_IF_NONE_MATCH=f'W/"x", W/{etag}')
    assert weak.status_code == 304
    other = Client().get("/api/v1/matters", HTTP_IF_NONE_MATCH='"other"')
    assert (other.status_code, other.content) == (200, first.content)


def test_private_answers_are_not_stored(token):
    authed = Client(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    for response in (
        authed.get("/api/v1/units/me"),
        authed.get("/api/v1/matters"),  # reference data, but asked with a token: not stored
        Client().get("/api/v1/objections/progress", {"code": "YY-0000-0000-0000-0000"}),
    ):
        assert (response["Cache-Control"], response["Vary"]) == ("no-store", "Authorization, Accept-Encoding")
        assert "ETag" not in response
    write = Client().post("/api/v1/reports/verify", {}, content_type="application/json")
    assert (write["Cache-Control"], write["Vary"]) == ("no-store", "Authorization")
    public = Client().get("/api/v1/search", {"q": "银行"})
    assert (public["Cache-Control"], public["Vary"]) == ("no-cache", "Authorization, Accept-Encoding")


def test_json_is_gzipped_when_accepted(token):
    plain = Client().get("/api/v1/units")
    zipped = Client().get("/api/v1/units", HTTP_ACCEPT_ENCODING="gzip")
    assert (zipped["Content-Encoding"], zipped["Vary"]) == ("gzip", "Authorization, Accept-Encoding")
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) < len(plain.content) / 3
    assert zipped["ETag"] == "W/" + plain["ETag"]
    assert "Content-Encoding" not in plain
    write = Client().post("/api/v1/reports/verify", {}, content_type="application/json",
                          HTTP_ACCEPT_ENCODING="gzip")  # fmt: skip
    assert "Content-Encoding" not in write
