"""Test set-up shared by every app. The database comes from XINYONG_DATABASE_URL (SQLite by default)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_working_day_cache():
    """Each test's database is rolled back under the per-process calendar cache: start and end clean."""
    from xinyong.core import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()


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
def _api_answers_conform_to_openapi(request):
    """Issue 13: every /api/v1/ answer the test client receives is checked against the served OpenAPI
    document (tests/openapi_check.py). XINYONG_TEST_OPENAPI_CHECK=0 turns it off (to measure its cost)."""
    import os
    import time

    from django.test.client import ClientHandler

    from tests.openapi_check import check_response

    if os.environ.get("XINYONG_TEST_OPENAPI_CHECK", "1") == "0":
        yield
        return
    original = ClientHandler.__call__

    spent = {"answers": 0, "seconds": 0.0}

    def checked(self, environ):
        response = original(self, environ)
        started = time.perf_counter()
        check_response(response.wsgi_request, response)
        spent["answers"] += 1
        spent["seconds"] += time.perf_counter() - started
        return response

    ClientHandler.__call__ = checked
    yield
    ClientHandler.__call__ = original
    if os.environ.get("XINYONG_TEST_OPENAPI_STATS") == "1":
        answers, seconds = spent["answers"], spent["seconds"]
        terminal = request.config.pluginmanager.get_plugin("terminalreporter")
        terminal.write_line(f"OpenAPI answer check: {answers} answers, {seconds:.2f} s")
