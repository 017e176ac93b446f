"""Rate limits with a counter shared in the database (issue 13; issue 12 for filings and uploads;
core/ratelimit.py, ADR 0020). Limits are off for the rest of the suite (conftest.py); each test here sets
its own with the `settings` fixture and the time with `ratelimit.clock`. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.support.threads import run_together
from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_create
from xinyong.core import ratelimit
from xinyong.core.actor import Actor
from xinyong.core.models import RateCounter

T = 1_796_000_000  # 2026-11-29T…; a multiple of 60 + 20 below, so a minute window has 40 s left
NOW = T - T % 60 + 20
PROBLEM = "application/problem+json; charset=utf-8"
ADMIN = Actor(label="user:1", roles=frozenset({"admin"}))


@pytest.fixture
def limits(settings, monkeypatch):
    """Every class off but those a test turns on; the clock at NOW."""
    settings.XINYONG_RATE_LIMITS = {n: "" for n in ("anon", "lookup", "token", "filing", "upload")}
    clock = [NOW]
    monkeypatch.setattr(ratelimit, "clock", lambda: clock[0])
    monkeypatch.setattr(ratelimit, "_last_sweep", [NOW])
    ratelimit.counters_clear()  # on SQLite a side file, outside the test's transaction
    yield clock
    ratelimit.counters_clear()


@pytest.mark.django_db
def test_anonymous_limit_headers_then_429(settings, limits):
    settings.XINYONG_RATE_LIMITS["anon"] = "3/60"
    answers = [Client().get("/api/v1/matters") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["RateLimit-Policy"] == '"anon";q=3;w=60'
    assert [a["RateLimit"] for a in answers] == [f'"anon";r={r};t=40' for r in (2, 1, 0, 0)]
    refused = answers[3]
    assert (refused["Content-Type"], refused["Retry-After"]) == (PROBLEM, "40")
    body = refused.json()
    assert (body["status"], body["code"], body["policy"], body["retry_after"]) == (
        429,
        "rate.limited",
        "anon",
        40,
    )
    assert body["detail"] == "请求过于频繁：60 秒内最多 3 次请求（anon），请 40 秒后再试"
    assert refused["Cache-Control"] == "no-store"
    assert ratelimit.counters() == [("anon:127.0.0.1", NOW - 20, 4, 0)]


@pytest.mark.django_db
def test_a_new_window_starts_again_in_the_same_row(settings, limits):
    settings.XINYONG_RATE_LIMITS["anon"] = "1/60"
    assert [Client().get("/api/v1/matters").status_code for _ in range(2)] == [200, 429]
    limits[0] = NOW + 40  # the next minute
    again = Client().get("/api/v1/matters")
    assert (again.status_code, again["RateLimit"]) == (200, '"anon";r=0;t=60')
    assert ratelimit.counters() == [("anon:127.0.0.1", NOW + 40, 1, 0)]


@pytest.mark.django_db
def test_lookups_have_their_own_stricter_limit(settings, limits):
    settings.XINYONG_RATE_LIMITS.update(anon="100/60", lookup="2/60")
    lookups = [Client().get("/api/v1/objections/progress", {"code": "x"}) for _ in range(3)]
    assert [a.status_code for a in lookups] == [404, 404, 429]
    assert lookups[0]["RateLimit-Policy"] == '"lookup";q=2;w=60'
    assert lookups[2].json()["policy"] == "lookup"
    verify = Client().post("/api/v1/reports/verify", {}, content_type="application/json")
    assert verify.status_code == 429
    assert Client().get("/api/v1/matters").status_code == 200  # anonymous reads keep their own bucket


@pytest.mark.django_db
def test_each_token_has_its_own_bucket_and_not_the_address(settings, limits):
    units_load(actor=ADMIN, now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    unit = Unit.objects.get(code="bj-gongshangju")
    first, second = (
        api_token_create(actor=ADMIN, unit=unit, role="case_officer", now=dt.datetime.now(dt.UTC))
        for _ in "12"
    )
    settings.XINYONG_RATE_LIMITS.update(anon="1/60", token="2/60")
    one = Client(HTTP_AUTHORIZATION=f"Bearer {first.secret}")
    assert [one.get("/api/v1/units/me").status_code for _ in range(3)] == [200, 200, 429]
    other = Client(HTTP_AUTHORIZATION=f"Bearer {second.secret}").get("/api/v1/units/me")
    assert (other.status_code, other["RateLimit-Policy"]) == (200, '"token";q=2;w=60')
    assert Client().get("/api/v1/matters").status_code == 200
    buckets = {row[0] for row in ratelimit.counters()}
    assert buckets == {f"token:t{first.token.pk}", f"token:t{second.token.pk}", "anon:127.0.0.1"}


@pytest.mark.django_db
def test_filings_and_their_bytes_are_limited_per_source(settings, limits):
    """Issue 12: objections and anonymous tipoffs per source, and the bytes they upload per day."""
    settings.XINYONG_RATE_LIMITS.update(anon="100/60", filing="2/3600", upload="5000/86400")
    small = [Client().post("/api/v1/tipoffs", {"description": "x"}) for _ in range(3)]
    assert [a.status_code for a in small] == [422, 422, 429]
    assert small[0]["RateLimit-Policy"] == '"anon";q=100;w=60, "filing";q=2;w=3600, "upload";q=5000;w=86400'
    assert small[2].json()["policy"] == "filing"
    limits[0] = NOW + 3600
    big = Client().post("/api/v1/objections", {"description": "x" * 6000})
    assert (big.status_code, big.json()["policy"]) == (429, "upload")
    assert big.json()["detail"].startswith("请求过于频繁：86400 秒内最多 5000 字节（upload）")
    used = dict((row[0], row[3]) for row in ratelimit.counters())["upload:127.0.0.1"]
    assert used > 6000


@pytest.mark.django_db
def test_forwarded_address_only_from_a_trusted_proxy_and_ipv6_by_64(settings, limits):
    settings.XINYONG_RATE_LIMITS["anon"] = "10/60"
    Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9").get("/api/v1/matters")
    Client(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.77").get("/api/v1/matters")
    Client(REMOTE_ADDR="2001:db8:1:2:aaaa::1").get("/api/v1/matters")
    Client(REMOTE_ADDR="2001:db8:1:2:bbbb::2").get("/api/v1/matters")
    hits = {row[0]: row[2] for row in ratelimit.counters()}
    assert hits == {"anon:203.0.113.9": 1, "anon:198.51.100.1": 1, "anon:2001:db8:1:2::/64": 2}


@pytest.mark.django_db
def test_options_is_not_counted_and_off_means_no_write(settings, limits):
    assert "RateLimit" not in Client().get("/api/v1/matters")
    settings.XINYONG_RATE_LIMITS["anon"] = "1/60"
    assert Client().options("/api/v1/matters").status_code == 204
    assert ratelimit.counters() == []


@pytest.mark.django_db
def test_idle_buckets_are_swept(settings, limits):
    settings.XINYONG_RATE_LIMITS.update(anon="5/60", upload="10/86400")
    ratelimit.counter_add("anon:192.0.2.1", NOW - 3 * 86400, 1)
    ratelimit.counter_add("anon:192.0.2.2", NOW - 86400, 1)
    limits[0] = NOW + 61  # the sweep is due once a minute per process
    Client().get("/api/v1/matters")
    assert {row[0] for row in ratelimit.counters()} == {"anon:192.0.2.2", "anon:127.0.0.1"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_share_one_counter(settings, limits):
    """Two connections (as two gunicorn workers) adding to one bucket at once lose no count."""
    seen: list[int] = []

    def worker():
        for _ in range(40):
            seen.append(ratelimit.counter_add("anon:192.0.2.50", NOW - 20, 1)[0])

    run_together(worker, worker)
    assert sorted(seen) == list(range(1, 81))
    assert ratelimit.counters() == [("anon:192.0.2.50", NOW - 20, 80, 0)]


@pytest.mark.django_db
def test_the_counter_store_is_the_model_table_on_postgresql_and_a_side_file_on_sqlite(limits):
    ratelimit.counter_add("anon:192.0.2.60", NOW - 20, 1)
    in_model = list(RateCounter.objects.values_list("bucket", "hits"))
    if connection.vendor == "postgresql":
        assert in_model == [("anon:192.0.2.60", 1)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'core_rate_counter'")
            assert cursor.fetchone() == ("u",)  # UNLOGGED: no WAL, no flush wait (migration core 0005)
    else:
        assert in_model == []  # the main database's write lock is never taken to count
        with sqlite3.connect(settings.XINYONG_HOME / "ratelimit.sqlite3") as side:
            assert side.execute("SELECT bucket, hits FROM core_rate_counter").fetchall() == [
                ("anon:192.0.2.60", 1)
            ]
