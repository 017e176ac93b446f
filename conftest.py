"""Test set-up shared by every app. The database comes from XINYONG_DATABASE_URL (SQLite by default)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    """Each test's database is rolled back under the per-process calendar cache: start and end clean."""
    from xinyong.workdays import selectors as workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture(autouse=True)
def _chinese_between_tests():
    """Django's LocaleMiddleware activates a request's language in the test's thread and nothing deactivates
    it: a request under /en/ would leave English active for code a later test calls outside a request."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def clock(monkeypatch):
    """The one clock (tests/support/clock.py): every reader of the time — `timeutil.now()` in the API, admin,
    commands and token checks, Django's `timezone.now()` — sees its instant; `clock.set(...)`/`advance(...)`
    move it."""
    from tests.support.clock import clock_freeze

    return clock_freeze(monkeypatch)


@pytest.fixture(autouse=True)
def _audit_anchors_of_this_test(settings, tmp_path):
    """Each test's audit chain is its own: checkpoints that a worker (or another test) signed under
    XINYONG_HOME must not be compared with it (ADR 0019)."""
    settings.XINYONG_AUDIT_ANCHOR_FILE = tmp_path / "audit_anchors.jsonl"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Tests hash passwords with a fast hasher (each PBKDF2 hash costs ~0.5 s); production keeps Django's
    default hashers (settings.py)."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _rate_limits_off():
    """Existing tests make many requests from one address: rate limits are off in tests (no counter write
    per request); core/tests/test_ratelimit.py turns them on with the `settings` fixture."""
    from django.conf import settings

    settings.XINYONG_RATE_LIMITS = {name: "" for name in settings.XINYONG_RATE_LIMITS}
    yield


@pytest.fixture(autouse=True, scope="session")
def _api_answers_conform_to_openapi():
    """Issue 13: every /api/v1/ answer the test client receives is checked against the served OpenAPI
    document (tests/openapi_check.py). XINYONG_TEST_OPENAPI_CHECK=0 turns it off (to measure its cost)."""
    import os
    import time

    from django.test.client import ClientHandler

    from tests.openapi_check import SPENT, check_response

    if os.environ.get("XINYONG_TEST_OPENAPI_CHECK", "1") == "0":
        yield
        return
    original = ClientHandler.__call__

    def checked(self, environ):
        response = original(self, environ)
        started = time.perf_counter()
        check_response(response.wsgi_request, response)
        SPENT["answers"] += 1
        SPENT["seconds"] += time.perf_counter() - started
        return response

    ClientHandler.__call__ = checked
    yield
    ClientHandler.__call__ = original


def pytest_terminal_summary(terminalreporter):
    """XINYONG_TEST_OPENAPI_STATS=1: how many answers the OpenAPI check read and what it cost;
    XINYONG_TEST_SNAPSHOT_STATS=1: how often the reference data came from the session's snapshot."""
    import os

    if os.environ.get("XINYONG_TEST_OPENAPI_STATS") == "1":
        from tests.openapi_check import SPENT

        terminalreporter.write_line(
            f"OpenAPI answer check: {SPENT['answers']} answers, {SPENT['seconds']:.2f} s "
            f"(of which building the document {SPENT['document']:.2f} s)"
        )
    if os.environ.get("XINYONG_TEST_SNAPSHOT_STATS") == "1":
        from tests.support.snapshot import STATS

        terminalreporter.write_line(
            f"reference data: {STATS['restored']} restored from the session's snapshot, "
            f"{STATS['loaded']} loaded (database not in the snapshot's state)"
        )


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's `admin_client`, signed in with a verified second factor: the back office opens only to
    such a session (issue 14, accounts/adminsite.py; tests/support/otp.py)."""
    from django.test import Client

    from tests.support.otp import verified_login

    return verified_login(Client(), admin_user)
